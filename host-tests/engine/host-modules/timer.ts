// Host `timer`: Moddable's Timer API on the engine's virtual monotonic clock. As on Moddable: due
// timers fire one per turn in creation order (promise jobs run between), a repeating timer keeps its
// phase (next = previous trigger + repeat), a one-shot timer is gone after its callback (even if the
// callback rescheduled it without a repeat), and clear/schedule of a fired or cleared timer throws.
import { clock, spendTime, timerAdd, timerRemove, timerSchedule, TimerRecord } from "../xs/runtime";

type TimerHandle = TimerRecord;

function toInt(n: unknown): number {
  const v = Number(n);
  return Number.isFinite(v) ? Math.trunc(v) : 0;
}

function recordOf(timer: unknown): TimerRecord {
  const r = timer instanceof TimerRecord ? timer : undefined;
  if (!r || r.dead) throw new TypeError("Timer: invalid timer (already fired or cleared)");
  return r;
}

function create(callback: (t: unknown) => void, interval: number, repeat: number): TimerHandle {
  if (typeof callback !== "function") throw new TypeError("Timer: callback is not a function");
  return timerAdd(callback, interval, repeat);
}

const Timer = Object.freeze({
  set(callback: (t: unknown) => void, interval?: number, repeat?: number): TimerHandle {
    return create(callback, toInt(interval ?? 0), toInt(repeat ?? 0));
  },
  repeat(callback: (t: unknown) => void, interval: number): TimerHandle {
    const i = toInt(interval);
    return create(callback, i, i);
  },
  schedule(timer: TimerHandle, interval?: number, repeat?: number): void {
    const r = recordOf(timer);
    if (interval === undefined && arguments.length < 2) {
      r.dormant = true; // Moddable: schedule(timer) unschedules
      return;
    }
    timerSchedule(r, toInt(interval), toInt(repeat ?? 0));
  },
  clear(timer: TimerHandle | undefined | null): void {
    if (typeof timer !== "object" || timer === null) return;
    const r = recordOf(timer);
    timerRemove(r.id);
    r.kill();
  },
  /** Blocks: the virtual clock moves, no timer fires meanwhile. */
  delay(ms: number): void {
    spendTime(Math.max(0, toInt(ms)));
  },
});

void clock;
export default Timer;
