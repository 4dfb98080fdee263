// The events and errors do not depend on where the chunks end: every two-way split, and chunks of 1..N
// bytes at every phase, including splits inside multi-byte UTF-8 characters, names, end tags,
// entities, CDATA brackets, comments and the XML declaration.
import test from "ava";
import { readFileSync } from "node:fs";
import { MISSING_SHARED } from "../support/shared.ts";
import { JAPANESE_DOC } from "./japanese-doc.ts";
import { closeXs, distributeEventFixtures, encode, xs } from "./support.ts";

test.after.always(closeXs);

async function invariant(t: import("ava").ExecutionContext, bytes: Uint8Array, twoWay: boolean, maxChunk: number) {
  const r = await (await xs()).call("splitInvariance", bytes, twoWay, maxChunk);
  t.is(r.error, null, "the document is well-formed");
  t.true(r.events > 10);
  t.deepEqual(r.differing, [], `${r.runs} feeds`);
}

test("a document with Japanese text: every split point, chunks of 1..12", async (t) => {
  await invariant(t, encode(JAPANESE_DOC), true, 12);
});

test("a captured oadrDistributeEvent: every split point, chunks of 1..12", async (t) => {
  const files = distributeEventFixtures();
  if (files.length === 0) return t.pass(MISSING_SHARED);
  // Two-way splits on the smaller capture (every boundary alone), chunk sizes on the largest.
  await invariant(t, new Uint8Array(readFileSync(files[files.length - 1])), true, 4);
  await invariant(t, new Uint8Array(readFileSync(files[0])), false, 12);
});

test("a document that fails splits the same way: same error, same offset", async (t) => {
  const bad = encode(JAPANESE_DOC.replace("</ei:eventID>", "</ei:eventId>"));
  const r = await (await xs()).call("splitInvariance", bad, true, 6);
  t.is(r.error.code, "syntax");
  t.deepEqual(r.differing, []);
});
