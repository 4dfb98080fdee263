// XS entry for tools/bench/metering.ts: the metering signal path on a prefilled window (ESP32 ADC model,
// 10 A at 50 Hz, sim board calibration), so the meters count metering only; plus the burst sampler's
// own loop over a trivial input, and a whole Metering step (window → reading → energy → slots).
import { expose } from "../engine/xs/expose";
import { BurstSampler } from "../../hardware/drivers/burst-sampler";
import { ConstantLoad } from "../../hardware/sim/loads";
import { Meter } from "../../modules/metering/meter";
import { Metering } from "../../modules/metering/metering";
import type { SampleWindow, WindowSource } from "../../modules/metering/types";
import { createRig } from "../hardware/support/rig";
import { MemoryStore, VirtualTime } from "../hardware/support/virtual-time";

let window: SampleWindow;
let meter: Meter;
let sampler: BurstSampler;
let metering: Metering;
let time: VirtualTime;

class Prefilled implements WindowSource {
  sample(): SampleWindow { window.startTicks = time.ticks(); return window; }
}

expose({
  setup(count: number) {
    const rig = createRig({ loads: [new ConstantLoad({ amps: 10 })] });
    const w = rig.sampler.sample();
    const copy = new Uint16Array(w.channels[0]);
    window = { channels: [copy], count, startTicks: 0, durationMs: (count / 400) * 200 };
    meter = new Meter({ adc: rig.board.adc, ct: rig.board.ct, nominalVolts: 100, capacity: 400 });
    meter.process(window);
    // the sampler's loop alone: one input that returns a constant, a clock that moves 0.25 ms a call
    let t = 0;
    sampler = new BurstSampler({ inputs: [{ read: () => 403 }], now: () => (t += 0.25), sampleRate: 2000, windowMs: 200 });
    time = new VirtualTime(Date.UTC(2026, 10, 22));
    metering = new Metering({
      clock: time, scheduler: time, store: new MemoryStore(), log: () => undefined, source: new Prefilled(),
      adc: rig.board.adc, ct: rig.board.ct, nominalVolts: 100,
    });
    return meter.reading.channels[0].amps;
  },
  empty() { return 0; },
  process(windows: number) {
    for (let i = 0; i < windows; i++) meter.process(window);
    return meter.reading.channels[0].amps;
  },
  sample(windows: number) {
    let n = 0;
    for (let i = 0; i < windows; i++) n += sampler.sample().count;
    return n;
  },
  step(windows: number) {
    for (let i = 0; i < windows; i++) {
      time.spend(1000);
      metering.step();
    }
    return metering.energyWh;
  },
});
