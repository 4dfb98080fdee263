// LOAD_DISPATCH setpoint (site kW) below the relay's threshold (2 kW) sheds; a delta signal does not
// match a setpoint rule.
import test from "ava";
import { run } from "../hardware/harness.ts";
import { ENTRY } from "./support.ts";

test("shed-load-dispatch-setpoint: setpoint < 2 kW sheds", async (t) => {
  const dispatch = (signalType: string, value: number) => ({ startIn: 0, durationMs: -1, signalName: "LOAD_DISPATCH", signalType, value });
  const r = await run(ENTRY, "rules", [
    { rules: "setpoint2", events: [dispatch("setpoint", 1.5)] },
    { rules: "setpoint2", events: [dispatch("setpoint", 3)] },
    { rules: "setpoint2", events: [dispatch("delta", -5)] },
  ]);
  t.deepEqual(r.map((x: any) => x.shed), [true, false, false]);
});
