// Fuzzing with fast-check: mutated documents (byte flips, insertions, deletions), deep nesting, huge
// tokens and random bytes end in "ok" or an XmlError, never another exception, each in bounded compute;
// what the reader accepts, saxes accepts too. Sizes and run counts are bounded to keep the suite fast.
import test from "ava";
import fc from "fast-check";
import { JAPANESE_DOC } from "./japanese-doc.ts";
import { saxesEvents } from "./reference.ts";
import { closeXs, encode, xs } from "./support.ts";

test.after.always(closeXs);

const BASE = encode(JAPANESE_DOC);
const SEED = 20261122;
/** A linear bound on XS compute (deterministic, unlike wall time on a busy machine): a normal document
    costs ~40 units a byte, one-byte chunks ~800; a hang never returns and hits ava's timeout. */
const maxCompute = (bytes: number) => 200_000 + 2_000 * bytes;

type Result = { code: string; typed: boolean; message: string };

async function check(t: import("ava").ExecutionContext, documents: Uint8Array[], chunkSize: number): Promise<boolean> {
  const host = await xs();
  let ok = true;
  for (const doc of documents) {
    const { result, meter } = await host.callMetered<Result[]>("batch", [doc], chunkSize);
    const r = result[0];
    const text = new TextDecoder().decode(doc);
    if (!r.typed) t.fail(`untyped error ${r.message} for ${JSON.stringify(text.slice(0, 200))}`);
    if (meter.compute > maxCompute(doc.length)) t.fail(`compute ${meter.compute} for a ${doc.length}-byte document`);
    if (r.code === "ok" && saxesEvents(text).error !== null) t.fail(`accepted what saxes rejects: ${JSON.stringify(text)}`);
    ok &&= r.typed && meter.compute <= maxCompute(doc.length);
  }
  return ok;
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant("copy" as const), at: fc.nat(), from: fc.nat(), count: fc.integer({ min: 1, max: 40 }) }),
);

type Mutation = { kind: string; at: number; value?: number; bytes?: Uint8Array; count?: number; from?: number };

function mutate(base: Uint8Array, mutations: Mutation[]): Uint8Array {
  let doc = [...base];
  for (const m of mutations) {
    const at = m.at % (doc.length + 1);
    if (m.kind === "flip" && doc.length > 0) doc[at % doc.length] = m.value!;
    else if (m.kind === "insert") doc.splice(at, 0, ...m.bytes!);
    else if (m.kind === "delete") doc.splice(at, m.count!);
    else if (m.kind === "copy") doc.splice(at, 0, ...doc.slice(m.from! % doc.length, (m.from! % doc.length) + m.count!));
  }
  return Uint8Array.from(doc);
}

test("mutated documents: only XmlError, bounded compute", async (t) => {
  const documents = fc.array(fc.array(mutation, { minLength: 1, maxLength: 6 }).map((ms) => mutate(BASE, ms)), { minLength: 20, maxLength: 20 });
  await fc.assert(fc.asyncProperty(documents, fc.integer({ min: 1, max: 64 }), (docs, size) => check(t, docs, size)), { seed: SEED, numRuns: 25 });
  t.pass();
});

test("deep nesting, huge tokens and random bytes: only XmlError, bounded compute", async (t) => {
  const name = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
  const deep = fc.tuple(name, fc.integer({ min: 1, max: 3000 })).map(([n, d]) => encode(`<${n}>`.repeat(d) + `</${n}>`.repeat(d)));
  const huge = fc.tuple(fc.constantFrom("name", "text", "value", "comment", "cdata", "pi", "ws", "ref"), fc.integer({ min: 1, max: 8_000 })).map(([where, n]) => {
    const x = "x".repeat(n);
    const doc = { name: `<a${x}/>`, text: `<a>${x}</a>`, value: `<a b="${x}"/>`, comment: `<a><!--${x}--></a>`, cdata: `<a><![CDATA[${x}]]></a>`, pi: `<a><?p ${x}?></a>`, ws: `<a>${" ".repeat(n)}</a>`, ref: `<a>&${x};</a>` }[where];
    return encode(doc);
  });
  const random = fc.uint8Array({ maxLength: 2000 });
  const markupSoup = fc.array(fc.constantFrom("<a>", "</a>", "<b x='1'>", "</b>", "&amp;", "<![CDATA[", "]]>", "<!--", "-->", "<?p", "?>", "x", " ", "日", "\r\n", "<p:c xmlns:p='u'>", "</p:c>"), { maxLength: 60 }).map((parts) => encode(parts.join("")));
  const documents = fc.array(fc.oneof(deep, huge, random, markupSoup), { minLength: 10, maxLength: 10 });
  await fc.assert(fc.asyncProperty(documents, fc.integer({ min: 1, max: 2000 }), (docs, size) => check(t, docs, size)), { seed: SEED, numRuns: 25 });
  t.pass();
});
