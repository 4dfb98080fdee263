// Status LED patterns from the device state, on one timer that runs only while a pattern blinks:
//   fault        fail-normal or a CT fault        fast blink (4 Hz)
//   offline      not registered with the VTN      slow blink (1 s on, 1 s off)
//   override     the button's opt-out in force    on 1.5 s, off 0.5 s
//   shedding     a relay is shed for an event     off, with a 100 ms blip every 5 s
//   ok           registered, nothing shed         steady on
// Leaves out: the pin and its polarity (hardware/drivers/led.ts).

import type { Scheduler, TimerHandle } from "../platform/types";

export type LedState = "fault" | "offline" | "override" | "shedding" | "ok";

/** [on ms, off ms]; [1, 0] is steady on, [0, 1] steady off. */
const PATTERNS: Readonly<Record<LedState, readonly [number, number]>> = Object.freeze({
  fault: Object.freeze([125, 125] as const),
  offline: Object.freeze([1000, 1000] as const),
  override: Object.freeze([1500, 500] as const),
  shedding: Object.freeze([100, 4900] as const),
  ok: Object.freeze([1, 0] as const),
});

export interface StatusLedOptions {
  readonly output: { write(on: boolean): void };
  readonly scheduler: Scheduler;
}

export class StatusLed {
  #output: StatusLedOptions["output"];
  #scheduler: Scheduler;
  #state: LedState | undefined;
  #on = false;
  #timer: TimerHandle | undefined;
  #closed = false;

  constructor(options: StatusLedOptions) {
    if (!options?.output || typeof options.output.write !== "function") throw new TypeError("output is required");
    if (!options.scheduler) throw new TypeError("scheduler is required");
    this.#output = options.output;
    this.#scheduler = options.scheduler;
  }

  get state(): LedState | undefined { return this.#state; }

  set(state: LedState): void {
    if (this.#closed || state === this.#state) return;
    this.#state = state;
    this.#scheduler.clear(this.#timer);
    this.#timer = undefined;
    const [on, off] = PATTERNS[state];
    if (off === 0 || on === 0) {
      this.#write(on > 0);
      return;
    }
    this.#write(true);
    this.#arm(on);
  }

  close(): void {
    this.#closed = true;
    this.#scheduler.clear(this.#timer);
    this.#timer = undefined;
  }

  #arm(delay: number): void {
    this.#timer = this.#scheduler.set(() => {
      this.#timer = undefined;
      const state = this.#state;
      if (this.#closed || !state) return;
      const [on, off] = PATTERNS[state];
      this.#write(!this.#on);
      this.#arm(this.#on ? on : off);
    }, delay);
  }

  #write(on: boolean): void {
    this.#on = on;
    try {
      this.#output.write(on);
    } catch {
      // a dead LED is not worth a fault: the state is still in the log and the VEN/CIOF statuses
    }
  }
}
