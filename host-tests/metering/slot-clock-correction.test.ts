// Clock corrections while slots are open: +5 min at 00:10 and −3 min at 00:40 (JST). Boundaries stay at
// exact :00/:30 of the corrected clock, energy is neither lost nor counted twice (Σ slots = counter),
// the slots that saw a correction are flagged and invalid, the others exact.
import test from "ava";
import { run } from "../hardware/harness.ts";

test("slot-clock-correction: boundaries exact, energy conserved, slots flagged", async (t) => {
  const start = Date.parse("2026-11-22T23:50:00+09:00");
  const r = await run("host-tests/metering/xs-entry.ts", "slotRun", {
    start, runMs: 90 * 60_000, amps: 10,
    corrections: [{ atMs: 20 * 60_000, jumpMs: 5 * 60_000 }, { atMs: 50 * 60_000 + 500, jumpMs: -3 * 60_000 }],
  });
  const p = r.watts; // W
  const byStart = Object.fromEntries(r.slots.map((s: any) => [s.startLocal, s]));
  const midnight = byStart["2026-11-23T00:00:00+09:00"];
  const half = byStart["2026-11-23T00:30:00+09:00"];
  t.truthy(midnight && half, JSON.stringify(r.slots.map((s: any) => s.startLocal)));
  // 00:00–00:30 on the corrected clock: 25 min of real time (5 min skipped)
  t.true(Math.abs(midnight.wh - p * (25 / 60)) < 0.01, `00:00 slot ${midnight.wh} Wh`);
  t.true(midnight.clockCorrected && !midnight.valid);
  // 00:30–01:00: 33 min of real time (the clock went back 3 min inside it)
  t.true(Math.abs(half.wh - p * (33 / 60)) < 0.01, `00:30 slot ${half.wh} Wh`);
  t.true(half.clockCorrected && !half.valid);
  t.is(half.start, Date.parse("2026-11-23T00:30:00+09:00"));
  // the slot before, untouched, is exact
  const before = byStart["2026-11-22T23:30:00+09:00"];
  t.false(before.clockCorrected);
  const total = r.slots.reduce((a: number, s: any) => a + s.wh, 0) + r.open.wh;
  t.true(Math.abs(total - r.energyWh) < 1e-6, "no energy lost or doubled");
  t.true(r.warnings.includes("clock correction seen"));
});
