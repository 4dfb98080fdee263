// Namespace resolution: prefixes, the default namespace, redeclaration and undeclaration, attributes
// (unprefixed ones have no namespace), and the errors: unbound prefixes, reserved names, bad QNames.
import test from "ava";
import { closeXs, outcome, read, type XmlEvent } from "./support.ts";

test.after.always(closeXs);

const starts = (events: XmlEvent[]) => events.filter((e) => e[0] === "start").map((e) => [e[1], e[2]]);

test("prefixed and default namespaces resolve; xmlns attributes are not reported", async (t) => {
  const r = await read(`<p:a xmlns:p="urn:p" xmlns="urn:d"><b/><p:c/></p:a>`);
  t.is(r.error, null);
  t.deepEqual(r.events, [
    ["start", "urn:p", "a", []],
    ["start", "urn:d", "b", []],
    ["end", "urn:d", "b"],
    ["start", "urn:p", "c", []],
    ["end", "urn:p", "c"],
    ["end", "urn:p", "a"],
  ]);
});

test("declarations on an element apply to it and are undone at its end", async (t) => {
  const r = await read(`<a xmlns="urn:1"><b xmlns="urn:2"><c/></b><d/><e xmlns=""><f/></e></a>`);
  t.deepEqual(starts(r.events), [["urn:1", "a"], ["urn:2", "b"], ["urn:2", "c"], ["urn:1", "d"], ["", "e"], ["", "f"]]);
  t.deepEqual(r.events.filter((e) => e[0] === "end").map((e) => e[1]), ["urn:2", "urn:2", "urn:1", "", "", "urn:1"]);
});

test("a prefix can be redeclared to another URI in a nested scope", async (t) => {
  const r = await read(`<x:a xmlns:x="urn:1"><x:b xmlns:x="urn:2"/><x:c/></x:a>`);
  t.deepEqual(starts(r.events), [["urn:1", "a"], ["urn:2", "b"], ["urn:1", "c"]]);
});

test("attributes: prefixed resolve, unprefixed have no namespace even under a default", async (t) => {
  const r = await read(`<a xmlns="urn:d" xmlns:p="urn:p" p:x="1" y="2"/>`);
  t.deepEqual(r.events[0], ["start", "urn:d", "a", [["urn:p", "x", "1"], ["", "y", "2"]]]);
});

test("the xml prefix is predeclared", async (t) => {
  const r = await read(`<a xml:lang="ja"/>`);
  t.deepEqual(r.events[0], ["start", "", "a", [["http://www.w3.org/XML/1998/namespace", "lang", "ja"]]]);
});

test("OpenADR's prefixes as sent by a VTN", async (t) => {
  const r = await read(
    `<oadr:oadrPayload xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07"><oadr:oadrSignedObject><ei:eiEvent xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110"><strm:intervals xmlns:strm="urn:ietf:params:xml:ns:icalendar-2.0:stream" xmlns:xcal="urn:ietf:params:xml:ns:icalendar-2.0"><xcal:duration/></strm:intervals></ei:eiEvent></oadr:oadrSignedObject></oadr:oadrPayload>`,
  );
  t.deepEqual(starts(r.events).map((s) => s[0]), [
    "http://openadr.org/oadr-2.0b/2012/07",
    "http://openadr.org/oadr-2.0b/2012/07",
    "http://docs.oasis-open.org/ns/energyinterop/201110",
    "urn:ietf:params:xml:ns:icalendar-2.0:stream",
    "urn:ietf:params:xml:ns:icalendar-2.0",
  ]);
});

test("unbound prefixes, on elements and attributes, and out of scope", async (t) => {
  t.is(await outcome(`<p:a/>`), "namespace");
  t.is(await outcome(`<a p:x="1"/>`), "namespace");
  t.is(await outcome(`<a><b xmlns:p="urn:p"/><p:c/></a>`), "namespace");
  const r = await read(`<a>\n<p:b/></a>`);
  t.is(r.error?.offset, 4);
});

test("reserved prefixes and URIs, undeclaring a prefix, and bad QNames", async (t) => {
  for (const doc of [
    `<a xmlns:p=""/>`,
    `<a xmlns:xmlns="urn:x"/>`,
    `<a xmlns:xml="urn:x"/>`,
    `<a xmlns:p="http://www.w3.org/XML/1998/namespace"/>`,
    `<a xmlns="http://www.w3.org/2000/xmlns/"/>`,
    `<xmlns:a/>`,
    `<a:b:c xmlns:a="urn:a"/>`,
    `<a: xmlns:a="urn:a"/>`,
    `<:a/>`,
    `<a xmlns:p="urn:1" xmlns:q="urn:1" p:x="1" q:x="2"/>`,
  ]) {
    t.is(await outcome(doc), "namespace", doc);
  }
  t.is(await outcome(`<a xmlns:xml="http://www.w3.org/XML/1998/namespace"/>`), "ok");
});
