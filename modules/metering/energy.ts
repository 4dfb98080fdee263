// Monotonic energy counter (Wh) that survives reboot: kept in RAM, persisted through the Store at a
// bounded rate (at most one write per `persistIntervalMs`, only when the value changed), alternating
// between two keys with a sequence number. ESP32 Preference.set erases a key before writing it, so a
// power loss mid-write leaves that key absent (or torn): the other key still holds the previous value.
// Loss window: on a power loss the energy since the last write (≤ persistIntervalMs of consumption,
// default 5 min) is lost; the counter never goes backwards. Leaves out: what the energy is (meter.ts).

import type { Log, Store } from "../platform/types";

export interface EnergyCounterOptions {
  readonly store: Store;
  /** Key prefix (≤ 13 characters; "A"/"B" is appended). Default "mtr_wh". */
  readonly key?: string;
  /** Minimum interval between writes, ms (monotonic). Default 300,000 (5 min; 288 writes/day). */
  readonly persistIntervalMs?: number;
  readonly log?: Log;
}

interface Record1 { v: 1; seq: number; wh: number }

export class EnergyCounter {
  readonly persistIntervalMs: number;
  #store: Store;
  #keys: readonly [string, string];
  #log: Log | undefined;
  #wh = 0;
  #persistedWh = 0;
  #seq = 0;
  #lastWrite: number | undefined;
  /** Writes made since construction (tests, wear figures). */
  writes = 0;

  constructor(options: EnergyCounterOptions) {
    const { store } = options;
    if (!store || typeof store.get !== "function") throw new TypeError("store is required");
    const key = options.key ?? "mtr_wh";
    if (!/^[A-Za-z0-9_]{1,13}$/.test(key)) throw new RangeError(`key must be 1–13 characters [A-Za-z0-9_] (${key})`);
    const interval = options.persistIntervalMs ?? 300_000;
    if (!(interval >= 1_000)) throw new RangeError(`persistIntervalMs must be ≥ 1000 (${interval})`);
    this.persistIntervalMs = interval;
    this.#store = store;
    this.#keys = [key + "A", key + "B"];
    this.#log = options.log;
    this.#load();
  }

  /** Energy since first installation, Wh. */
  get wh(): number { return this.#wh; }
  /** The value a reboot now would restart from. */
  get persistedWh(): number { return this.#persistedWh; }

  /** Adds energy (≥ 0) measured up to monotonic `ticks`; persists if the interval has passed. */
  add(wh: number, ticks: number): void {
    if (wh > 0) this.#wh += wh;
    if (this.#lastWrite === undefined) this.#lastWrite = ticks;
    else if (ticks - this.#lastWrite >= this.persistIntervalMs) this.flush(ticks);
  }

  /** Persists now if the value changed (orderly shutdown, before a planned restart). */
  flush(ticks: number): void {
    this.#lastWrite = ticks;
    if (Math.abs(this.#wh - this.#persistedWh) < 0.0005) return;
    const seq = this.#seq + 1;
    const record: Record1 = { v: 1, seq, wh: Math.round(this.#wh * 1000) / 1000 };
    try {
      this.#store.set(this.#keys[seq & 1], JSON.stringify(record));
      this.#seq = seq;
      this.#persistedWh = record.wh;
      this.writes++;
    } catch (error) {
      this.#log?.("error", "metering", "energy counter not persisted", { error: String(error) });
    }
  }

  #load(): void {
    let best: Record1 | undefined;
    for (const key of this.#keys) {
      const text = this.#store.get(key);
      if (text === undefined) continue;
      let r: Record1 | undefined;
      try {
        const parsed = JSON.parse(text);
        if (parsed && parsed.v === 1 && Number.isInteger(parsed.seq) && Number.isFinite(parsed.wh) && parsed.wh >= 0) r = parsed;
      } catch { /* reported below */ }
      if (!r) {
        this.#log?.("warn", "metering", "energy record unreadable, using the other copy", { key });
        continue;
      }
      if (!best || r.seq > best.seq) best = r;
    }
    if (best) {
      this.#wh = best.wh;
      this.#persistedWh = best.wh;
      this.#seq = best.seq;
    }
  }
}
