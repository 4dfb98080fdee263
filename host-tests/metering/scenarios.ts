// XS-side metering scenarios, exposed to the ava tests by xs-entry.ts (and importable on Node for a
// quick run with FIELD_IO_ON_NODE=1). Each returns plain JSON. Not firmware.

import { Meter } from "../../modules/metering/meter";
import { Metering } from "../../modules/metering/metering";
import type { SlotRecord, WindowSource, SampleWindow } from "../../modules/metering/types";
import { ESP32_ADC, IDEAL_ADC } from "../../hardware/sim/adc";
import { BaseLoad, Compressor, ConstantLoad } from "../../hardware/sim/loads";
import { createRig, DEFAULT_WALL } from "../hardware/support/rig";
import { MemoryStore, memoryLog, VirtualTime, type LogLine } from "../hardware/support/virtual-time";
import simBoard from "../../hardware/boards/sim";

type AdcName = "ideal" | "esp32";

export interface RmsCase {
  adc: AdcName;
  frequencyHz: 50 | 60;
  amps: number[];
  noiseVolts?: number;
  /** Actual bias volts of the input (the board says 1.3; the filter must find the real one). */
  biasVolts?: number;
  windows?: number;
  powerFactor?: number;
  seed?: number;
  /** Measure the idle noise floor first and subtract it (default true). */
  commission?: boolean;
}

/** Commissioning: the RMS the input reads with no current (noise + quantisation), in amps. */
function commission(c: RmsCase): number {
  const nominal = simBoard.ct[0];
  const board = { ...simBoard, ct: [{ ...nominal, biasVolts: c.biasVolts ?? nominal.biasVolts }] };
  const rig = createRig({ board, adc: c.adc === "ideal" ? IDEAL_ADC : ESP32_ADC, loads: [new ConstantLoad({ amps: 0 })], noiseVolts: c.noiseVolts, frequencyHz: c.frequencyHz, seed: (c.seed ?? 1) + 1000 });
  const meter = new Meter({ adc: rig.board.adc, ct: [{ ...nominal, noiseAmps: 0, deadbandAmps: 0 }], nominalVolts: 100, capacity: rig.sampler.capacity });
  let squares = 0;
  const windows = 20;
  for (let w = 0; w < windows; w++) {
    const a = meter.process(rig.sampler.sample()).channels[0].amps;
    if (w >= 2) squares += a * a;
    rig.time.advance(1000);
  }
  return Math.sqrt(squares / (windows - 2));
}

/** Known sinusoids through the ADC model → Irms per window (mean, min, max over `windows`), after a
 *  commissioning step that measures the idle noise floor the way an installer would. */
function rms(c: RmsCase) {
  const out: { truth: number; mean: number; min: number; max: number; count: number; noiseAmps: number }[] = [];
  const noiseAmps = c.commission === false ? 0 : commission(c);
  for (const amps of c.amps) {
    const load = new ConstantLoad({ amps, powerFactor: c.powerFactor });
    const nominal = simBoard.ct[0];
    // The site's real bias may differ from the board's nominal one: the filter has to find it.
    const board = { ...simBoard, ct: [{ ...nominal, biasVolts: c.biasVolts ?? nominal.biasVolts }] };
    const rig = createRig({ board, adc: c.adc === "ideal" ? IDEAL_ADC : ESP32_ADC, loads: [load], noiseVolts: c.noiseVolts, frequencyHz: c.frequencyHz, seed: c.seed });
    const meter = new Meter({ adc: rig.board.adc, ct: [{ ...nominal, noiseAmps, deadbandAmps: 0 }], nominalVolts: 100, capacity: rig.sampler.capacity });
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    let count = 0;
    const windows = c.windows ?? 10;
    for (let w = 0; w < windows; w++) {
      const window = rig.sampler.sample();
      count = window.count;
      const a = meter.process(window).channels[0].amps;
      sum += a;
      if (a < min) min = a;
      if (a > max) max = a;
      rig.time.advance(1000);
    }
    out.push({ truth: amps, mean: sum / windows, min, max, count, noiseAmps });
  }
  return out;
}

export interface DayCase {
  seed: number;
  hours: number;
  intervalMs: number;
  adc?: AdcName;
}

/** A simulated day of the default site (compressor, heater on a schedule, base load) through the full
 *  chain: pins → AnalogInput → BurstSampler → Metering (energy counter, slots). */
