// Comments and processing instructions are skipped anywhere (prolog, content, epilog), split runs of
// text without changing it, and are checked: "--" inside a comment, controls, invalid UTF-8.
import test from "ava";
import { closeXs, encode, outcome, read, texts } from "./support.ts";

test.after.always(closeXs);

test("comments and PIs before, inside and after the root produce no events", async (t) => {
  const r = await read("<!-- a --><?p x?><a><!-- b --><?q y?><b/></a><!-- c --><?r?>\n");
  t.is(r.error, null);
  t.deepEqual(r.events.map((e) => e[0]), ["start", "start", "end", "end"]);
});

test("text around a comment or PI is one text", async (t) => {
  t.deepEqual(await texts("<a>one<!-- x -->two<?pi z?>three</a>"), ["onetwothree"]);
});

test("comment bodies may hold '-', '<', '&' and UTF-8", async (t) => {
  t.is(await outcome("<a><!-- - <b> &nope; 日本 - --></a>"), "ok");
  t.is(await outcome("<a><?pi <b> & 日本 ? ?></a>"), "ok");
});

test("'--' inside a comment, and '--->' are syntax errors", async (t) => {
  t.is(await outcome("<a><!-- x -- y --></a>"), "syntax");
  t.is(await outcome("<a><!-- x ---></a>"), "syntax");
  t.is(await outcome("<a><!- x --></a>"), "syntax");
});

test("a PI needs a target; 'xml' in any case is reserved after the start", async (t) => {
  t.is(await outcome("<a><? x?></a>"), "syntax");
  t.is(await outcome("<a><?xml version='1.0'?></a>"), "syntax");
  t.is(await outcome("<a><?XmL x?></a>"), "syntax");
  t.is(await outcome("<a><?xml-stylesheet x?></a>"), "ok");
});

test("invalid UTF-8 and control characters inside comments and PIs are rejected", async (t) => {
  const bad = (body: number[]) => new Uint8Array([...encode("<a><!--"), ...body, ...encode("--></a>")]);
  t.is(await outcome(bad([0xc3, 0x28])), "encoding");
  t.is(await outcome(bad([0xed, 0xa0, 0x80])), "encoding"); // surrogate
  t.is(await outcome(bad([0xf8, 0x88, 0x80, 0x80])), "encoding");
  t.is(await outcome(bad([0x01])), "syntax");
  t.is(await outcome(new Uint8Array([...encode("<a><?p "), 0xff, ...encode("?></a>")])), "encoding");
});

test("a multi-byte character in a comment split at every byte is accepted", async (t) => {
  const doc = encode("<a><!--日本--></a>");
  for (let cut = 1; cut < doc.length; cut++) t.is((await read(doc, [cut])).error, null, `cut at ${cut}`);
});
