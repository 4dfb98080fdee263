// 30-minute slots across local midnight (JST): boundaries at exactly 23:30, 00:00, 00:30 +09:00, each
// full slot holding exactly P × 0.5 h, the date rolling over in the local start.
import test from "ava";
import { run } from "../hardware/harness.ts";

test("slot-midnight: boundaries exact across midnight JST", async (t) => {
  const start = Date.parse("2026-11-22T23:10:00+09:00");
  const r = await run("host-tests/metering/xs-entry.ts", "slotRun", { start, runMs: 100 * 60_000, amps: 10 });
  const starts = r.slots.map((s: any) => s.startLocal);
  t.deepEqual(starts, ["2026-11-22T23:00:00+09:00", "2026-11-22T23:30:00+09:00", "2026-11-23T00:00:00+09:00"]);
  t.is(r.open.startLocal, "2026-11-23T00:30:00+09:00");
  t.is(r.slots[2].start, Date.parse("2026-11-23T00:00:00+09:00"));
  const expected = r.watts * 0.5; // Wh in a full slot at constant power
  t.true(Math.abs(r.watts - 1000) < 1, `power ${r.watts} W`);
  for (const slot of r.slots.slice(1)) {
    t.true(Math.abs(slot.wh - expected) < 1e-6, `${slot.startLocal}: ${slot.wh} Wh vs ${expected}`);
    t.true(slot.valid && slot.coverage > 0.999 && slot.estimated && !slot.clockCorrected);
    t.true(Math.abs(slot.averageKw - r.watts / 1000) < 1e-6);
  }
  t.false(r.slots[0].valid, "the first slot is partial (started 23:10)");
  const total = r.slots.reduce((a: number, s: any) => a + s.wh, 0) + r.open.wh;
  t.true(Math.abs(total - r.energyWh) < 1e-6, "slots + open slot = counter");
});
