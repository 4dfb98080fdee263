// The energy counter survives power losses: after each loss it restarts from the last persisted value
// (never backwards), losing at most one persist interval of energy; writes stay bounded.
import test from "ava";
import { run } from "../hardware/harness.ts";

test("energy-reboot: counter resumes from the store, loss ≤ one persist interval", async (t) => {
  const persistIntervalMs = 300_000;
  const r = await run("host-tests/metering/xs-entry.ts", "reboot", { lossesAt: [1_000_000, 2_700_000, 2_710_000, 6_000_000], runMs: 7_200_000, amps: 10, persistIntervalMs });
  const lossBound = (r.watts * persistIntervalMs) / 3_600_000 + 1; // Wh in one interval (+ one window)
  let previous = 0;
  for (const step of r.trace) {
    t.true(step.after >= previous, "never backwards");
    t.true(Math.abs(step.after - step.persisted) < 0.001, "restarts from the persisted value");
    t.true(step.before - step.after <= lossBound, `lost ${(step.before - step.after).toFixed(2)} Wh ≤ ${lossBound.toFixed(2)}`);
    previous = step.after;
  }
  t.true(r.final > r.trace[r.trace.length - 1].after);
  t.true(r.writes <= 7_200_000 / persistIntervalMs + 2, `${r.writes} writes in 2 h`);
  t.log(r.trace.map((s: any) => `${s.at / 1000}s: ${s.before.toFixed(2)} → ${s.after.toFixed(2)} Wh`).join("; "));
});
