// One ADC input's signal path over a sample window: DC removal, mean square and (with the voltage
// channel's samples) the mean product for real power, plus the input-fault checks (rail, bias, stuck,
// overrange). Integer arithmetic in the sample loop, nothing allocated per sample or per window.
// Leaves out: calibration to amps/volts (meter.ts), time and energy.
//
// DC removal. EmonLib subtracts a per-sample single-pole tracking filter (offset += (x − offset)/1024).
// Measured here, that filter leaks a start transient — the low-pass of a sinusoid that starts at some
// phase has a DC term decaying over ≈1,000 samples — worth −0.06 % at 70 A on an ideal ADC and tens of
// per cent at 0.3 A in the first windows after boot. Windows span whole mains cycles (200 ms = 10 or
// 12 cycles), so removing each window's own mean is exact: the loop sums x = code − reference and x²
// in integers, and the mean square is Σx²/n − (Σx/n)². The tracking filter runs at window rate
// (offset += (window mean − offset) / 4, primed from the first window): it gives the integer reference
// (keeping x small) and the bias used by the fault checks.

import type { AdcSpec, ChannelHealth } from "./types";

/** Windows with identical min and max before an input is declared stuck. */
const STUCK_WINDOWS = 3;
/** Clean windows before a fault clears. */
const CLEAR_WINDOWS = 3;
/** Samples at the clip codes before a window counts as over range. */
const CLIP_SAMPLES = 2;
/** Offset tracking gain per window. */
const TRACK_GAIN = 0.25;

export interface InputChannelOptions {
  readonly adc: AdcSpec;
  readonly biasVolts: number;
  /** Largest window the channel will see (samples). Checked against the exactness bound. */
  readonly capacity: number;
  /** Allowed distance of the tracked offset from the bias, volts. Default 0.25 V. */
  readonly biasToleranceVolts?: number;
}

export class InputChannel {
  readonly resolution: number;
  /** Codes at or beyond which the ADC clips (edges of its usable window). */
  readonly clipLow: number;
  readonly clipHigh: number;
  readonly biasCode: number;

  // Results of the last window.
  /** Variance of the codes over the window (codes²): the AC signal's mean square. */
  meanSquare = 0;
  /** Covariance with the voltage channel's codes over the window (codes²); 0 without one. */
  meanProduct = 0;
  /** Mean input code of the window. */
  meanCode = 0;
  minCode = 0;
  maxCode = 0;
  clipped = 0;
  health: ChannelHealth = "starting";
  /** False while a fault condition holds or has not cleared yet. */
  valid = false;

  #offset: number;
  #primed = false;
  #reference: number;
  #biasTolerance: number;
  #flatWindows = 0;
  #cleanWindows = 0;

