// Known 50 Hz sinusoids, bias 50 mV off the board's nominal 1.3 V, 2 mV RMS noise, ideal 16-bit ADC:
// Irms within 1 % of truth (mean of 10 windows from 0.5 A; every single window from 5 A).
import test from "ava";
import { run } from "../hardware/harness.ts";

const AMPS = [0.5, 1, 2, 5, 10, 20, 50, 70];

test("ct-rms-50hz: ideal ADC, Irms within 1 % of truth", async (t) => {
  const results = await run("host-tests/metering/xs-entry.ts", "rms", { adc: "ideal", frequencyHz: 50, amps: AMPS, windows: 10, biasVolts: 1.25, noiseVolts: 0.002 });
  for (const r of results) {
    t.is(r.count, 400, "200 ms at 2,000 samples/s");
    const error = r.mean / r.truth - 1;
    t.true(Math.abs(error) < 0.01, `${r.truth} A: mean error ${(error * 100).toFixed(3)} %`);
    if (r.truth >= 5) {
      t.true(Math.abs(r.min / r.truth - 1) < 0.01 && Math.abs(r.max / r.truth - 1) < 0.01, `${r.truth} A: window range ${r.min}…${r.max}`);
    }
    t.log(`${r.truth} A: mean ${(error * 100).toFixed(3)} %, windows ${((r.min / r.truth - 1) * 100).toFixed(2)}…${((r.max / r.truth - 1) * 100).toFixed(2)} %`);
  }
});
