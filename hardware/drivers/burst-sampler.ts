// Burst sampler: ECMA-419 Analog has no sample rate, so this reads every input once per sample instant
// for one window (default 200 ms = 10 cycles at 50 Hz, 12 at 60 Hz) at a target rate (default 2,000
// samples/s), paced on a monotonic clock, into preallocated Uint16Arrays, and hands the window over.
// It blocks for the window: call it from a timer turn, not from a network callback.
//
// Pacing: sample k is taken when `now() − t0 ≥ k / rate`. If the ADC is slower than the target rate
// (ESP32 one-shot reads with Wi-Fi on: ≈1,000/s), samples are taken as fast as they come and the
// window still ends at `windowMs`, so it still spans whole cycles; `count` says how many were taken.
// `now` should have sub-millisecond resolution (on ESP32: Time.microseconds / 1000); with whole
// milliseconds the samples bunch at each tick (still whole cycles, fewer distinct instants). A clock
// that does not advance at all (a stub) does not hang the sampler: it then reads unpaced.
// Leaves out: what the codes mean (modules/metering/).

import type { SampleWindow, WindowSource } from "../../modules/metering/types";

export interface SampledInput {
  read(): number;
}

export interface BurstSamplerOptions {
  /** CT inputs in board order, then the voltage input if any (same order as the meter's channels). */
  readonly inputs: readonly SampledInput[];
  /** Monotonic milliseconds, fractional if the platform can (pacing and window start). */
  readonly now: () => number;
  /** Target samples per second per input (default 2,000). */
  readonly sampleRate?: number;
  /** Window length, ms (default 200). */
  readonly windowMs?: number;
}

/** Spins without the clock moving before the sampler gives up pacing for the window. */
const FROZEN_SPINS = 10_000;

export class BurstSampler implements WindowSource {
  readonly sampleRate: number;
  readonly windowMs: number;
  readonly capacity: number;
  #inputs: readonly SampledInput[];
  #now: () => number;
  #window: SampleWindow;
  #buffers: Uint16Array[];
  /** Windows that ended short of capacity because the ADC was slower than the target rate. */
  shortWindows = 0;

  constructor(options: BurstSamplerOptions) {
    const { inputs, now } = options;
    if (!Array.isArray(inputs) || inputs.length === 0) throw new TypeError("inputs must list at least one input");
    for (const input of inputs) if (!input || typeof input.read !== "function") throw new TypeError("every input needs read()");
    if (typeof now !== "function") throw new TypeError("now is required");
    const rate = options.sampleRate ?? 2_000;
    const windowMs = options.windowMs ?? 200;
    if (!(rate >= 100 && rate <= 50_000)) throw new RangeError(`sampleRate must be 100–50,000 (${rate})`);
    if (!(windowMs >= 20 && windowMs <= 2_000)) throw new RangeError(`windowMs must be 20–2,000 (${windowMs})`);
    const capacity = (rate * windowMs) / 1000;
    if (!Number.isInteger(capacity)) throw new RangeError(`sampleRate × windowMs must give a whole number of samples (${capacity})`);
    this.sampleRate = rate;
    this.windowMs = windowMs;
    this.capacity = capacity;
    this.#inputs = inputs;
    this.#now = now;
    this.#buffers = inputs.map(() => new Uint16Array(capacity));
    this.#window = { channels: this.#buffers, count: 0, startTicks: 0, durationMs: 0 };
  }

  /** Samples one window; returns the sampler's reused window object. */
  sample(): SampleWindow {
    const inputs = this.#inputs;
    const buffers = this.#buffers;
    const channels = inputs.length;
    const now = this.#now;
    const capacity = this.capacity;
    const period = 1000 / this.sampleRate;
    const windowMs = this.windowMs;
    let paced = true;
    const t0 = now();
    const end = t0 + windowMs;
    let t = t0;
    let due = t0;
    let k = 0;
    while (k < capacity) {
      if (paced) {
        if (k > 0) t = now();
        if (t < due) {
          let spins = 0;
          let last = t;
          while ((t = now()) < due) {
            if (t !== last) {
              last = t;
              spins = 0;
            } else if (++spins > FROZEN_SPINS) {
              paced = false;
              break;
            }
          }
        }
        if (t >= end) break;
      }
      for (let j = 0; j < channels; j++) buffers[j][k] = inputs[j].read();
      k++;
      due += period;
    }
    if (paced) t = now();
    const window = this.#window;
    window.count = k;
    window.startTicks = t0;
    window.durationMs = paced ? Math.max(t - t0, k * period) : k * period;
    if (k < capacity) this.shortWindows++;
    return window;
  }
}
