// The five predefined entities and character references (decimal, hex) decode in text and attribute
// values; invalid code points, undefined entities and malformed references are syntax errors.
import test from "ava";
import { closeXs, outcome, read, texts } from "./support.ts";

test.after.always(closeXs);

test("predefined entities in text", async (t) => {
  t.deepEqual(await texts("<a>&lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;</a>"), [`<b> & "c" 'd'`]);
});

test("decimal and hex character references, BMP and supplementary", async (t) => {
  t.deepEqual(await texts("<a>&#65;&#x42;&#x043;&#x65E5;&#26412;&#x1F600;&#x10FFFF;</a>"), ["ABC日本\u{1F600}\u{10FFFF}"]);
});

test("references count as text: an element of only a reference delivers it", async (t) => {
  t.deepEqual(await texts("<a>&#x20;</a>"), [" "]);
});

test("entities in attribute values; whitespace normalised, character references not", async (t) => {
  const r = await read(`<a x="1 &amp;&lt; 2" y='&quot;&apos;' z="a\tb\nc\r\nd" w="&#9;&#10;"/>`);
  t.is(r.error, null);
  const attrs = (r.events[0] as [string, string, string, [string, string, string][]])[3];
  t.deepEqual(attrs, [
    ["", "x", "1 &< 2"],
    ["", "y", `"'`],
    ["", "z", "a b c d"],
    ["", "w", "\t\n"],
  ]);
});

test("a reference to '<' or '&' is data, not markup", async (t) => {
  t.deepEqual(await texts("<a>&#60;b/&#62;&#38;amp;</a>"), ["<b/>&amp;"]);
});

test("invalid code points are rejected", async (t) => {
  for (const ref of ["&#0;", "&#x0;", "&#8;", "&#xB;", "&#xD800;", "&#xDFFF;", "&#xFFFE;", "&#xFFFF;", "&#x110000;", "&#99999999999;"]) {
    t.is(await outcome(`<a>${ref}</a>`), "syntax", ref);
    t.is(await outcome(`<a b="${ref}"/>`), "syntax", `attribute ${ref}`);
  }
});

test("undefined and malformed references are rejected", async (t) => {
  for (const ref of ["&nbsp;", "&lol;", "&;", "&#;", "&#x;", "&#x12g;", "&#12a;", "&amp", "& ", "&a b;", "&ampamp;", "&#X43;"]) {
    t.is(await outcome(`<a>x${ref}y</a>`), "syntax", ref);
  }
  t.is(await outcome(`<a b="&nbsp;"/>`), "syntax");
});

test("the error offset points at the '&'", async (t) => {
  const r = await read("<a>abc&nope;</a>");
  t.is(r.error?.offset, 6);
});
