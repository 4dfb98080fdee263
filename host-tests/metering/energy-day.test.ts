// A simulated day of the sim site (compressor cycling on its thermostat with inrush, a heater switched
// on a 40/80-minute schedule, a base load stepping at random) through pins → AnalogInput → BurstSampler
// → Metering with the ESP32 ADC model: the energy counter is within 0.5 % of the exact integral, and
// the 30-minute slots add up to the counter. Windows every 10 s keep the XS run near 25 s.
import test from "ava";
import { run } from "../hardware/harness.ts";

test("energy-day: metered energy within 0.5 % of the exact integral over 24 h", async (t) => {
  const r = await run("host-tests/metering/xs-entry.ts", "day", { seed: 7, hours: 24, intervalMs: 10_000, adc: "esp32" });
  const error = r.meteredWh / r.truthVAh - 1;
  t.log(`metered ${r.meteredWh.toFixed(1)} VAh, exact ${r.truthVAh.toFixed(1)} VAh, error ${(error * 100).toFixed(3)} %, ${r.windows} windows, ${r.compressorStarts} compressor starts`);
  t.true(Math.abs(error) < 0.005);
  t.true(r.spanHours > 23.9);
  t.true(r.compressorStarts > 50, "the compressor cycled");
  t.is(r.slots, 48, "48 slots closed");
  t.true(Math.abs(r.slotSumWh - r.meteredWh) < 1e-6 * r.meteredWh + 1e-6, "slots add up to the counter");
  t.deepEqual(r.errors, []);
});
