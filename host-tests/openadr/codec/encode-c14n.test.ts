// The encoder's signed object is already in inclusive C14N 1.0 form: canonicalising it (xmllint --c14n)
// gives back the very same bytes, so a signing step can hash what the encoder wrote. The whole payload
// has the declaration only at the top, no self-closing tags, the fixed namespace order, no whitespace.
import test from "ava";
import { validateXML } from "xmllint-wasm";
import type { XsHost } from "../../engine/index.ts";
import type { OadrMessage } from "../../../modules/openadr/types.ts";
import { startCodec, utf8 } from "./support.ts";

let xs: XsHost;
let all: Record<string, OadrMessage>;
test.before(async () => {
  xs = await startCodec();
  const { ven, vtn } = await xs.call<{ ven: Record<string, OadrMessage>; vtn: Record<string, OadrMessage> }>("samples");
  all = { ...vtn, ...ven };
});
test.after.always(async () => { await xs?.close(); });

test("signed objects are canonical: C14N(bytes) === bytes, for every message type", async (t) => {
  const types = Object.keys(all);
  const objects: string[] = [];
  for (const type of types) objects.push(utf8(await xs.call<Uint8Array>("encodeSignedObject", all[type])));
  // One xmllint run (≈250 ms each, and it normalises only the first file given): the objects side by
  // side under a wrapper that declares nothing, so each renders exactly as it would as a signed subset.
  const doc = `<w>${objects.join("")}</w>`;
  const result = await validateXML({ xml: { fileName: "objects.xml", contents: doc }, normalization: "c14n" });
  t.is(result.errors.length, 0, result.rawOutput);
  t.is(result.normalized.replace(/\n$/, ""), doc); // xmllint ends its output with a newline
});

test("payload shape: declaration, root, namespaces in C14N order, no self-closing tags, no whitespace", async (t) => {
  for (const [type, message] of Object.entries(all)) {
    const doc = utf8(await xs.call<Uint8Array>("encode", message));
    t.true(doc.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<oadr:oadrPayload xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07"><oadr:oadrSignedObject xmlns:ei='), type);
    t.is(doc.split("<?xml").length, 2, type);
    t.false(/\/>/.test(doc), type);
    t.false(/>\s+</.test(doc.slice(doc.indexOf("\n") + 1)), type);
    const declared = [...doc.matchAll(/xmlns:(\w+)=/g)].map((m) => m[1]).slice(1);
    t.deepEqual(declared, ["ei", "emix", "oadr", "power", "pyld", "scale", "strm", "xcal"], type);
    t.true(doc.includes(`oadr:Id="oadrSignedObject"><oadr:${type} ei:schemaVersion="2.0b">`), type);
    t.true(doc.endsWith(`</oadr:${type}></oadr:oadrSignedObject></oadr:oadrPayload>`), type);
  }
});
