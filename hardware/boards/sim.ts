// The simulated board for host tests, `npm run sim` and mcsim: the DevKitC's pin numbering with one
// SCT-013-000 on the whole site (22 Ω burden, 1.3 V bias) read through the ESP32 ADC model
// (10 bits over 3.3 V, usable 0.15–2.45 V), two relays (active-low, fail-normal wiring), 100 V 50 Hz.
// hardware/sim/ attaches the load model (compressor on relay1, heater on relay2, a base load) to
// these pins through the host engine's sim-pins registry.

import type { BoardDefinition } from "../board";

const board: BoardDefinition = Object.freeze({
  name: "sim",
  chip: "sim",
  relays: Object.freeze([
    Object.freeze({ id: "relay1", pin: 26, activeLow: true, loadWhenDeenergized: "on", resourceID: "load1", label: "compressor" }),
    Object.freeze({ id: "relay2", pin: 27, activeLow: true, loadWhenDeenergized: "on", resourceID: "load2", label: "heater" }),
  ]),
  button: Object.freeze({ pin: 4, pull: "up", activeLevel: 0 }),
  statusLed: Object.freeze({ pin: 22, activeLow: false }),
  adc: Object.freeze({ resolution: 10, referenceVolts: 3.3, attenuationDb: 11, minVolts: 0.15, maxVolts: 2.45 }),
  ct: Object.freeze([
    Object.freeze({ id: "ct1", pin: 36, turns: 2000, burdenOhms: 22, biasVolts: 1.3, gainTrim: 1, noiseAmps: 0.2, deadbandAmps: 0.15 }),
  ]),
  mains: Object.freeze({ nominalVolts: 100, frequencyHz: 50 }),
  sampling: Object.freeze({ sampleRate: 2000, windowMs: 200 }),
});

export default board;
