// A well-formed document cut after any byte, fed whole or byte by byte, ends in XmlError("truncated")
// at end(): never in another error, another exception type, or a hang.
import test from "ava";
import { readFileSync } from "node:fs";
import { MISSING_SHARED } from "../support/shared.ts";
import { JAPANESE_DOC } from "./japanese-doc.ts";
import { closeXs, distributeEventFixtures, encode, xs } from "./support.ts";

test.after.always(closeXs);

/** Every cut before the root's end tag is complete must be "truncated"; after it (trailing white space), fine. */
async function everyCut(t: import("ava").ExecutionContext, bytes: Uint8Array, chunkSizes: number[]) {
  const host = await xs();
  const complete = bytes.lastIndexOf(0x3e) + 1;
  for (const chunkSize of chunkSizes) {
    const started = Date.now();
    const outcomes: { length: number; code: string; typed: boolean }[] = await host.call("truncations", bytes, chunkSize);
    t.is(outcomes.length, bytes.length);
    const wrong = outcomes.filter((o) => !o.typed || o.code !== (o.length < complete ? "truncated" : "none"));
    t.deepEqual(wrong.slice(0, 5), [], `chunks of ${chunkSize}`);
    t.true(Date.now() - started < 30_000, "bounded time");
  }
}

test("a document with Japanese text, cut everywhere", async (t) => {
  await everyCut(t, encode(JAPANESE_DOC), [100_000, 1]);
});

test("the smallest captured oadrDistributeEvent, cut everywhere", async (t) => {
  const files = distributeEventFixtures();
  if (files.length === 0) return t.pass(MISSING_SHARED);
  await everyCut(t, new Uint8Array(readFileSync(files[files.length - 1])), [100_000, 97]);
});

test("the complete documents themselves are read without error", async (t) => {
  const host = await xs();
  const r = await host.call("tokenize", encode(JAPANESE_DOC), 1);
  t.is(r.error, null);
});
