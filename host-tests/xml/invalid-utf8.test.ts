// Invalid UTF-8 anywhere (text, attribute values, names, namespace URIs) ends in XmlError("encoding"),
// also when the bad sequence is split across chunks.
import test from "ava";
import { closeXs, encode, read } from "./support.ts";

test.after.always(closeXs);

const BAD: number[][] = [
  [0x80], // lone continuation
  [0xc3], // truncated two-byte
  [0xc0, 0xaf], // overlong '/'
  [0xe0, 0x80, 0xaf], // overlong
  [0xed, 0xa0, 0x80], // surrogate
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  [0xfe],
];

const doc = (before: string, bad: number[], after: string) => new Uint8Array([...encode(before), ...bad, ...encode(after)]);

test("in character data", async (t) => {
  for (const bad of BAD) {
    for (const size of [1, 3, 1000]) t.is((await read(doc("<a>x", bad, "y</a>"), size)).error?.code, "encoding", `${bad} / ${size}`);
  }
});

test("in attribute values and namespace URIs", async (t) => {
  for (const bad of BAD) {
    t.is((await read(doc(`<a b="`, bad, `"/>`))).error?.code, "encoding", `value ${bad}`);
    t.is((await read(doc(`<a xmlns="urn:`, bad, `"/>`))).error?.code, "encoding", `uri ${bad}`);
  }
});

test("in names (lead bytes are name characters, so the sequence is checked when the name is learnt)", async (t) => {
  for (const bad of [[0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf0, 0x80, 0x80, 0x80]]) {
    const r = await read(doc("<a", bad, "/>"));
    t.true(r.error?.code === "encoding" || r.error?.code === "syntax", `${bad}: ${r.error?.code}`);
  }
});

test("valid multi-byte text, names and values pass", async (t) => {
  const r = await read(`<名前 属性="値">日本語テキスト😀</名前>`, 2);
  t.deepEqual(r.events, [["start", "", "名前", [["", "属性", "値"]]], ["text", "日本語テキスト😀"], ["end", "", "名前"]]);
});
