// Scheduler over Moddable's `timer` module: one-shot timers on the monotonic clock. Moddable fires
// timer callbacks on a later turn, never re-entrantly, which is what the Scheduler contract requires.
// Delays are rounded up to whole milliseconds: Timer and Time.ticks count whole ms, so a fractional
// delay (a randomised 19,558.7 ms) would fire before its due time and a caller that re-arms for the
// remainder would spin at one tick.
import Timer from "timer";
import type { Scheduler, TimerHandle } from "../types";

type MTimer = ReturnType<typeof Timer.set>;

export class ModdableScheduler implements Scheduler {
  readonly #timers = new Map<number, MTimer>();
  #ids = 0;

  set(callback: () => void, delayMs: number): TimerHandle {
    const id = ++this.#ids;
    const handle: TimerHandle = Object.freeze({ id });
    const timer = Timer.set(() => {
      this.#timers.delete(id);
      callback();
    }, Math.max(0, Math.ceil(delayMs)));
    this.#timers.set(id, timer);
    return handle;
  }

  clear(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const timer = this.#timers.get(handle.id);
    if (!timer) return;
    this.#timers.delete(handle.id);
    Timer.clear(timer);
  }
}
