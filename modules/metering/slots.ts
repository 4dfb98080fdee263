// 30-minute energy slots aligned to local :00/:30 (UTC offset configurable, JST +09:00 by default) for
// HISTORY_USAGE and CIOF trade data. Energy arrives as intervals on the wall clock; an interval that
// crosses a boundary is split in proportion to time, so boundaries are exact (midnight included).
// Clock corrections: the caller places the interval at the corrected wall time and says so; energy is
// never dropped nor counted twice (Σ slot energy = Σ energy added), and the slots involved are
// flagged. A backward correction into an already closed slot adds to the open slot (closed records
// are final). Leaves out: measuring (meter.ts) and persistence of history (the report buffers' job).

import type { SlotRecord } from "./types";

export interface SlotOptions {
  /** Local time offset from UTC in minutes (JST: +540). */
  readonly utcOffsetMinutes?: number;
  /** Slot length in minutes, dividing a day (default 30). */
  readonly slotMinutes?: number;
  /** Minimum valid coverage for a slot to be valid (default 0.9). */
  readonly minCoverage?: number;
  /** Closed slots kept (closedCount/closedStart/closed; default 48 = one day). */
  readonly history?: number;
  /** Energy is an estimate (no voltage sensing). */
  readonly estimated: boolean;
}

const MINUTE = 60_000;
const NONE: readonly SlotRecord[] = Object.freeze([]);

/** Numbers per closed slot in the history ring: start, wh, peakKw, coverage. */
const STRIDE = 4;
const F_CORRECTED = 1;
const F_FAULT = 2;

export class SlotAccumulator {
  readonly slotMs: number;
  readonly offsetMs: number;
  readonly minCoverage: number;
  readonly estimated: boolean;
  // Closed slots, packed in a ring (oldest at #head): a SlotRecord object costs 13 slots and a string
  // on XS, so a day of them (48) held ≈620 slots of the device's 4,928; records are made when asked for.
  readonly #ring: Float64Array;
  readonly #flags: Uint8Array;
  #head = 0;
  #count = 0;
  #capacity: number;
  #pending: SlotRecord[] = [];
  // the open slot
  #start: number | undefined;
  #wh = 0;
  #peakKw = 0;
  #coveredMs = 0;
  #corrected = false;
  #fault = false;

  constructor(options: SlotOptions) {
    const offset = options.utcOffsetMinutes ?? 540;
    const minutes = options.slotMinutes ?? 30;
    if (!Number.isInteger(offset) || offset < -720 || offset > 840) throw new RangeError(`utcOffsetMinutes must be an integer −720…840 (${offset})`);
    if (!Number.isInteger(minutes) || minutes < 1 || 1440 % minutes !== 0) throw new RangeError(`slotMinutes must divide a day (${minutes})`);
    const coverage = options.minCoverage ?? 0.9;
    if (!(coverage >= 0 && coverage <= 1)) throw new RangeError(`minCoverage must be 0–1 (${coverage})`);
    const history = options.history ?? 48;
    if (!Number.isInteger(history) || history < 1) throw new RangeError(`history must be a positive integer (${history})`);
    this.slotMs = minutes * MINUTE;
    this.offsetMs = offset * MINUTE;
    this.minCoverage = coverage;
    this.estimated = options.estimated;
    this.#capacity = history;
    this.#ring = new Float64Array(history * STRIDE);
    this.#flags = new Uint8Array(history);
  }

  /** Start (UTC ms) of the slot containing wall instant `t`. */
  slotStart(t: number): number {
    const local = t + this.offsetMs;
    return local - (((local % this.slotMs) + this.slotMs) % this.slotMs) - this.offsetMs;
  }

