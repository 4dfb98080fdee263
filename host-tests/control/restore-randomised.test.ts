// After an event ends, each unit restores after a random delay in [0, restoreRandomMs] (cold-load
// pickup): never before the end, never later than the window, different across units.
import test from "ava";
import { start } from "../hardware/harness.ts";
import { controller, ENTRY, MIN, relay, simple } from "./support.ts";

test("restore-randomised: delay uniform in [0, 10 min] after the event end", async (t) => {
  const runner = await start(ENTRY);
  try {
    const delays: number[] = [];
    for (let seed = 1; seed <= 12; seed++) {
      const r = await runner.call("run", controller([relay({ restoreRandomMs: 10 * MIN })], { seed }), [
        { op: "event", event: simple(1, { durationMs: 30 * MIN }) },
        { op: "advance", ms: 60 * MIN },
      ]);
      const on = r.transitions.find((x: any) => x.on);
      t.truthy(on, `seed ${seed}: restored`);
      const delay = on.t - 30 * MIN;
      t.true(delay >= 0 && delay <= 10 * MIN, `seed ${seed}: restore ${delay} ms after the end`);
      t.true(r.log.some((l: any) => l.message === "load on" && l.fields.includes('"reason":"eventEnd"')));
      delays.push(delay);
    }
    t.true(new Set(delays.map(Math.round)).size >= 10, delays.map((d) => Math.round(d / 1000) + "s").join(" "));
    t.true(Math.max(...delays) - Math.min(...delays) > 3 * MIN, "spread over the window");
  } finally {
    await runner.close();
  }
});
