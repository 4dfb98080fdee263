// Generic ESP32 DevKitC (WROOM-32) with a 2-channel opto-isolated relay module (active-low inputs,
// loads on the normally-closed contacts: fail-normal) and two SCT-013-000 CTs (100 A : 50 mA, 2,000
// turns) with 22 Ω burdens on the two legs of a Japanese single-phase three-wire service (100 V each
// to neutral), biased at ≈1.3 V by a 10 kΩ / 6.8 kΩ divider with 10 µF to ground. No voltage sensor:
// power is apparent (VA) from the nominal 100 V, readingType "Estimated". 50 Hz (eastern Japan):
// for western Japan set mains.frequencyHz to 60 in a copy of this file (or override it in main.ts).
//
// Wiring (see hardware/README.md): relay IN1 → GPIO26, IN2 → GPIO27, relay VCC 5 V, JD-VCC jumper
// kept; override button GPIO4 to GND (internal pull-up); status LED GPIO22 → 330 Ω → LED → GND;
// CT L1 → GPIO36 (VP), CT L2 → GPIO39 (VN), both ADC1 (ADC2 stops working while Wi-Fi is on).

import type { BoardDefinition } from "../board";

const board: BoardDefinition = Object.freeze({
  name: "esp32-devkitc",
  chip: "esp32",
  relays: Object.freeze([
    Object.freeze({ id: "relay1", pin: 26, activeLow: true, loadWhenDeenergized: "on", resourceID: "load1", label: "heat pump / air conditioner" }),
    Object.freeze({ id: "relay2", pin: 27, activeLow: true, loadWhenDeenergized: "on", resourceID: "load2", label: "water heater element" }),
  ]),
  button: Object.freeze({ pin: 4, pull: "up", activeLevel: 0 }),
  statusLed: Object.freeze({ pin: 22, activeLow: false }),
  // Moddable reads one-shot ADC1 at 11 dB and scales to 10 bits over 3.3 V; the usable input window
  // at 11 dB is 0.15–2.45 V (codes above ≈760 never occur).
  adc: Object.freeze({ resolution: 10, referenceVolts: 3.3, attenuationDb: 11, minVolts: 0.15, maxVolts: 2.45 }),
  ct: Object.freeze([
    Object.freeze({ id: "ct1", pin: 36, turns: 2000, burdenOhms: 22, biasVolts: 1.3, gainTrim: 1, noiseAmps: 0.2, deadbandAmps: 0.15 }),
    Object.freeze({ id: "ct2", pin: 39, turns: 2000, burdenOhms: 22, biasVolts: 1.3, gainTrim: 1, noiseAmps: 0.2, deadbandAmps: 0.15 }),
  ]),
  mains: Object.freeze({ nominalVolts: 100, frequencyHz: 50 }),
  sampling: Object.freeze({ sampleRate: 2000, windowMs: 200 }),
});

export default board;
