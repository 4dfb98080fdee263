// The patched worker: fixed esp32 heap fails like a device; peak counters follow allocations.
import test from "ava";
import { XsHost, XsError } from "./index.ts";

const entry = "host-tests/engine/fixtures/xs-memory.ts";

test("the patched worker is built (npm run postinstall)", async (t) => {
  const xs = await XsHost.start({ entry });
  t.true(xs.worker.patched, `using ${xs.worker.file}`);
  await xs.close();
});

test("esp32 heap: a 100 KB buffer does not fit, 30 KB does; the worker then needs a restart", async (t) => {
  const xs = await XsHost.start({ entry, heap: "esp32" });
  try {
    t.is(await xs.call("buffer", 30_000), 30_000);
    const error = await t.throwsAsync(xs.call("buffer", 100_000), { instanceOf: XsError });
    t.is(error!.code, "memory");
    t.regex(error!.message, /not enough memory/);
    await t.throwsAsync(xs.call("buffer", 10), { message: /not enough memory/ });
    await xs.restart();
    t.is(await xs.call("buffer", 10), 10);
  } finally {
    await xs.close();
  }
});

test("esp32 heap: too many live objects exhaust the 4,928 slots; garbage does not", async (t) => {
  const xs = await XsHost.start({ entry, heap: "esp32" });
  try {
    for (let i = 0; i < 5; i++) t.is(await xs.call("objects", 1_000), 1_000); // ~2,000 slots each, collected
    await t.throwsAsync(xs.call("objects", 5_000), { message: /not enough memory/ });
  } finally {
    await xs.close();
  }
});

test("esp32 stack: 512 slots overflow on deep recursion", async (t) => {
  const xs = await XsHost.start({ entry, heap: "esp32" });
  try {
    t.is(await xs.call("depth", 10), 10);
    const error = await t.throwsAsync(xs.call("depth", 100), { instanceOf: XsError });
    t.is(error!.code, "stack");
    t.regex(error!.message, /stack overflow/);
  } finally {
    await xs.close();
  }
});

test("peaks: a 100 KB buffer raises peakChunks by ≈100 KB; retained memory shows in chunksInUse", async (t) => {
  const xs = await XsHost.start({ entry });
  try {
    const small = await xs.callMetered("buffer", 10);
    const big = await xs.callMetered("buffer", 100_000);
    t.true(small.meter.peakChunks < 2_000, `small ${small.meter.peakChunks}`);
    t.true(big.meter.peakChunks >= 100_000 && big.meter.peakChunks < 102_000, `big ${big.meter.peakChunks}`);
    const deep = await xs.callMetered("depth", 50);
    t.true(deep.meter.peakStack > small.meter.peakStack + 400, `stack ${deep.meter.peakStack} vs ${small.meter.peakStack}`);
    const objects = await xs.callMetered("objects", 1_000);
    t.true(objects.meter.peakSlots >= 2_000 && objects.meter.peakSlots < 2_300, `slots ${objects.meter.peakSlots}`);

    await xs.resetPeak();
    const before = await xs.peak();
    await xs.call("keep", 40_000);
    await xs.call("keep", 40_000);
    const after = await xs.peak();
    t.true(after.chunksInUse - before.chunksInUse >= 80_000, `in use ${before.chunksInUse} → ${after.chunksInUse}`);
    t.true(after.peakChunks >= after.chunksInUse);
    t.is(after.peakBytes, after.peakChunks + after.peakSlots * 32);
  } finally {
    await xs.close();
  }
});
