// Durations run on the monotonic clock; the wall clock only says what is in force. An event that
// starts at 10:00 wall time is obeyed as soon as a correction moves the clock past 10:00, and its
// minimum times are not shortened by a correction.
import test from "ava";
import { run } from "../hardware/harness.ts";
import { controller, ENTRY, MIN, relay } from "./support.ts";

test("clock-correction-reevaluates: a forward jump into an event sheds at once; minimum off kept", async (t) => {
  const r = await run(ENTRY, "run", controller([relay({ minOffMs: 10 * MIN })]), [
    { op: "event", event: { startIn: 60 * MIN, durationMs: 30 * MIN, signalName: "SIMPLE", value: 1 } },
    { op: "advance", ms: 5_000 },
    { op: "clock", jumpMs: 59 * MIN },   // now 1 min before the start... 
    { op: "clock", jumpMs: 2 * MIN },    // ...now 1 min into it
    { op: "advance", ms: 1_000 },
    { op: "clock", jumpMs: 40 * MIN },   // past the end: restore wanted, but min off (10 min) holds
    { op: "advance", ms: 20 * MIN },
  ]);
  t.deepEqual(r.transitions.map((x: any) => [x.on, Math.round(x.t)]), [[false, 5_000], [true, 5_000 + 10 * MIN]]);
});
