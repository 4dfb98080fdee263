// XS entry for the driver tests on the host engine's own `embedded:io/digital` and `embedded:io/analog`
// (simulated pins kept on the Node side, xs.pins): the drivers exactly as main.ts builds them, with
// Moddable's io classes replaced by the engine's. The sim site, when used, runs on the Node side,
// attached to xs.pins. XS only (no Node fallback).
import Analog from "embedded:io/analog";
import Digital from "embedded:io/digital";
import Time from "time";
import { expose } from "../engine/xs/expose";
import { AnalogInput } from "../../hardware/drivers/analog-input";
import { BurstSampler } from "../../hardware/drivers/burst-sampler";
import { Button } from "../../hardware/drivers/button";
import type { AnalogIo, DigitalIo } from "../../hardware/drivers/io";
import { Relay } from "../../hardware/drivers/relay";
import { Meter } from "../../modules/metering/meter";
import simBoard from "../../hardware/boards/sim";

const digital = Digital as unknown as DigitalIo;
const analog = Analog as unknown as AnalogIo;
const relays = new Map<number, Relay>();
const presses: { kind: "press" | "long"; heldMs: number }[] = [];
let sampler: BurstSampler | undefined;
let meter: Meter | undefined;

expose({
  relay(pin: number, activeLow: boolean, wiring: "on" | "off") {
    relays.set(pin, new Relay({ output: { io: digital, pin }, activeLow, loadWhenDeenergized: wiring }));
  },
  relayWrite(pin: number, on: boolean) {
    relays.get(pin)!.write(on);
    return relays.get(pin)!.energized;
  },
  relayClose(pin: number) {
    relays.get(pin)!.close();
    relays.get(pin)!.close();
  },
  button(pin: number, pull: "up" | "down", activeLevel: 0 | 1) {
    new Button({
      input: { io: digital, pin }, pull, activeLevel, ticks: () => Time.ticks,
      onPress: (heldMs) => { presses.push({ kind: "press", heldMs }); },
      onLongPress: (heldMs) => { presses.push({ kind: "long", heldMs }); },
    });
  },
  presses() { return presses.splice(0); },
  sampler(sampleRate: number, windowMs: number) {
    const inputs = simBoard.ct.map((c) => new AnalogInput({ sensor: { io: analog, pin: c.pin }, resolution: simBoard.adc.resolution }));
    sampler = new BurstSampler({ inputs, now: () => (Time.microseconds ?? Time.ticks * 1000) / 1000, sampleRate, windowMs });
    meter = new Meter({ adc: simBoard.adc, ct: simBoard.ct, nominalVolts: 100, capacity: sampler.capacity });
  },
  window() {
    const w = sampler!.sample();
    const r = meter!.process(w);
    return { count: w.count, durationMs: w.durationMs, startTicks: w.startTicks, amps: r.channels[0].amps, valid: r.valid, shortWindows: sampler!.shortWindows, ticksAfter: Time.ticks };
  },
});