function day(c: DayCase) {
  const rig = createRig({ seed: c.seed, adc: c.adc === "ideal" ? IDEAL_ADC : undefined });
  const store = new MemoryStore();
  const lines: LogLine[] = [];
  let first: { ticks: number; truth: number } | undefined;
  let last: { ticks: number; truth: number; wh: number } | undefined;
  const slots: SlotRecord[] = [];
  const metering: Metering = new Metering({
    clock: rig.time, scheduler: rig.time, store, log: memoryLog(lines), source: rig.sampler,
    adc: rig.board.adc, ct: rig.board.ct, nominalVolts: rig.board.mains.nominalVolts,
    windowCapacity: rig.sampler.capacity, intervalMs: c.intervalMs,
    onReading(reading) {
      const model = rig.site.model;
      model.advance(reading.ticks);
      if (!first) {
        model.resetTruth();
        first = { ticks: reading.ticks, truth: 0 };
      }
      last = { ticks: reading.ticks, truth: model.truthVAh, wh: metering.energyWh };
    },
    onSlot(slot) { slots.push(slot); },
  });
  // heater (relay2) on a schedule: on 40 min, off 80 min; relay1 (compressor) always supplied
  let heaterOn = true;
  const toggle = () => {
    heaterOn = !heaterOn;
    rig.site.model.supply("relay2", heaterOn, rig.time.ticks());
    rig.time.set(toggle, heaterOn ? 2_400_000 : 4_800_000);
  };
  rig.time.set(toggle, 1_234_567);
  metering.start();
  rig.time.advance(c.hours * 3_600_000);
  metering.close();
  const compressor = rig.site.model.loads.find((l) => l instanceof Compressor) as Compressor;
  return {
    meteredWh: last!.wh, truthVAh: last!.truth, windows: metering.windows,
    spanHours: (last!.ticks - first!.ticks) / 3_600_000,
    compressorStarts: compressor.starts,
    slots: slots.length, validSlots: slots.filter((s) => s.valid).length,
    slotSumWh: slots.reduce((a, s) => a + s.wh, 0),
    errors: rig.time.errors, log: lines.filter((l) => l.level === "error").length,
  };
}

/** A window source with an exact sinusoid (16-bit ideal codes), constant power: for slot arithmetic. */
class ExactSine implements WindowSource {
  window: SampleWindow;
  constructor(private time: VirtualTime, amps: number) {
    const n = 400;
    const buffer = new Uint16Array(n);
    const step = 3.3 / 65536;
    const voltsPerAmp = 22 / 2000;
    for (let k = 0; k < n; k++) buffer[k] = Math.round((1.3 + voltsPerAmp * amps * Math.SQRT2 * Math.sin((2 * Math.PI * 50 * k) / 2000)) / step);
    this.window = { channels: [buffer], count: n, startTicks: 0, durationMs: 200 };
  }
  sample(): SampleWindow {
    this.window.startTicks = this.time.ticks();
    return this.window;
  }
}

export interface SlotCase {
  /** Wall start (ms since epoch) */
  start: number;
  /** Run length, ms */
  runMs: number;
  amps: number;
  /** Clock corrections: at run offset `atMs`, the wall clock jumps by `jumpMs`. */
  corrections?: { atMs: number; jumpMs: number }[];
  utcOffsetMinutes?: number;
}

function slotRun(c: SlotCase) {
  const time = new VirtualTime(c.start);
  const store = new MemoryStore();
  const lines: LogLine[] = [];
  const slots: SlotRecord[] = [];
  const metering = new Metering({
    clock: time, scheduler: time, store, log: memoryLog(lines), source: new ExactSine(time, c.amps),
    adc: IDEAL_ADC, ct: [{ ...simBoard.ct[0], deadbandAmps: 0 }], nominalVolts: 100, utcOffsetMinutes: c.utcOffsetMinutes,
    onSlot(slot) { slots.push(slot); },
  });
  for (const k of c.corrections ?? []) time.set(() => time.setWall(time.now() + k.jumpMs), k.atMs);
  metering.start();
  time.advance(c.runMs);
  const open = metering.slots.current();
  return {
    slots, open: open ?? null, energyWh: metering.energyWh,
    watts: metering.reading.watts,
    warnings: lines.filter((l) => l.level === "warn").map((l) => l.message),
  };
}

export interface RebootCase {
  /** Power losses at these run offsets (ms). */
  lossesAt: number[];
  runMs: number;
  amps: number;
  persistIntervalMs: number;
}

