// An element canonicalised on its own (a document subset: what a Reference "#id" digests) carries every
// namespace in scope — those declared on its ancestors included — and its ancestors' xml:* attributes;
// below it only declarations that change a binding appear. Checked against the Node-side DOM
// canonicaliser (host-tests/peers/vtn/signature.ts, written apart) for nested and overlapping captures,
// and by hand for the OpenADR shapes.
import test from "ava";
import type { XsHost } from "../../engine/index.ts";
import { canonicalize, parseDom, type DomElement } from "../../peers/vtn/signature.ts";
import { haveFixtures, signedFixtures, startSignature, utf8 } from "./support.ts";

const DOC =
  `<?xml version="1.0"?>\n<root xmlns="urn:default" xmlns:a="urn:a" xmlns:b="urn:b" xml:lang="en" xml:space="preserve">` +
  `<mid xmlns:c="urn:c" xml:lang="fr"><x Id="one" a:z="1" b:y="2"><in xmlns:a="urn:a"/><in2 xmlns:a="urn:a2" xmlns=""/></x></mid>` +
  `<p:outer xmlns:p="urn:p" ID="two"><p:inner id="three" xml:lang="de">text<e/></p:inner><q xmlns="urn:other"/></p:outer>` +
  `<plain Id="four" xmlns=""><deeper xmlns="urn:default"/></plain></root>`;

function byId(root: DomElement, id: string): DomElement {
  const walk = (e: DomElement): DomElement | undefined => {
    if (e.attributes.some((a) => /^(Id|ID|id)$/.test(a.local) && a.value === id)) return e;
    for (const c of e.children) if ("name" in c) { const f = walk(c); if (f) return f; }
    return undefined;
  };
  return walk(root)!;
}

let xs: XsHost;
test.before(async () => { xs = await startSignature(); });
test.after.always(async () => { await xs?.close(); });

test("captures by Id (nested ones too) match the DOM canonicaliser", async (t) => {
  const ids = ["one", "two", "three", "four"];
  for (const chunk of [0, 1, 5]) {
    const r = await xs.call<{ parts: Uint8Array[]; error?: string }>("canonicalize", new Uint8Array(Buffer.from(DOC)), { ids, chunk });
    t.is(r.error, undefined);
    const dom = parseDom(DOC);
    ids.forEach((id, i) => t.is(utf8(r.parts[i]), canonicalize(byId(dom, id)), `${id}, chunk ${chunk}`));
  }
});

test("the apex gets the inherited namespaces and xml:* attributes, sorted", async (t) => {
  const r = await xs.call<{ parts: Uint8Array[] }>("canonicalize", new Uint8Array(Buffer.from(DOC)), { ids: ["one"] });
  t.is(utf8(r.parts[0]),
    `<x xmlns="urn:default" xmlns:a="urn:a" xmlns:b="urn:b" xmlns:c="urn:c" Id="one" xml:lang="fr" xml:space="preserve" a:z="1" b:y="2">` +
    `<in></in><in2 xmlns="" xmlns:a="urn:a2"></in2></x>`);
});

test("OpenADR: signed object, ds:Object and SignedInfo of every signed fixture match the DOM canonicaliser", async (t) => {
  if (!haveFixtures) return t.pass();
  const DS = "http://www.w3.org/2000/09/xmldsig#";
  for (const f of signedFixtures()) {
    const r = await xs.call<{ parts: Uint8Array[] }>("canonicalize", f.bytes, { ids: ["oadrSignedObject", "prop"], elements: [[3, DS, "SignedInfo"]], chunk: 61 });
    const dom = parseDom(utf8(f.bytes));
    const signature = dom.children.find((c): c is DomElement => "name" in c && c.local === "Signature")!;
    const info = signature.children.find((c): c is DomElement => "name" in c && c.local === "SignedInfo")!;
    t.is(utf8(r.parts[0]), canonicalize(info), `${f.name} SignedInfo`);
    t.is(utf8(r.parts[1]), canonicalize(byId(dom, "oadrSignedObject")), `${f.name} signed object`);
    t.is(utf8(r.parts[2]), canonicalize(byId(dom, "prop")), `${f.name} ds:Object`);
    t.true(utf8(r.parts[2]).startsWith(`<ds:Object xmlns:ds="${DS}" xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07" Id="prop">`));
  }
});
