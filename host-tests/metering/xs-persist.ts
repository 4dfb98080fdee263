// XS entry for the power-loss test: Metering on the platform pieces main.ts uses — ModdableClock,
// ModdableScheduler and PreferenceStore over the engine's `time`, `timer` and `preference` (the NVS
// model with power-loss injection) — fed by a constant 1 kVA window (10 A at 100 V, ideal codes).
import { expose } from "../engine/xs/expose";
import { Metering } from "../../modules/metering/metering";
import type { SampleWindow, WindowSource } from "../../modules/metering/types";
import { ModdableClock } from "../../modules/platform/moddable/clock";
import { ModdableScheduler } from "../../modules/platform/moddable/scheduler";
import { PreferenceStore } from "../../modules/platform/moddable/store";
import { IDEAL_ADC } from "../../hardware/sim/adc";
import simBoard from "../../hardware/boards/sim";

let metering: Metering | undefined;

class Sine implements WindowSource {
  #window: SampleWindow;
  #clock: ModdableClock;
  constructor(clock: ModdableClock) {
    this.#clock = clock;
    const buffer = new Uint16Array(400);
    for (let k = 0; k < 400; k++) buffer[k] = Math.round((1.3 + 0.011 * 10 * Math.SQRT2 * Math.sin((2 * Math.PI * k) / 40)) / (3.3 / 65536));
    this.#window = { channels: [buffer], count: 400, startTicks: 0, durationMs: 200 };
  }
  sample(): SampleWindow {
    this.#window.startTicks = this.#clock.ticks();
    return this.#window;
  }
}

expose({
  start(persistIntervalMs: number) {
    const clock = new ModdableClock({ valid: true });
    metering = new Metering({
      clock, scheduler: new ModdableScheduler(), store: new PreferenceStore({ domain: "metering" }), log: () => undefined,
      source: new Sine(clock), adc: IDEAL_ADC, ct: [{ ...simBoard.ct[0], noiseAmps: 0 }], nominalVolts: 100, persistIntervalMs,
    });
    metering.start();
    return metering.energyWh;
  },
  energy() {
    return { wh: metering!.energyWh, persisted: metering!.energy.persistedWh, writes: metering!.energy.writes };
  },
});
