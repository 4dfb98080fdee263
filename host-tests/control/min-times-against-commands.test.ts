// Minimum on and off times hold against the signals: an event 10 s after boot sheds only once the load
// has been on for minOn (5 min, counted from boot); cancelled a minute later, the load comes back only
// after minOff (5 min); the hold-backs are logged.
import test from "ava";
import { start } from "../hardware/harness.ts";
import { controller, ENTRY, MIN, relay, simple } from "./support.ts";

test("min-times-against-commands: minOn from boot, minOff after a shed", async (t) => {
  const runner = await start(ENTRY);
  try {
    const spec = controller([relay({ minOnMs: 5 * MIN, minOffMs: 5 * MIN })]);
    const r = await runner.call("run", spec, [
      { op: "advance", ms: 10_000 },
      { op: "event", event: simple(1) },
      { op: "advance", ms: 6 * MIN },
      { op: "cancel", index: 0 },
      { op: "advance", ms: 10 * MIN },
    ]);
    t.deepEqual(r.transitions.map((x: any) => [x.on, Math.round(x.t)]), [[false, 5 * MIN], [true, 10 * MIN]]);
  } finally {
    await runner.close();
  }
});
