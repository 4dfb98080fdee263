// Turns a sample window into calibrated readings: Irms per CT channel (EmonLib: ICAL = turns / burden,
// Irms = ICAL · gainTrim · Vref/2^bits · √mean(x²), less the channel's noise floor in quadrature, then
// the dead-band), apparent power from the nominal voltage (an
// estimate) or, with a voltage channel, Vrms and real power from the mean product of the same window.
// Leaves out: timing, energy, slots (see energy.ts, slots.ts, metering.ts). One reading object, reused.

import { InputChannel } from "./channel";
import type { AdcSpec, ChannelReading, CtChannelConfig, MeterReading, SampleWindow, VoltageChannelConfig } from "./types";

export interface MeterOptions {
  readonly adc: AdcSpec;
  /** CT channels; window.channels[i] holds channel i's samples. */
  readonly ct: readonly CtChannelConfig[];
  /** Optional voltage sensor; its samples are window.channels[ct.length]. */
  readonly voltage?: VoltageChannelConfig;
  /** Nominal mains volts (Japan: 100; used for apparent power without a voltage channel). */
  readonly nominalVolts: number;
  /** Mains frequency (50 or 60 Hz): converts the voltage sensor's phase calibration. Default 50. */
  readonly frequencyHz?: number;
  /** Largest window (samples per channel). */
  readonly capacity: number;
  /** Allowed distance of an input's mean from its bias (V). Default 0.25. */
  readonly biasToleranceVolts?: number;
}

const DEFAULT_DEADBAND_AMPS = 0.15;

interface CtState {
  readonly input: InputChannel;
  /** Amps per code (before the √). */
  readonly ampsPerCode: number;
  readonly deadband: number;
  /** noiseAmps², subtracted from I². */
  readonly noiseSquared: number;
  readonly reading: ChannelReading;
}

export class Meter {
  readonly reading: MeterReading;
  readonly estimatedOnly: boolean;
  #ct: CtState[];
  #voltage: { input: InputChannel; voltsPerCode: number; readTimeMs: number | undefined; phaseMs: number } | undefined;
  #nominalVolts: number;

