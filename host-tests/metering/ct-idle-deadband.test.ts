// No current, ESP32 ADC noise (2 mV + quantisation ≈ 0.2 A at the primary): after the noise-floor
// subtraction and the 0.15 A dead-band every window reads exactly 0 A.
import test from "ava";
import { run } from "../hardware/harness.ts";

test("ct-idle-deadband: idle noise reads 0 A", async (t) => {
  const r = await run("host-tests/metering/xs-entry.ts", "idle", { windows: 30 });
  t.true(r.raw.every((a: number) => a > 0.1 && a < 0.35), `raw idle noise ${Math.min(...r.raw).toFixed(3)}…${Math.max(...r.raw).toFixed(3)} A`);
  t.true(r.readings.every((a: number) => a === 0));
});
