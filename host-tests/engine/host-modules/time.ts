// Host `time`: Moddable's Time on the engine's virtual clock. ticks = ms since boot (monotonic);
// Time.set moves the wall clock (Date.now() follows it); timezone/dst are plain settable numbers.
import { clock, wallNow } from "../xs/runtime";

const Time = {
  set(seconds: number): void {
    const target = Number(seconds) * 1000;
    if (!Number.isFinite(target)) throw new RangeError("Time.set: seconds must be a number");
    clock.wallOffset = target - clock.ticks;
    clock.valid = true;
    clock.changed = true;
  },
  get ticks(): number { return Math.floor(clock.ticks); },
  get microseconds(): number { return Math.floor(clock.ticks * 1000); },
  delta(start: number, end?: number): number { return (end ?? Math.floor(clock.ticks)) - start; },
  get timezone(): number { return clock.timezone; },
  set timezone(v: number) { clock.timezone = Number(v) || 0; clock.changed = true; },
  get dst(): number { return clock.dst; },
  set dst(v: number) { clock.dst = Number(v) || 0; clock.changed = true; },
};

void wallNow;
export default Time;
