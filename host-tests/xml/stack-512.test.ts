// The reader runs within the ESP32 targets' 512-slot stack and fixed heap (78,848 B of chunks, 4,928 slots):
// a captured oadrDistributeEvent and a 20 KB scaled one on the "esp32" profile, and the 200 KB benchmark
// document with a 512-slot stack.
import test from "ava";
import { readFileSync } from "node:fs";
import { MISSING_SHARED } from "../support/shared.ts";
import { distributeEventXml } from "./bench-doc.ts";
import { closeXs, distributeEventFixtures, encode, xs } from "./support.ts";

test.after.always(closeXs);

test.serial("esp32 profile: captured and scaled documents", async (t) => {
  try {
    const host = await xs({ heap: "esp32" });
    await host.call("prepare", []);
    const files = distributeEventFixtures();
    const documents = [encode(distributeEventXml(2, 24)), ...files.map((f) => new Uint8Array(readFileSync(f)))];
    for (const doc of documents) {
      const { result, meter } = await host.callMetered("readPrepared", doc, 1460);
      t.is(result.error, null);
      t.true(meter.peakStack <= 512);
    }
    if (files.length === 0) t.log(MISSING_SHARED);
  } finally {
    await closeXs();
  }
});

test.serial("512 stack slots: the 200 KB benchmark document", async (t) => {
  const host = await xs({ stack: 512 });
  await host.call("prepare", []);
  const { result } = await host.callMetered("readPrepared", encode(distributeEventXml(20, 24)), 1460);
  t.is(result.error, null);
  t.is(result.elements, 5629);
});
