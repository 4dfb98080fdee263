// Clock over Moddable's `time` module and Date: wall time from Date.now() (set by SNTP on the device,
// by the virtual clock on the host), monotonic ticks from Time.ticks. The clock is valid once main.ts
// says so (SNTP answered) or when the wall time is past a plausibility floor (RTC kept the time).
import Time from "time";
import type { Clock } from "../types";

export interface ModdableClockOptions {
  /** Wall times before this (ms since epoch) are "not set yet". Default 2025-01-01T00:00:00Z. */
  plausibleAfter?: number;
  /** Start valid (tests, or a board with a battery-backed RTC). Default: decided by plausibleAfter. */
  valid?: boolean;
}

export class ModdableClock implements Clock {
  readonly #floor: number;
  #valid: boolean | undefined;

  constructor(options: ModdableClockOptions = {}) {
    this.#floor = options.plausibleAfter ?? Date.UTC(2025, 0, 1);
    this.#valid = options.valid;
  }

  now(): number {
    return Date.now();
  }

  get valid(): boolean {
    return this.#valid ?? Date.now() >= this.#floor;
  }

  /** SNTP answered (or the time was set by hand). */
  markValid(valid = true): void {
    this.#valid = valid;
  }

  ticks(): number {
    return Time.ticks;
  }
}
