// The raw-byte tap (for the signature verifier): every byte once, in order, with the depth of the element
// extent it belongs to, whatever the chunking; a tag's bytes arrive before its event, so the bytes of an
// element are the pieces from its start tag's first piece to its endElement.
import test from "ava";
import { JAPANESE_DOC } from "./japanese-doc.ts";
import { closeXs, encode, read, type XmlEvent } from "./support.ts";

test.after.always(closeXs);

async function tap(doc: Uint8Array, chunks: number | number[]): Promise<XmlEvent[]> {
  const r = await read(doc, chunks, { raw: true });
  if (r.error !== null) throw new Error(`the document failed: ${JSON.stringify(r.error)}`);
  return r.events;
}

/** Per byte: its depth, and the bytes, from the raw pieces. */
function flatten(events: XmlEvent[]): { depths: number[]; bytes: number[] } {
  const depths: number[] = [];
  const bytes: number[] = [];
  for (const e of events) {
    if (e[0] !== "raw") continue;
    for (const b of e[2]) {
      depths.push(e[1]);
      bytes.push(b);
    }
  }
  return { depths, bytes };
}

test("depths of start tags, text, end tags and what lies outside the root", async (t) => {
  const doc = ` <a>x<b y="1">z</b><c/></a>\n`;
  const { depths, bytes } = flatten(await tap(encode(doc), 1000));
  t.is(String.fromCharCode(...bytes), doc);
  t.is(depths.join(""), "0" + "111" + "1" + "222222222" + "2" + "2222" + "2222" + "1111" + "0");
});

test("every byte exactly once, same depths, for every chunking", async (t) => {
  const doc = encode(JAPANESE_DOC);
  const whole = flatten(await tap(doc, doc.length));
  t.deepEqual(whole.bytes, [...doc]);
  for (const size of [1, 2, 3, 5, 64]) t.deepEqual(flatten(await tap(doc, size)), whole, `chunks of ${size}`);
  for (let cut = 1; cut < 200; cut++) t.deepEqual(flatten(await tap(doc, [cut])), whole, `cut at ${cut}`);
});

test("an element's bytes: its depth's pieces after the previous event, through its endElement", async (t) => {
  const doc = `<r><p/>x<s:o xmlns:s="urn:s" Id="x"><p>1</p><q/></s:o><t>2</t></r>`;
  for (const size of [1, 3, 1000]) {
    const events = await tap(encode(doc), size);
    const start = events.findIndex((e) => e[0] === "start" && e[2] === "o");
    const end = events.findIndex((e) => e[0] === "end" && e[2] === "o");
    let first = start;
    while (first > 0 && events[first - 1][0] === "raw" && events[first - 1][1] === 2) first--;
    const { bytes } = flatten(events.slice(first, end));
    t.is(String.fromCharCode(...bytes), `<s:o xmlns:s="urn:s" Id="x"><p>1</p><q/></s:o>`, `chunks of ${size}`);
  }
});
