// Node-side XML helpers for the VTN simulator: a strict, namespace-aware DOM over saxes (so a VEN body
// that is not well-formed is caught here, independently of the firmware codec under test), lookups by
// local name, escaping, and ISO-8601 formatting. Not for firmware: allocation-heavy on purpose.
import { SaxesParser } from "saxes";

export interface XNode {
  local: string;
  uri: string;
  attributes: Record<string, string>;
  children: XNode[];
  text: string;
}

export class XmlSyntaxError extends Error {
  override name = "XmlSyntaxError";
}

export function parseXml(xml: string): XNode {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XNode[] = [];
  let root: XNode | undefined;
  let failure: Error | undefined;
  parser.on("error", (error) => {
    failure ??= error;
  });
  parser.on("opentag", (tag) => {
    const attributes: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) attributes[attribute.local] = attribute.value;
    const node: XNode = { local: tag.local ?? tag.name, uri: tag.uri ?? "", attributes, children: [], text: "" };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else root ??= node;
    stack.push(node);
  });
  parser.on("text", (text) => {
    const top = stack[stack.length - 1];
    if (top) top.text += text;
  });
  parser.on("closetag", () => {
    stack.pop();
  });
  try {
    parser.write(xml).close();
  } catch (error) {
    failure ??= error as Error;
  }
  if (failure) throw new XmlSyntaxError(failure.message);
  if (!root) throw new XmlSyntaxError("no root element");
  return root;
}

/** First descendant (depth-first) with this local name. */
export function find(node: XNode | undefined, local: string): XNode | undefined {
  if (!node) return undefined;
  for (const child of node.children) {
    if (child.local === local) return child;
    const deeper = find(child, local);
    if (deeper) return deeper;
  }
  return undefined;
}

/** All descendants with this local name (not nested inside one another's matches). */
export function findAll(node: XNode | undefined, local: string, out: XNode[] = []): XNode[] {
  if (!node) return out;
  for (const child of node.children) {
    if (child.local === local) out.push(child);
    else findAll(child, local, out);
  }
  return out;
}

/** Direct children with this local name. */
export function childrenNamed(node: XNode | undefined, local: string): XNode[] {
  return node ? node.children.filter((c) => c.local === local) : [];
}

export function child(node: XNode | undefined, local: string): XNode | undefined {
  return node?.children.find((c) => c.local === local);
}

export function textOf(node: XNode | undefined, local?: string): string | undefined {
  const target = local === undefined ? node : find(node, local);
  return target ? target.text.trim() : undefined;
}

export function escapeXml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** ISO-8601 UTC with microseconds, as real VTNs send (`2026-11-22T02:09:00.000000Z`). */
export function isoDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** Milliseconds → xs:duration (`PT1H30M`, `PT0S`). Whole seconds unless fractional. */
export function isoDuration(ms: number): string {
  if (ms < 0) return "-" + isoDuration(-ms);
  let seconds = ms / 1000;
  const days = Math.floor(seconds / 86400);
  seconds -= days * 86400;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  let out = "P";
  if (days) out += `${days}D`;
  if (hours || minutes || seconds || !days) {
    out += "T";
    if (hours) out += `${hours}H`;
    if (minutes) out += `${minutes}M`;
    if (seconds || (!hours && !minutes)) out += `${Number(seconds.toFixed(3))}S`;
  }
  return out;
}

/** xs:duration → milliseconds (Y = 365 d, M = 30 d; enough for a test peer). */
export function parseDuration(text: string): number {
  const m = /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text.trim());
  if (!m) throw new Error(`bad duration ${text}`);
  const [, sign, y, mo, w, d, h, mi, s] = m;
  const ms = ((+(y ?? 0) * 365 + +(mo ?? 0) * 30 + +(w ?? 0) * 7 + +(d ?? 0)) * 86400 + +(h ?? 0) * 3600 + +(mi ?? 0) * 60 + +(s ?? 0)) * 1000;
  return sign ? -ms : ms;
}

export function parseDateTime(text: string): number {
  const ms = Date.parse(text.trim());
  if (Number.isNaN(ms)) throw new Error(`bad date-time ${text}`);
  return ms;
}
