// 90 A on a channel that clips at ≈74 A (22 Ω burden, 1.15 V headroom): the window is "overrange", the
// reading invalid (and low: clipped peaks), health degraded to fault for the only channel.
import test from "ava";
import { run } from "../hardware/harness.ts";

test("ct-overrange: clipping flagged, reading invalid", async (t) => {
  const r = await run("host-tests/metering/xs-entry.ts", "fault", { fault: "overrange", amps: 90 });
  t.false(r.during.valid);
  t.is(r.during.channel, "overrange");
  t.true(r.during.amps < 90 && r.during.amps > 60, `${r.during.amps} A`);
});
