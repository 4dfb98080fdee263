// The fault matrix in CI: every row of host-tests/faults/catalog.ts with its reduced seeds (1, or 2 for
// power cuts), the whole firmware on XS against the VTN simulator and the CIOF terminal emulator. Each
// run must survive (registered, schedule right, relays right, outbox drained) with no CIOF record lost
// or duplicated and no safety violation. Two runs at a time (one XS worker each). The full matrix,
// with ≥ 100 power-cut seeds, is `npm run faults`.
import test from "ava";
import { CATALOG } from "./catalog.ts";
import { verdict } from "./checks.ts";
import { runFault } from "./runner.ts";

const JOBS = 2;
let running = 0;
const waiting: (() => void)[] = [];
async function slot<T>(f: () => Promise<T>): Promise<T> {
  if (running >= JOBS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await f();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

for (const def of CATALOG) {
  test(`${def.group}: ${def.name}`, async (t) => {
    t.timeout(10 * 60_000);
    for (let seed = 1; seed <= (def.reducedSeeds ?? 1); seed++) {
      const v = verdict(def, await slot(() => runFault(def, seed)));
      t.true(v.survived, `seed ${seed}: ${v.failures.join(" | ")}`);
      t.is(v.lost, 0, `seed ${seed}: records lost`);
      t.is(v.duplicated, 0, `seed ${seed}: records duplicated`);
      t.is(v.safetyViolations, 0, `seed ${seed}: safety violations`);
      t.log(`seed ${seed}: ${v.wallSeconds} s${v.reboots ? `, ${v.reboots} reboots` : ""}${v.notes.length ? "; " + v.notes.slice(0, 2).join("; ") : ""}`);
    }
  });
}
