// Model of the ADC as the firmware sees it: volts → code with quantisation (round to nearest) and
// clipping at the usable window (ESP32 at 11 dB under Moddable: 10 bits over 3.3 V, nothing below
// 0.15 V or above 2.45 V, so codes above ≈760 never occur), plus Gaussian input noise. It owns the
// simulated sample clock: each conversion advances it by 1 / conversionsPerSecond, so a burst read in
// one synchronous loop sees a real waveform; between bursts it follows the system's monotonic clock.
// An "ideal" ADC is the same model with 16 bits, the full 0–Vref window and no clipping in range.

import type { AdcSpec } from "../../modules/metering/types";
import { GaussianTable } from "./random";

export interface SimAdcOptions {
  readonly adc: AdcSpec;
  /** Conversions per second across all inputs (sample rate × inputs read per instant). */
  readonly conversionsPerSecond: number;
  /** The system's monotonic clock, ms. */
  readonly ticks: () => number;
  readonly random: () => number;
  /** Input-referred noise, volts RMS (default 0.002). */
  readonly noiseVolts?: number;
}

/** The ESP32 ADC as Moddable delivers it (PLATFORM-FACTS §3). */
export const ESP32_ADC: AdcSpec = Object.freeze({ resolution: 10, referenceVolts: 3.3, attenuationDb: 11, minVolts: 0.15, maxVolts: 2.45 });
/** An ideal converter for accuracy baselines: 16 bits, full range. */
export const IDEAL_ADC: AdcSpec = Object.freeze({ resolution: 16, referenceVolts: 3.3, minVolts: 0, maxVolts: 3.3 });

export class SimAdc {
  readonly adc: AdcSpec;
  readonly step: number;
  #counts: number;
  #lowCode: number;
  #highCode: number;
  #period: number;
  #ticks: () => number;
  #time = -Infinity;
  #noise: GaussianTable;
  #noiseVolts: number;
  /** Conversions so far. */
  conversions = 0;

  constructor(options: SimAdcOptions) {
    const { adc } = options;
    if (!(options.conversionsPerSecond > 0)) throw new RangeError("conversionsPerSecond must be > 0");
    this.adc = adc;
    this.#counts = 2 ** adc.resolution;
    this.step = adc.referenceVolts / this.#counts;
    this.#lowCode = Math.round(adc.minVolts / this.step);
    this.#highCode = Math.min(this.#counts - 1, Math.round(adc.maxVolts / this.step));
    this.#period = 1000 / options.conversionsPerSecond;
    this.#ticks = options.ticks;
    this.#noise = new GaussianTable(options.random);
    this.#noiseVolts = options.noiseVolts ?? 0.002;
  }

  /** Simulated time of the next conversion, ms: the monotonic clock, or later inside a burst. */
  now(): number {
    const t = this.#ticks();
    if (t > this.#time) {
      if (t - this.#time > 2 * this.#period) this.#noise.shuffle();
      this.#time = t;
    }
    return this.#time;
  }

  /**
   * Converts `volts` (noise added here). Without `at`, the conversion happens at now() and advances
   * the sample clock by one conversion period; with `at` (a host that keeps its own sample clock, like
   * the engine's pins), it happens at that time.
   */
  convert(volts: number, at?: number): number {
    if (at === undefined) {
      this.now();
      this.#time += this.#period;
    } else {
      if (at - this.#time > 2 * this.#period) this.#noise.shuffle();
      this.#time = at;
    }
    this.conversions++;
    const v = volts + this.#noiseVolts * this.#noise.next();
    let code = Math.round(v / this.step);
    if (code < this.#lowCode) code = this.#lowCode;
    else if (code > this.#highCode) code = this.#highCode;
    return code;
  }
}