  constructor(options: InputChannelOptions) {
    const { adc, biasVolts, capacity } = options;
    if (!Number.isInteger(adc.resolution) || adc.resolution < 6 || adc.resolution > 16) throw new RangeError(`adc.resolution must be an integer 6–16 (${adc.resolution})`);
    if (!(adc.referenceVolts > 0)) throw new RangeError(`adc.referenceVolts must be > 0 (${adc.referenceVolts})`);
    if (!(adc.minVolts >= 0 && adc.maxVolts > adc.minVolts && adc.maxVolts <= adc.referenceVolts)) throw new RangeError(`adc.minVolts/maxVolts must satisfy 0 ≤ min < max ≤ referenceVolts`);
    if (!(biasVolts > adc.minVolts && biasVolts < adc.maxVolts)) throw new RangeError(`biasVolts must lie inside the ADC window ${adc.minVolts}–${adc.maxVolts} V (${biasVolts})`);
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer (${capacity})`);
    // Exactness: n · Σx² (and Σx·v) must stay below 2^53, with |x| < 2^resolution.
    if (capacity * capacity * 2 ** (2 * adc.resolution) >= 2 ** 53) throw new RangeError(`capacity ${capacity} too large for exact sums at ${adc.resolution} bits`);
    const counts = 2 ** adc.resolution;
    this.resolution = adc.resolution;
    this.clipLow = Math.max(0, Math.round((adc.minVolts / adc.referenceVolts) * counts));
    this.clipHigh = Math.min(counts - 1, Math.round((adc.maxVolts / adc.referenceVolts) * counts));
    this.biasCode = Math.round((biasVolts / adc.referenceVolts) * counts);
    this.#offset = this.biasCode;
    this.#reference = this.biasCode;
    this.#biasTolerance = ((options.biasToleranceVolts ?? 0.25) / adc.referenceVolts) * counts;
  }

  /** Tracked DC offset in codes. */
  get offsetCode(): number { return this.#offset; }
  /** Integer reference subtracted in the loop (the rounded tracked offset). */
  get reference(): number { return this.#reference; }

  /**
   * Processes samples[0, count). With `voltage` (the voltage channel's samples of the same window, its
   * integer reference and window mean), also computes the covariance that gives real power, with the
   * voltage delayed by `shift` samples (whole part + Q8 fraction) to line it up with this channel's
   * conversions. The delay wraps around the window: exact for a signal periodic over whole cycles.
   */
  process(samples: Uint16Array, count: number, voltage?: Uint16Array, voltageReference = 0, voltageMean = 0, shift = 0): void {
    const reference = this.#reference;
    const lo = this.clipLow;
    const hi = this.clipHigh;
    let sum = 0;
    let sumSquares = 0;
    let sumProducts = 0;
    let min = 65535;
    let max = 0;
    let clipped = 0;
    for (let k = 0; k < count; k++) {
      const code = samples[k];
      const x = code - reference;
      sum += x;
      sumSquares += x * x;
      if (code < min) min = code;
      if (code > max) max = code;
      if (code <= lo || code >= hi) clipped++;
    }
    if (voltage !== undefined && count > 0) {
      // v(t_k − shift) ≈ v[k−m] − f·(v[k−m] − v[k−m−1]), in Q8: v[k−m]·(256 − f) + v[k−m−1]·f
      let whole = Math.floor(shift);
      let f = Math.round((shift - whole) * 256);
      if (f === 256) { whole++; f = 0; }
      whole %= count;
      const g = 256 - f;
      let a = count - whole;      // index of v[k − m], wrapped
      let b = a - 1;              // index of v[k − m − 1], wrapped
      if (a >= count) a -= count;
      if (b < 0) b += count;
      for (let k = 0; k < count; k++) {
        sumProducts += (samples[k] - reference) * ((voltage[a] - voltageReference) * g + (voltage[b] - voltageReference) * f);
        if (++a === count) a = 0;
        if (++b === count) b = 0;
      }
      sumProducts /= 256;
    }
    if (count === 0) {
      this.meanSquare = 0;
      this.meanProduct = 0;
      this.valid = false;
      return;
    }
    // Exact integers up to here; one division each from here on.
    this.meanSquare = Math.max(0, (count * sumSquares - sum * sum) / (count * count));
    this.meanProduct = voltage === undefined ? 0 : sumProducts / count - (sum / count) * (voltageMean - voltageReference);
    const mean = reference + sum / count;
    this.meanCode = mean;
    this.minCode = min;
    this.maxCode = max;
    this.clipped = clipped;
    this.#classify();
    if (!this.#primed || !this.valid) {
      // First window (or a fault): take the window's mean as it is.
      this.#offset = mean;
      this.#primed = this.valid;
    } else {
      this.#offset += (mean - this.#offset) * TRACK_GAIN;
    }
    this.#reference = Math.round(this.#offset);
  }

  #classify(): void {
    let condition: ChannelHealth = "ok";
    const mean = this.meanCode;
    if (mean <= this.clipLow + 2 || mean >= this.clipHigh - 2) condition = "rail";
    else if (Math.abs(mean - this.biasCode) > this.#biasTolerance) condition = "bias";
    else {
      this.#flatWindows = this.minCode === this.maxCode ? this.#flatWindows + 1 : 0;
      if (this.#flatWindows >= STUCK_WINDOWS) condition = "stuck";
      else if (this.clipped >= CLIP_SAMPLES) condition = "overrange";
    }
    if (condition !== "ok") {
      this.health = condition;
      this.valid = false;
      this.#cleanWindows = 0;
      return;
    }
    if (this.health === "starting" || this.health === "ok" || ++this.#cleanWindows >= CLEAR_WINDOWS) {
      this.health = "ok";
      this.valid = true;
    }
  }
}
