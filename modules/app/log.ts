// The firmware's log: one line per entry, "<UTC time> <L> <component> <message> key=value …", filtered
// by level, written to an injected sink (main.ts: trace). Before the wall clock is valid the time is
// "+<seconds since boot>s". Values are short scalars; callers never pass secrets. Counts lines per
// level (status, tests). Leaves out: storage and rotation (a device's log is its serial console).

import type { Clock, Log, LogLevel } from "../platform/types";

const RANK: Readonly<Record<LogLevel, number>> = Object.freeze({ error: 0, warn: 1, info: 2, debug: 3 });
const LETTER: Readonly<Record<LogLevel, string>> = Object.freeze({ error: "E", warn: "W", info: "I", debug: "D" });

export interface LogOptions {
  readonly level: LogLevel;
  readonly clock: Clock;
  /** Receives each line without its newline. */
  readonly write: (line: string) => void;
}

export interface FirmwareLog extends Log {
  readonly counts: Readonly<Record<LogLevel, number>>;
}

function pad(n: number, width: number): string {
  let s = String(n);
  while (s.length < width) s = "0" + s;
  return s;
}

/** "2026-11-22T00:00:00.000Z". */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}

function stamp(clock: Clock): string {
  if (clock.valid) return isoUtc(clock.now());
  const t = clock.ticks();
  return "+" + Math.floor(t / 1000) + "." + pad(t % 1000, 3) + "s";
}

function quote(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c <= 32 || c === 34 || c === 61) return JSON.stringify(value);
  }
  return value;
}

export function createLog(options: LogOptions): FirmwareLog {
  const { clock, write } = options;
  const limit = RANK[options.level];
  if (limit === undefined) throw new RangeError(`level must be error, warn, info or debug (${String(options.level)})`);
  if (typeof write !== "function") throw new TypeError("write is required");
  const counts: Record<LogLevel, number> = { error: 0, warn: 0, info: 0, debug: 0 };
  const log = ((level: LogLevel, component: string, message: string, fields?: Record<string, string | number | boolean | undefined>) => {
    counts[level]++;
    if (RANK[level] > limit) return;
    let line = stamp(clock) + " " + LETTER[level] + " " + component + " " + message;
    if (fields) {
      for (const key of Object.keys(fields)) {
        const value = fields[key];
        if (value === undefined) continue;
        line += " " + key + "=" + (typeof value === "string" ? quote(value) : String(value));
      }
    }
    try {
      write(line);
    } catch {
      // the sink failing (serial buffer full) must not break the caller; nothing else to report to
    }
  }) as FirmwareLog;
  Object.defineProperty(log, "counts", { value: counts, enumerable: true });
  return log;
}
