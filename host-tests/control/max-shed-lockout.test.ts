// An open-ended event: the load is shed for at most maxShed (1 h), then restored (reason "maxShed") and
// not shed again during the lockout (30 min); after it, the still-active event sheds again.
import test from "ava";
import { run } from "../hardware/harness.ts";
import { controller, ENTRY, MIN, relay, simple } from "./support.ts";

test("max-shed-lockout: 1 h shed, 30 min lockout, shed again", async (t) => {
  const r = await run(ENTRY, "run", controller([relay({ maxShedMs: 60 * MIN, shedLockoutMs: 30 * MIN })]), [
    { op: "event", event: simple(2) },
    { op: "advance", ms: 3 * 60 * MIN },
  ]);
  t.deepEqual(r.transitions.map((x: any) => [x.on, Math.round(x.t)]).slice(0, 4), [[false, 0], [true, 60 * MIN], [false, 90 * MIN], [true, 150 * MIN]]);
  t.true(r.log.some((l: any) => l.message === "load on" && l.fields.includes('"reason":"maxShed"')));
});
