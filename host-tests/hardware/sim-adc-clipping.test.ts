// The ESP32 ADC model never produces codes above ≈760 (2.45 V) or below ≈47 (0.15 V) however large the
// current; the ideal model spans 16 bits. A burst is 400 samples over 200 ms of the sample clock.
import test from "ava";
import { run } from "./harness.ts";

test("sim-adc-clipping: ESP32 codes stay within 47–760", async (t) => {
  const r = await run("host-tests/hardware/xs-entry.ts", "adcRange", { adc: "esp32", amps: 150 });
  t.is(r.max, 760);
  t.is(r.min, 47);
  t.is(r.count, 400);
  t.is(r.durationMs, 200);
  const ideal = await run("host-tests/hardware/xs-entry.ts", "adcRange", { adc: "ideal", amps: 50 });
  t.true(ideal.max > 40_000 && ideal.min < 12_000, JSON.stringify(ideal));
});
