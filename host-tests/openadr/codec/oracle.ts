// An independent reading of fixture XML for the value tests: txml (a DOM parser, Node side only)
// plus deliberately naive date and duration readers, so the firmware decoder is checked against
// something that shares none of its code. Elements are matched by local name (prefixes dropped).
import { parse, type TNode } from "txml";

export type Node = TNode;

/** Parses a document (UTF-8 or UTF-16 with BOM) into its root element. */
export function root(bytes: Uint8Array): Node {
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = Buffer.from(bytes).toString("utf16le");
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = Buffer.from(bytes).swap16().toString("utf16le");
  else text = Buffer.from(bytes).toString("utf8");
  const nodes = parse(text.replace(/^\uFEFF/, "").replace(/<!--[\s\S]*?-->/g, ""), { keepComments: false }) as (Node | string)[];
  const element = nodes.find((n): n is Node => typeof n === "object" && !n.tagName.startsWith("?"));
  if (!element) throw new Error("no root element");
  return element;
}

export const localName = (n: Node): string => n.tagName.replace(/^.*:/, "");

export function children(n: Node, local?: string): Node[] {
  return n.children.filter((c: Node | string): c is Node => typeof c === "object" && (local === undefined || localName(c) === local));
}

export function child(n: Node, local: string): Node | undefined {
  return children(n, local)[0];
}

/** Depth-first descendants with that local name. */
export function all(n: Node, local: string): Node[] {
  const out: Node[] = [];
  const walk = (m: Node): void => {
    for (const c of children(m)) {
      if (localName(c) === local) out.push(c);
      walk(c);
    }
  };
  walk(n);
  return out;
}

/** Follows a chain of child local names. */
export function at(n: Node | undefined, ...path: string[]): Node | undefined {
  let m = n;
  for (const p of path) m = m && child(m, p);
  return m;
}

export function text(n: Node | undefined): string | undefined {
  if (!n) return undefined;
  return n.children.filter((c: Node | string) => typeof c === "string").join("")
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&apos;/g, "'").replace(/&amp;/g, "&");
}

/** The message element: the child of oadrSignedObject, or the root itself. */
export function messageOf(doc: Node): Node {
  if (localName(doc) !== "oadrPayload") return doc;
  return children(child(doc, "oadrSignedObject")!)[0]!;
}

/** Naive ISO-8601 date-time → ms: normalises the fraction to 3 digits and lets Date.parse do the rest. */
export function dateMs(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const m = /^\s*([^.Z+]+?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?\s*$/.exec(s);
  if (!m) return NaN;
  const frac = ((m[2] ?? "") + "000").slice(0, 3);
  return Date.parse(`${m[1]}.${frac}${m[3] ?? "Z"}`);
}

/** Naive duration → ms (days = 24 h, months = 30 d, years = 365 d). */
export function durationMs(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const m = /^\s*([+-])?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?\s*$/.exec(s);
  if (!m) return NaN;
  const [, sign, y, mo, w, d, h, mi, sec] = m;
  const ms = (((+(y ?? 0) * 365 + +(mo ?? 0) * 30 + +(w ?? 0) * 7 + +(d ?? 0)) * 24 + +(h ?? 0)) * 60 + +(mi ?? 0)) * 60_000 + Math.round(+(sec ?? 0) * 1000);
  return sign === "-" ? -ms : ms;
}
