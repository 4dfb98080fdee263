// A CT unplugged from its jack while the bias network stays: indistinguishable from no current (a known
// limit, stated in hardware/README.md): the channel stays valid and reads 0 A through the dead-band.
import test from "ava";
import { run } from "../hardware/harness.ts";

test("ct-disconnected-reads-zero: unplugged CT reads 0 A (documented limit)", async (t) => {
  const r = await run("host-tests/metering/xs-entry.ts", "fault", { fault: "disconnected", amps: 10 });
  t.is(r.during.amps, 0);
  t.true(r.during.valid);
});
