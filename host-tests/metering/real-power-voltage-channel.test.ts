// With a voltage channel (transformer module, 250:1, biased at 1.3 V) readings are real power: 10 A at
// PF 0.8 on 101 V gives W within 1 % and Vrms within 1 %, and the reading is not "Estimated".
import test from "ava";
import { run } from "../hardware/harness.ts";

for (const frequencyHz of [50, 60]) {
  test(`real-power-voltage-channel: ${frequencyHz} Hz, PF 0.8`, async (t) => {
    const r = await run("host-tests/metering/xs-entry.ts", "realPower", { amps: 10, powerFactor: 0.8, volts: 101, frequencyHz });
    t.false(r.estimated);
    t.true(Math.abs(r.volts / 101 - 1) < 0.01, `Vrms ${r.volts}`);
    t.true(Math.abs(r.watts / r.truthWatts - 1) < 0.01, `W ${r.watts} vs ${r.truthWatts}`);
    t.true(Math.abs(r.voltAmps / r.truthVoltAmps - 1) < 0.01, `VA ${r.voltAmps} vs ${r.truthVoltAmps}`);
    t.log(`W error ${((r.watts / r.truthWatts - 1) * 100).toFixed(2)} % (V then I conversions 0.25 ms apart: ${(frequencyHz * 0.25e-3 * 360).toFixed(1)}° skew)`);
  });
}
