// The sim board plugged into the engine's sim-pins registry (xs.pins, Node side): the firmware's drivers
// on the engine's embedded:io/* read the sim site's CT through the ADC model and switch its loads.
// At 2,000 reads/s a burst takes 400 samples over 200 ms of virtual time; at ≈1,000 reads/s (ESP32
// one-shot reads with Wi-Fi on) it takes 200 in the same 200 ms and still reads the right current.
import test from "ava";
import { XsHost } from "../engine/index.ts";
import { onNode } from "./harness.ts";
import simBoard from "../../hardware/boards/sim.ts";
import { SimSite } from "../../hardware/sim/site.ts";
import { BaseLoad, Heater } from "../../hardware/sim/loads.ts";

test("sim-board-engine-pins: drivers on the engine's io read and switch the sim site", async (t) => {
  if (onNode) return t.pass("XS only");
  const xs = await XsHost.start({ entry: "host-tests/hardware/xs-engine-io.ts" });
  try {
    const heater = new Heater({ relay: "relay2", watts: 1200, volts: 100 });
    const base = new BaseLoad({ random: () => 0.5, minAmps: 2, maxAmps: 2, stepMs: 1e12 });
    new SimSite({ board: simBoard, pins: xs.pins, ticks: () => xs.ticks, loads: [base, heater], seed: 5 });
    const hypot = (a: number) => Math.hypot(a + 2 * 0.95, 2 * Math.sin(Math.acos(0.95)));
    xs.pins.analogReadUs = 500; // 2,000 reads/s
    await xs.call("sampler", 2000, 200);
    await xs.call("relay", simBoard.relays[1].pin, true, "on");
    await xs.advance(1000);
    const w1 = await xs.call("window");
    t.is(w1.count, 400);
    t.true(Math.abs(w1.durationMs - 200) < 1, `duration ${w1.durationMs}`);
    t.true(w1.ticksAfter - w1.startTicks >= 199, "virtual time moved through the burst");
    t.true(Math.abs(w1.amps - hypot(12)) < 0.1, `heater + base ${w1.amps} vs ${hypot(12)}`);
    await xs.call("relayWrite", simBoard.relays[1].pin, false);
    await xs.advance(1000);
    const w2 = await xs.call("window");
    t.true(Math.abs(w2.amps - 2) < 0.1, `base only ${w2.amps}`);
    xs.pins.analogReadUs = 1000; // ≈1,000 reads/s
    await xs.call("relayWrite", simBoard.relays[1].pin, true);
    await xs.advance(1000);
    const w3 = await xs.call("window");
    t.true(w3.count >= 199 && w3.count <= 201, `slow ADC: ${w3.count} samples`);
    t.true(Math.abs(w3.durationMs - 200) < 2);
    t.true(w3.shortWindows >= 1);
    t.true(Math.abs(w3.amps - hypot(12)) < 0.15, `slow ADC reading ${w3.amps}`);
  } finally {
    await xs.close();
  }
});