  constructor(options: MeterOptions) {
    const { adc, ct, voltage, nominalVolts, capacity } = options;
    if (!adc || typeof adc !== "object") throw new TypeError("adc is required");
    if (!Array.isArray(ct) || ct.length === 0) throw new TypeError("ct must list at least one channel");
    if (!(nominalVolts > 0)) throw new RangeError(`nominalVolts must be > 0 (${nominalVolts})`);
    const voltsPerCode = adc.referenceVolts / 2 ** adc.resolution;
    const ids = new Set<string>();
    for (const c of ct) {
      if (typeof c.id !== "string" || !c.id || ids.has(c.id)) throw new TypeError(`ct channel ids must be unique non-empty strings (${c.id})`);
      ids.add(c.id);
      if (!(c.turns > 0)) throw new RangeError(`ct ${c.id}: turns must be > 0`);
      if (!(c.burdenOhms > 0)) throw new RangeError(`ct ${c.id}: burdenOhms must be > 0`);
      if (c.gainTrim !== undefined && !(c.gainTrim > 0.5 && c.gainTrim < 2)) throw new RangeError(`ct ${c.id}: gainTrim must be within 0.5–2 (${c.gainTrim})`);
      if (c.deadbandAmps !== undefined && !(c.deadbandAmps >= 0)) throw new RangeError(`ct ${c.id}: deadbandAmps must be ≥ 0`);
      if (c.noiseAmps !== undefined && !(c.noiseAmps >= 0 && c.noiseAmps < 5)) throw new RangeError(`ct ${c.id}: noiseAmps must be 0–5`);
    }
    if (voltage) {
      if (!(voltage.ratio > 0)) throw new RangeError("voltage.ratio must be > 0");
      if (voltage.gainTrim !== undefined && !(voltage.gainTrim > 0.5 && voltage.gainTrim < 2)) throw new RangeError("voltage.gainTrim must be within 0.5–2");
      if (voltage.readTimeMs !== undefined && !(voltage.readTimeMs >= 0 && voltage.readTimeMs < 10)) throw new RangeError("voltage.readTimeMs must be 0–10");
      if (voltage.phaseDegrees !== undefined && !(Math.abs(voltage.phaseDegrees) <= 30)) throw new RangeError("voltage.phaseDegrees must be within ±30");
    }
    if (options.frequencyHz !== undefined && options.frequencyHz !== 50 && options.frequencyHz !== 60) throw new RangeError("frequencyHz must be 50 or 60");
    const tolerance = options.biasToleranceVolts;
    this.#ct = ct.map((c) => ({
      input: new InputChannel({ adc, biasVolts: c.biasVolts, capacity, biasToleranceVolts: tolerance }),
      ampsPerCode: (c.turns / c.burdenOhms) * (c.gainTrim ?? 1) * voltsPerCode,
      deadband: c.deadbandAmps ?? DEFAULT_DEADBAND_AMPS,
      noiseSquared: (c.noiseAmps ?? 0) ** 2,
      reading: { id: c.id, amps: 0, voltAmps: 0, watts: 0, valid: false, health: "starting", meanCode: 0 },
    }));
    if (voltage) {
      this.#voltage = {
        input: new InputChannel({ adc, biasVolts: voltage.biasVolts, capacity, biasToleranceVolts: tolerance }),
        voltsPerCode: voltage.ratio * (voltage.gainTrim ?? 1) * voltsPerCode,
        readTimeMs: voltage.readTimeMs,
        phaseMs: ((voltage.phaseDegrees ?? 0) / 360) * (1000 / (options.frequencyHz ?? 50)),
      };
    }
    this.#nominalVolts = nominalVolts;
    this.estimatedOnly = !voltage;
    this.reading = {
      ticks: 0, watts: 0, voltAmps: 0, volts: nominalVolts, estimated: !voltage, valid: false,
      channels: this.#ct.map((c) => c.reading),
    };
  }

  /** The filters of the CT channels (diagnostics and tests). */
  input(index: number): InputChannel { return this.#ct[index].input; }
  get voltageInput(): InputChannel | undefined { return this.#voltage?.input; }

  /** Processes one window; returns the (reused) reading. */
  process(window: SampleWindow): MeterReading {
    const count = window.count;
    const reading = this.reading;
    const v = this.#voltage;
    let volts = this.#nominalVolts;
    let measured = false;
    let voltageSamples: Uint16Array | undefined;
    if (v) {
      voltageSamples = window.channels[this.#ct.length];
      v.input.process(voltageSamples, count);
      if (v.input.valid) {
        volts = v.voltsPerCode * Math.sqrt(v.input.meanSquare);
        measured = true;
      }
    }
    let watts = 0;
    let voltAmps = 0;
    let valid = count > 0;
    for (let i = 0; i < this.#ct.length; i++) {
      const c = this.#ct[i];
      const r = c.reading;
      const input = c.input;
      if (measured) {
        // Line the voltage up with this CT's conversions (sequential reads) and the sensor's phase.
        const period = window.durationMs / count;
        const inputs = this.#ct.length + 1;
        const readTime = v!.readTimeMs ?? period / inputs;
        const shift = ((inputs - 1 - i) * readTime + v!.phaseMs) / period;
        input.process(window.channels[i], count, voltageSamples, v!.input.reference, v!.input.meanCode, shift);
      }
      else input.process(window.channels[i], count);
      r.health = input.health;
      r.valid = input.valid;
      r.meanCode = input.meanCode;
      const faulty = input.health === "rail" || input.health === "bias" || input.health === "stuck" || input.health === "starting";
      let amps = 0;
      if (!faulty) {
        const squared = c.ampsPerCode * c.ampsPerCode * input.meanSquare - c.noiseSquared;
        amps = squared > 0 ? Math.sqrt(squared) : 0;
        if (amps < c.deadband) amps = 0;
      }
      r.amps = amps;
      r.voltAmps = volts * amps;
      r.watts = amps === 0 ? 0 : measured ? c.ampsPerCode * v!.voltsPerCode * input.meanProduct : r.voltAmps;
      if (!input.valid) valid = false;
      watts += r.watts;
      voltAmps += r.voltAmps;
    }
    reading.ticks = window.startTicks;
    reading.watts = watts;
    reading.voltAmps = voltAmps;
    reading.volts = volts;
    reading.estimated = !measured;
    reading.valid = valid;
    return reading;
  }
}
