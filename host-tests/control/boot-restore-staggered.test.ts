// After boot, relays whose loads are off (normally-open wiring, i.e. held off while the controller was
// dead) are restored one at a time, ≥ the spacing apart, after a random delay within the configured
// range; the delay differs between units (seeds). Fail-normal-wired relays are not switched at boot.
import test from "ava";
import { start } from "../hardware/harness.ts";
import { controller, ENTRY, relay } from "./support.ts";

test("boot-restore-staggered: one at a time, ≥ 2 s apart, after a random 5–30 s delay", async (t) => {
  const runner = await start(ENTRY);
  try {
    const firsts: number[] = [];
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const spec = controller([relay({ wiring: "off" }), relay({ wiring: "off" }), relay({ wiring: "off" })], { bootDelayMinMs: 5_000, bootDelayMaxMs: 30_000, restoreSpacingMs: 2_000, seed });
      const r = await runner.call("run", spec, [{ op: "advance", ms: 120_000 }]);
      const on = r.transitions.filter((x: any) => x.on).map((x: any) => x.t);
      t.is(on.length, 3, `seed ${seed}: every relay restored`);
      t.true(on[0] >= 5_000 && on[0] <= 30_000, `seed ${seed}: first restore at ${on[0]} ms`);
      t.true(on[1] - on[0] >= 2_000 && on[2] - on[1] >= 2_000, `seed ${seed}: spacing ${on[1] - on[0]}, ${on[2] - on[1]}`);
      t.deepEqual(r.transitions.map((x: any) => x.relay), [0, 1, 2]);
      t.true(r.log.some((l: any) => l.message === "load on" && l.fields.includes('"reason":"boot"')));
      firsts.push(on[0]);
    }
    t.true(new Set(firsts.map((x) => Math.round(x))).size >= 5, `delays differ between seeds: ${firsts.map((x) => Math.round(x)).join(", ")}`);
    // Minimum off time from boot still holds, and the spacing with it.
    const held = await runner.call("run", controller([relay({ wiring: "off", minOffMs: 60_000 }), relay({ wiring: "off", minOffMs: 60_000 })], { bootDelayMinMs: 5_000, bootDelayMaxMs: 10_000, restoreSpacingMs: 2_000 }), [{ op: "advance", ms: 120_000 }]);
    const on = held.transitions.map((x: any) => x.t);
    t.true(on[0] >= 60_000 && on[1] - on[0] >= 2_000, `min off then spacing: ${on.join(", ")}`);
    // Fail-normal wiring: loads already on, nothing to switch.
    const nc = await runner.call("run", controller([relay(), relay()], { bootDelayMinMs: 5_000, bootDelayMaxMs: 30_000 }), [{ op: "advance", ms: 120_000 }]);
    t.deepEqual(nc.transitions, []);
    t.is(nc.status.mode, "normal");
    t.true(nc.status.relays.every((x: any) => x.released && x.loadOn));
  } finally {
    await runner.close();
  }
});
