// The XML declaration and byte order mark: UTF-8 only, version 1.x, fields in order, only at the start.
import test from "ava";
import { closeXs, encode, outcome, read } from "./support.ts";

test.after.always(closeXs);

test("accepted declarations", async (t) => {
  for (const decl of [
    `<?xml version="1.0"?>`,
    `<?xml version='1.0' encoding='utf-8'?>`,
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`,
    `<?xml  version = "1.1"  standalone="no" ?>`,
  ]) {
    t.is(await outcome(`${decl}\n<a/>`), "ok", decl);
  }
});

test("non-UTF-8 encodings are rejected with 'encoding'", async (t) => {
  for (const enc of ["ISO-8859-1", "Shift_JIS", "UTF-16", "us-ascii", "EUC-JP"]) {
    const r = await read(`<?xml version="1.0" encoding="${enc}"?><a/>`);
    t.is(r.error?.code, "encoding", enc);
    t.is(r.error?.offset, 0);
  }
});

test("malformed declarations are syntax errors", async (t) => {
  for (const decl of [
    `<?xml?>`,
    `<?xml encoding="utf-8"?>`,
    `<?xml version="2.0"?>`,
    `<?xml version="1.0" standalone="maybe"?>`,
    `<?xml standalone="yes" version="1.0"?>`,
    `<?xml version="1.0"encoding="utf-8"?>`,
    `<?xml version="1.0" version="1.0"?>`,
    `<?xml version=1.0?>`,
    `<?xml version="1.0" foo="bar"?>`,
  ]) {
    t.is(await outcome(`${decl}<a/>`), "syntax", decl);
  }
});

test("the declaration must come first (after an optional BOM)", async (t) => {
  t.is(await outcome(` <?xml version="1.0"?><a/>`), "syntax");
  t.is(await outcome(`<!-- c --><?xml version="1.0"?><a/>`), "syntax");
  t.is(await outcome(new Uint8Array([0xef, 0xbb, 0xbf, ...encode(`<?xml version="1.0"?><a/>`)])), "ok");
});

test("a UTF-8 BOM is skipped; UTF-16 BOMs and broken BOMs are 'encoding' errors", async (t) => {
  const r = await read(new Uint8Array([0xef, 0xbb, 0xbf, ...encode("<a>x</a>")]));
  t.deepEqual(r.events, [["start", "", "a", []], ["text", "x"], ["end", "", "a"]]);
  t.is(await outcome(new Uint8Array([0xfe, 0xff, 0, 0x3c, 0, 0x61, 0, 0x2f, 0, 0x3e])), "encoding");
  t.is(await outcome(new Uint8Array([0xff, 0xfe, 0x3c, 0, 0x61, 0, 0x2f, 0, 0x3e, 0])), "encoding");
  t.is(await outcome(new Uint8Array([0xef, 0xbb, 0x3c, 0x61, 0x2f, 0x3e])), "encoding");
});

test("a BOM split across chunks is skipped", async (t) => {
  const doc = new Uint8Array([0xef, 0xbb, 0xbf, ...encode(`<?xml version="1.0"?><a/>`)]);
  for (let size = 1; size <= 3; size++) t.is((await read(doc, size)).error, null, `chunks of ${size}`);
});
