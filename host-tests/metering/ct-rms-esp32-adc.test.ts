// The same sinusoids through the ESP32 ADC model (10 bits over 3.3 V, usable 0.15–2.45 V, 2 mV noise),
// 50 and 60 Hz, after commissioning the noise floor: the documented error (hardware/README.md).
// Bounds: mean of 10 windows within 1 % from 1 A and 2 % at 0.3–0.5 A; single windows within 2.5 % from
// 1 A and 0.6 % from 5 A.
import test from "ava";
import { run } from "../hardware/harness.ts";

const AMPS = [0.3, 0.5, 1, 2, 5, 10, 20, 50, 70];

for (const frequencyHz of [50, 60]) {
  test(`ct-rms-esp32-adc: ${frequencyHz} Hz, error within the documented bounds`, async (t) => {
    const results = await run("host-tests/metering/xs-entry.ts", "rms", { adc: "esp32", frequencyHz, amps: AMPS, windows: 10, biasVolts: 1.3, noiseVolts: 0.002 });
    for (const r of results) {
      const mean = r.mean / r.truth - 1;
      const worst = Math.max(Math.abs(r.min / r.truth - 1), Math.abs(r.max / r.truth - 1));
      t.true(Math.abs(mean) < (r.truth < 1 ? 0.02 : 0.01), `${r.truth} A: mean error ${(mean * 100).toFixed(2)} %`);
      if (r.truth >= 1) t.true(worst < (r.truth >= 5 ? 0.006 : 0.025), `${r.truth} A: worst window ${(worst * 100).toFixed(2)} %`);
      t.log(`${r.truth} A: mean ${(mean * 100).toFixed(2)} %, worst window ${(worst * 100).toFixed(2)} %`);
    }
    t.log(`noise floor found at commissioning: ${results[0].noiseAmps.toFixed(3)} A`);
  });
}
