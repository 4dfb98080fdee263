// The sim loads follow their relays through the pins: compressor inrush in the first window, heater and
// compressor currents adding as phasors, the current falling as relays open; the compressor counts
// short cycles (cut before its minimum run, restarted before its minimum off) and none when both
// minimums are respected.
import test from "ava";
import { run } from "./harness.ts";

test("sim-loads-respond-to-relays: currents follow the relays, short cycles counted", async (t) => {
  const r = await run("host-tests/hardware/xs-entry.ts", "loads");
  const both = Math.hypot(8 * 0.85 + 12, 8 * Math.sin(Math.acos(0.85)));
  t.true(r.inrush > 15 + 8, `inrush window ${r.inrush} A`);
  t.true(Math.abs(r.both - both) < 0.2, `both ${r.both} vs ${both}`);
  t.true(Math.abs(r.compressorOnly - 8) < 0.1, `compressor ${r.compressorOnly}`);
  t.is(r.none, 0);
  t.is(r.shortCyclesAfterCut, 1);
  t.is(r.shortCyclesAfterRestore, 2);
  t.is(r.shortCyclesFinal, 2);
});
