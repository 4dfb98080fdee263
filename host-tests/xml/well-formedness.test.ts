// Well-formedness errors end in XmlError("syntax") with the offset of the offending markup.
import test from "ava";
import { closeXs, outcome, read } from "./support.ts";

test.after.always(closeXs);

test("mismatched end tags, at the end tag's '<'", async (t) => {
  const r = await read("<a><b></c></a>");
  t.is(r.error?.code, "syntax");
  t.is(r.error?.offset, 6);
  for (const doc of ["<a></ab>", "<ab></a>", "<a></A>", "<p:a xmlns:p='u'></a>", "<a></a >x", "</a>", "<a></b"]) {
    t.not(await outcome(doc), "ok", doc);
  }
});

test("duplicate attributes", async (t) => {
  t.is(await outcome(`<a x="1" x="2"/>`), "syntax");
  t.is(await outcome(`<a xmlns="u" xmlns="v"/>`), "syntax");
});

test("character data outside the root element", async (t) => {
  t.is(await outcome(`x<a/>`), "syntax");
  t.is(await outcome(`<a/>x`), "syntax");
  t.is(await outcome(`<a/>&amp;`), "syntax");
  t.is(await outcome(` \r\n\t<a/> \n`), "ok");
});

test("more than one root element", async (t) => {
  t.is(await outcome(`<a/><b/>`), "syntax");
  t.is(await outcome(`<a></a>\n<a></a>`), "syntax");
});

test("no root element at all, or an unclosed value, is a truncated document", async (t) => {
  t.is(await outcome(``), "truncated");
  t.is(await outcome(`<!-- only a comment -->`), "truncated");
  t.is(await outcome(`<a x="1/>`), "truncated");
});

test("tag syntax", async (t) => {
  for (const doc of [
    `< a/>`, `<a x=1/>`, `<a x="1"y="2"/>`, `<a x/>`, `<a "x"/>`, `<a/ >`, `<a><1b/></a>`,
    `<a x="<"/>`, `<a>\u0001</a>`, `<a x="\u0002"/>`, `<a></a b>`, `<-a/>`, `<a =""/>`,
  ]) {
    t.is(await outcome(doc), "syntax", JSON.stringify(doc));
  }
});

test("allowed oddities: spaces before '>' and '/>', around '=', single quotes, '>' in values", async (t) => {
  for (const doc of [`<a  x = '1'   y="2" ></a  >`, `<a x="a>b"/>`, `<a\n\tx="1"\n/>`, `<_a-b.c/>`]) {
    t.is(await outcome(doc), "ok", doc);
  }
});

test("after an error the reader keeps failing with the same error", async (t) => {
  const r = await read("<a></b><c/>", 1);
  t.is(r.error?.code, "syntax");
  t.is(r.error?.offset, 3);
});
