// Property (fast-check): under arbitrary sequences of events, overrides, reboots, clock jumps and
// injected faults, with arbitrary relay settings, no relay ever violates its minimum on/off time, its
// maximum shed, the restore spacing, the boot delay, fail-normal or the override rules — checked at the
// pins, in true time, by host-tests/control/invariants.ts. Runs on XS: one engine, one call per run.
import test from "ava";
import fc from "fast-check";
import { start } from "../hardware/harness.ts";
import { command, controllerSpec } from "./arbitraries.ts";
import { violations, type RunResult } from "./invariants.ts";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);
const SETTLE_MS = 8 * 3_600_000;

test("relay-safety-property: min on/off, max shed, spacing, boot delay, fail-normal, override hold", async (t) => {
  const runner = await start("host-tests/control/xs-entry.ts");
  const t0 = Date.now();
  let switches = 0;
  try {
    await fc.assert(
      fc.asyncProperty(controllerSpec, fc.array(command, { minLength: 5, maxLength: 50 }), async (spec, commands) => {
        const r = await runner.call<RunResult>("run", spec, commands, SETTLE_MS, false);
        switches += r.transitions.length;
        const found = violations(spec, commands, r);
        if (found.length) t.log(JSON.stringify({ spec, commands }), found);
        return found.length === 0;
      }),
      { numRuns: RUNS, seed: Number(process.env.PROPERTY_SEED ?? 20261122), endOnFailure: false },
    );
  } finally {
    await runner.close();
  }
  t.log(`${RUNS} runs, ${switches} relay switches checked, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  t.true(switches > RUNS, "the runs actually switched relays");
});
