// An ADC that returns one code (stuck): after three flat windows the channel is "stuck", invalid.
import test from "ava";
import { run } from "../hardware/harness.ts";

test("ct-fault-stuck: identical codes → stuck, invalid", async (t) => {
  const r = await run("host-tests/metering/xs-entry.ts", "fault", { fault: "stuck", amps: 10 });
  t.is(r.during.channel, "stuck");
  t.false(r.during.valid);
  t.is(r.during.amps, 0);
  t.true(r.healths.some((h: string) => h.startsWith("fault:stuck")), r.healths.join(" "));
  t.true(r.after.valid);
});
