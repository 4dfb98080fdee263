// XS-side test support: a virtual clock that is both the Clock and the Scheduler the firmware modules
// receive, so a whole simulated day runs inside one XS call. Monotonic ticks restart at 0 on reboot();
// the wall clock can be corrected (setWall) without moving ticks. `elapsed` is the true time since the
// start of the run (for invariant checks across reboots). Also a Store in memory with the NVS limits
// and a Log that keeps lines. Not firmware.

import type { Clock, Log, LogLevel, Scheduler, Store, TimerHandle } from "../../../modules/platform/types";

interface Timer { id: number; at: number; seq: number; callback: () => void }

export class VirtualTime implements Clock, Scheduler {
  valid: boolean;
  /** True time since the start of the run, ms (does not restart at reboot). */
  elapsed = 0;
  #ticks = 0;
  #wallOffset: number;
  #timers: Timer[] = [];
  #ids = 0;
  #seq = 0;
  /** Callbacks that threw (the run continues, as Moddable's timer would report and go on). */
  readonly errors: string[] = [];

  constructor(wallStart: number, valid = true) {
    this.#wallOffset = wallStart;
    this.valid = valid;
  }

  now(): number { return this.#ticks + this.#wallOffset; }
  ticks(): number { return this.#ticks; }

  set(callback: () => void, delayMs: number): TimerHandle {
    const id = ++this.#ids;
    const timer: Timer = { id, at: this.#ticks + Math.max(0, delayMs || 0), seq: ++this.#seq, callback };
    const timers = this.#timers;
    let i = timers.length;
    while (i > 0 && (timers[i - 1].at > timer.at || (timers[i - 1].at === timer.at && timers[i - 1].seq > timer.seq))) i--;
    timers.splice(i, 0, timer);
    return { id };
  }

  clear(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const i = this.#timers.findIndex((t) => t.id === handle.id);
    if (i >= 0) this.#timers.splice(i, 1);
  }

  get pending(): number { return this.#timers.length; }
  get nextTimer(): number | undefined { return this.#timers[0]?.at; }

  /** Runs timers due up to ticks + ms in order, moving the clock to each. */
  advance(ms: number): void {
    const target = this.#ticks + ms;
    let guard = 0;
    while (this.#timers.length && this.#timers[0].at <= target) {
      const timer = this.#timers.shift()!;
      this.#move(timer.at);
      try {
        timer.callback();
      } catch (error) {
        this.errors.push(error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : String(error));
      }
      if (++guard > 10_000_000) throw new Error("virtual time: runaway timers");
    }
    this.#move(target);
  }

  /** Moves ticks without firing timers (time spent inside a synchronous call). */
  spend(ms: number): void { this.#move(this.#ticks + ms); }

  /** Wall clock correction: wall jumps to `wall`, ticks do not move. */
  setWall(wall: number): void { this.#wallOffset = wall - this.#ticks; }

  /** Power cycle: timers gone, ticks restart at 0, the wall clock goes on (plus `offMs` of downtime). */
  reboot(offMs = 0): void {
    this.#timers = [];
    this.#wallOffset += this.#ticks + offMs;
    this.elapsed += offMs;
    this.#ticks = 0;
  }

  #move(t: number): void {
    if (t > this.#ticks) {
      this.elapsed += t - this.#ticks;
      this.#ticks = t;
    }
  }
}

export class MemoryStore implements Store {
  readonly data = new Map<string, string>();
  writes = 0;
  get(key: string): string | undefined { return this.data.get(key); }
  set(key: string, value: string): void {
    if (key.length === 0 || key.length > 15) throw new RangeError(`store key "${key}": 1..15 characters`);
    if (value.length > 4000) throw new RangeError(`store value of "${key}" exceeds 4000 bytes`);
    this.data.set(key, value);
    this.writes++;
  }
  delete(key: string): void { this.data.delete(key); }
  keys(): string[] { return [...this.data.keys()]; }
}

export interface LogLine { level: LogLevel; component: string; message: string; fields?: Record<string, string | number | boolean | undefined> }

export function memoryLog(lines: LogLine[], print?: (line: string) => void): Log {
  return (level, component, message, fields) => {
    lines.push({ level, component, message, fields });
    if (print) print(`${level} ${component}: ${message}${fields ? " " + JSON.stringify(fields) : ""}`);
  };
}
