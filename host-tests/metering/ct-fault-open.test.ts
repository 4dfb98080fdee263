// A CT input whose bias network opens (input at ground): the channel reads as "rail", values are marked
// invalid and not counted, metering health is "fault"; it recovers after the fault clears.
import test from "ava";
import { run } from "../hardware/harness.ts";

test("ct-fault-open: rail fault → invalid, health fault, recovers", async (t) => {
  const r = await run("host-tests/metering/xs-entry.ts", "fault", { fault: "open", amps: 10 });
  t.true(r.before.valid && r.before.health === "ok" && Math.abs(r.before.amps - 10) < 0.2);
  t.false(r.during.valid);
  t.is(r.during.channel, "rail");
  t.is(r.during.health, "fault");
  t.is(r.during.amps, 0);
  t.true(r.after.valid && r.after.health === "ok" && Math.abs(r.after.amps - 10) < 0.2, JSON.stringify(r.after));
});