/** Energy counter across power losses: each loss builds a new Metering on the same store. */
function reboot(c: RebootCase) {
  const store = new MemoryStore();
  const lines: LogLine[] = [];
  const time = new VirtualTime(DEFAULT_WALL);
  const build = () => new Metering({
    clock: time, scheduler: time, store, log: memoryLog(lines), source: new ExactSine(time, c.amps),
    adc: IDEAL_ADC, ct: [{ ...simBoard.ct[0], deadbandAmps: 0 }], nominalVolts: 100, persistIntervalMs: c.persistIntervalMs,
  });
  let metering = build();
  metering.start();
  const trace: { at: number; before: number; after: number; persisted: number }[] = [];
  let at = 0;
  let total = 0;
  for (const loss of [...c.lossesAt, c.runMs]) {
    time.advance(loss - at);
    total += metering.energyWh - (trace.length ? trace[trace.length - 1].after : 0);
    at = loss;
    if (loss === c.runMs) break;
    const before = metering.energyWh;
    const persisted = metering.energy.persistedWh;
    time.reboot();
    metering = build();
    metering.start();
    trace.push({ at: loss, before, after: metering.energyWh, persisted });
  }
  return { trace, final: metering.energyWh, writes: store.writes, watts: metering.reading.watts };
}

export interface FaultCase {
  fault: "open" | "stuck" | "disconnected" | "overrange";
  amps: number;
}

function fault(c: FaultCase) {
  const rig = createRig({ loads: [new ConstantLoad({ amps: c.fault === "overrange" ? 90 : c.amps })] });
  const store = new MemoryStore();
  const lines: LogLine[] = [];
  const healths: string[] = [];
  const metering = new Metering({
    clock: rig.time, scheduler: rig.time, store, log: memoryLog(lines), source: rig.sampler,
    adc: rig.board.adc, ct: rig.board.ct, nominalVolts: 100, windowCapacity: rig.sampler.capacity,
    onHealth(h) { healths.push(h.status + ":" + h.channels.map((ch) => ch.health).join(",")); },
  });
  metering.start();
  rig.time.advance(5_000);
  const before = { amps: metering.reading.channels[0].amps, valid: metering.reading.valid, health: metering.health.status };
  if (c.fault !== "overrange") rig.site.ctFault("ct1", c.fault, 400);
  rig.time.advance(5_000);
  const during = {
    amps: metering.reading.channels[0].amps, valid: metering.reading.valid, health: metering.health.status,
    channel: metering.reading.channels[0].health,
  };
  if (c.fault !== "overrange") rig.site.ctFault("ct1", "none");
  rig.time.advance(10_000);
  const after = { amps: metering.reading.channels[0].amps, valid: metering.reading.valid, health: metering.health.status };
  return { before, during, after, healths };
}

export interface PowerCase {
  amps: number;
  powerFactor: number;
  volts: number;
  frequencyHz: 50 | 60;
}

/** With a voltage channel: real power and Vrms against the truth. */
function realPower(c: PowerCase) {
  const board = { ...simBoard, voltage: { pin: 34, ratio: 250, biasVolts: 1.3 } };
  const rig = createRig({ board, loads: [new ConstantLoad({ amps: c.amps, powerFactor: c.powerFactor })], volts: c.volts, frequencyHz: c.frequencyHz });
  const meter = new Meter({ adc: rig.board.adc, ct: rig.board.ct, voltage: rig.board.voltage, nominalVolts: 100, frequencyHz: c.frequencyHz, capacity: rig.sampler.capacity });
  let watts = 0;
  let va = 0;
  let volts = 0;
  const n = 10;
  let estimated = true;
  for (let w = 0; w < n; w++) {
    const r = meter.process(rig.sampler.sample());
    watts += r.watts / n;
    va += r.voltAmps / n;
    volts += r.volts / n;
    estimated = r.estimated;
    rig.time.advance(1000);
  }
  return { watts, voltAmps: va, volts, estimated, truthWatts: c.volts * c.amps * c.powerFactor, truthVoltAmps: c.volts * c.amps };
}

/** Idle: no load, noise only → dead-band gives 0. */
function idle(c: { windows: number; noiseVolts?: number }) {
  const rig = createRig({ loads: [new BaseLoad({ random: () => 0, minAmps: 0, maxAmps: 0 })], noiseVolts: c.noiseVolts });
  const meter = new Meter({ adc: rig.board.adc, ct: rig.board.ct, nominalVolts: 100, capacity: rig.sampler.capacity });
  const readings: number[] = [];
  const raw: number[] = [];
  for (let w = 0; w < c.windows; w++) {
    const r = meter.process(rig.sampler.sample());
    readings.push(r.channels[0].amps);
    raw.push(Math.sqrt(meter.input(0).meanSquare) * (3.3 / 1024) * (2000 / 22));
    rig.time.advance(1000);
  }
  return { readings, raw };
}

export const functions = { rms, day, slotRun, reboot, fault, realPower, idle };