  /**
   * Adds an interval [end − durationMs, end) of wall time carrying `wh` at window power `kw`.
   * `valid` = measured by healthy channels (counts toward coverage); `fault` = a channel fault was seen;
   * `corrected` = the wall clock was corrected during this interval.
   */
  add(end: number, durationMs: number, wh: number, kw: number, valid: boolean, fault: boolean, corrected: boolean): void {
    let a = end - (durationMs > 0 ? durationMs : 0);
    if (this.#start === undefined) this.#open(this.slotStart(a));
    const start = this.#start!;
    if (a < start) {
      // Only after a backward correction: clamp into the open slot.
      corrected = true;
      if (end <= start) {
        this.#addToOpen(0, wh, kw, valid, fault, true);
        return;
      }
      a = start;
    }
    this.advanceTo(a);
    const total = end - a;
    if (total === 0) {
      this.#addToOpen(0, wh, kw, valid, fault, corrected);
      return;
    }
    while (a < end) {
      const slotEnd = this.#start! + this.slotMs;
      const b = end < slotEnd ? end : slotEnd;
      this.#addToOpen(b - a, (wh * (b - a)) / total, kw, valid, fault, corrected);
      a = b;
      this.advanceTo(a);
    }
  }

  /** Closes every open slot that ends at or before wall instant `t` (call as time passes). */
  advanceTo(t: number): void {
    if (this.#start === undefined) return;
    while (this.#start + this.slotMs <= t) {
      this.#close();
      const next = this.#start + this.slotMs;
      const skip = this.slotStart(t);
      if (skip - next > this.#capacity * this.slotMs) {
        // A forward jump larger than the history: do not emit a flood of empty slots.
        this.#open(skip);
        this.#corrected = true;
        continue;
      }
      this.#open(next);
    }
  }

  /** Slots closed since the last call, oldest first (each returned once). */
  takeClosed(): readonly SlotRecord[] {
    if (this.#pending.length === 0) return NONE;
    const out = this.#pending;
    this.#pending = [];
    return out;
  }

  /** Closed slots held (≤ `history`). */
  get closedCount(): number { return this.#count; }

  /** Start of held closed slot `k` (0 = oldest), without making its record. */
  closedStart(k: number): number {
    if (!(k >= 0 && k < this.#count)) throw new RangeError(`no closed slot ${k}`);
    return this.#ring[((this.#head + k) % this.#capacity) * STRIDE];
  }

  /** Held closed slot `k` (0 = oldest) as a record. */
  closed(k: number): SlotRecord {
    if (!(k >= 0 && k < this.#count)) throw new RangeError(`no closed slot ${k}`);
    const i = (this.#head + k) % this.#capacity;
    const r = this.#ring;
    const f = this.#flags[i];
    return this.#make(r[i * STRIDE], r[i * STRIDE + 1], r[i * STRIDE + 2], r[i * STRIDE + 3], (f & F_CORRECTED) !== 0, (f & F_FAULT) !== 0);
  }

  /** The open slot so far (not final), or undefined before the first interval. */
  current(): SlotRecord | undefined {
    return this.#start === undefined ? undefined : this.#record();
  }

  #addToOpen(covered: number, wh: number, kw: number, valid: boolean, fault: boolean, corrected: boolean): void {
    this.#wh += wh;
    if (kw > this.#peakKw) this.#peakKw = kw;
    if (valid) this.#coveredMs += covered;
    if (fault) this.#fault = true;
    if (corrected) this.#corrected = true;
  }

  #open(start: number): void {
    this.#start = start;
    this.#wh = 0;
    this.#peakKw = 0;
    this.#coveredMs = 0;
    this.#corrected = false;
    this.#fault = false;
  }

  #close(): void {
    const record = this.#record();
    const capacity = this.#capacity;
    let i: number;
    if (this.#count < capacity) i = (this.#head + this.#count++) % capacity;
    else { i = this.#head; this.#head = (i + 1) % capacity; }
    const r = this.#ring;
    r[i * STRIDE] = record.start;
    r[i * STRIDE + 1] = record.wh;
    r[i * STRIDE + 2] = record.peakKw;
    r[i * STRIDE + 3] = record.coverage;
    this.#flags[i] = (record.clockCorrected ? F_CORRECTED : 0) | (record.fault ? F_FAULT : 0);
    this.#pending.push(record);
    if (this.#pending.length > capacity) this.#pending.shift();
  }

  #record(): SlotRecord {
    return this.#make(this.#start!, this.#wh, this.#peakKw, Math.min(1, this.#coveredMs / this.slotMs), this.#corrected, this.#fault);
  }

  #make(start: number, wh: number, peakKw: number, coverage: number, corrected: boolean, fault: boolean): SlotRecord {
    return Object.freeze({
      start,
      startLocal: formatLocal(start, this.offsetMs),
      durationMs: this.slotMs,
      wh,
      averageKw: wh / 1000 / (this.slotMs / 3_600_000),
      peakKw,
      estimated: this.estimated,
      coverage,
      clockCorrected: corrected,
      fault,
      valid: coverage >= this.minCoverage && !fault && !corrected,
    });
  }
}

function two(n: number): string { return n < 10 ? "0" + n : String(n); }

/** ISO-8601 local time with the offset, e.g. "2026-11-22T09:30:00+09:00" (seconds precision). */
export function formatLocal(t: number, offsetMs: number): string {
  const d = new Date(t + offsetMs);
  const offsetMinutes = Math.round(offsetMs / MINUTE);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}
