// The metering service main.ts constructs: every `intervalMs` it takes one sample window from the
// source (the burst sampler), turns it into a reading, integrates energy (trapezoid between windows on
// the monotonic clock) into the persistent counter and the 30-minute slots, and reports readings,
// closed slots and health through on* callbacks (always from its own timer turn). One timer.
// Leaves out: report formatting (VEN and CIOF map readings and SlotRecords to their messages).
//
// Clock corrections: each window's wall time is derived from the monotonic clock; when the wall clock
// moved by more than `correctionToleranceMs` beyond the monotonic one between two windows, the energy
// of that interval is placed at the corrected time and the slots involved are flagged. While the wall
// clock is not valid, energy is counted but no slot is filled. Gaps longer than `maxGapMs` (a stalled
// timer) are not integrated: they show as missing coverage rather than a guess.

import type { Clock, Log, Scheduler, Store, TimerHandle } from "../platform/types";
import { EnergyCounter } from "./energy";
import { Meter } from "./meter";
import { SlotAccumulator } from "./slots";
import type { AdcSpec, ChannelHealth, CtChannelConfig, MeterReading, SlotRecord, VoltageChannelConfig, WindowSource } from "./types";

export interface MeteringOptions {
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly store: Store;
  readonly log: Log;
  /** The burst sampler (hardware/drivers/burst-sampler.ts) or a model. */
  readonly source: WindowSource;
  readonly adc: AdcSpec;
  readonly ct: readonly CtChannelConfig[];
  readonly voltage?: VoltageChannelConfig;
  readonly nominalVolts: number;
  /** Mains frequency, 50 or 60 Hz (voltage sensor phase calibration). Default 50. */
  readonly frequencyHz?: 50 | 60;
  /** Samples per channel the source can deliver (sampleRate × windowMs / 1000; default 400). */
  readonly windowCapacity?: number;
  /** Window period, ms (default 1,000: 200 ms of sampling each second). */
  readonly intervalMs?: number;
  /** Local offset for slot alignment, minutes (default +540, JST). */
  readonly utcOffsetMinutes?: number;
  readonly slotMinutes?: number;
  readonly minCoverage?: number;
  /** Energy counter write interval, ms (default 300,000). */
  readonly persistIntervalMs?: number;
  readonly storeKey?: string;
  /** Longest interval integrated between two windows (default max(60 s, 10 × intervalMs)). */
  readonly maxGapMs?: number;
  /** Wall-vs-monotonic disagreement treated as a clock correction (default 2,000 ms). */
  readonly correctionToleranceMs?: number;
  readonly onReading?: (reading: MeterReading) => void;
  readonly onSlot?: (slot: SlotRecord) => void;
  readonly onHealth?: (health: MeteringHealth) => void;
}

export interface MeteringHealth {
  /** "ok"; "degraded" = some channel faulty or over range; "fault" = no valid window (source error or all channels faulty). */
  readonly status: "ok" | "degraded" | "fault" | "starting";
  readonly channels: readonly { readonly id: string; readonly health: ChannelHealth }[];
  readonly sourceError?: string;
}

export class Metering {
  readonly meter: Meter;
  readonly energy: EnergyCounter;
  readonly slots: SlotAccumulator;
  readonly intervalMs: number;
  #clock: Clock;
  #scheduler: Scheduler;
  #log: Log;
  #source: WindowSource;
  #timer: TimerHandle | undefined;
  #nextDue = 0;
  #running = false;
  #maxGap: number;
  #tolerance: number;
  #onReading: MeteringOptions["onReading"];
  #onSlot: MeteringOptions["onSlot"];
  #onHealth: MeteringOptions["onHealth"];
  // previous window
  #prevTicks: number | undefined;
  #prevWall: number | undefined;
  #prevWatts = 0;
  #prevValid = false;
  #health: MeteringHealth = { status: "starting", channels: [] };
  #sourceError: string | undefined;
  /** Windows processed (tests, bench). */
  windows = 0;

  constructor(options: MeteringOptions) {
    const { clock, scheduler, store, log, source } = options;
    if (!clock || typeof clock.ticks !== "function") throw new TypeError("clock is required");
    if (!scheduler || typeof scheduler.set !== "function") throw new TypeError("scheduler is required");
    if (typeof log !== "function") throw new TypeError("log is required");
    if (!source || typeof source.sample !== "function") throw new TypeError("source is required");
    const interval = options.intervalMs ?? 1_000;
    if (!(interval >= 250)) throw new RangeError(`intervalMs must be ≥ 250 (${interval})`);
    const maxGap = options.maxGapMs ?? Math.max(60_000, 10 * interval);
    if (!(maxGap >= interval)) throw new RangeError(`maxGapMs must be ≥ intervalMs`);
    this.meter = new Meter({
      adc: options.adc, ct: options.ct, voltage: options.voltage, nominalVolts: options.nominalVolts, frequencyHz: options.frequencyHz,
      capacity: options.windowCapacity ?? 400,
    });
    this.energy = new EnergyCounter({ store, key: options.storeKey, persistIntervalMs: options.persistIntervalMs, log });
    this.slots = new SlotAccumulator({
      utcOffsetMinutes: options.utcOffsetMinutes, slotMinutes: options.slotMinutes, minCoverage: options.minCoverage,
      estimated: !options.voltage,
    });
    this.intervalMs = interval;
    this.#clock = clock;
    this.#scheduler = scheduler;
    this.#log = log;
    this.#source = source;
    this.#maxGap = maxGap;
    this.#tolerance = options.correctionToleranceMs ?? 2_000;
    this.#onReading = options.onReading;
    this.#onSlot = options.onSlot;
    this.#onHealth = options.onHealth;
    this.#health = { status: "starting", channels: options.ct.map((c) => ({ id: c.id, health: "starting" as ChannelHealth })) };
  }

  /** Starts periodic sampling (first window after one interval). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#nextDue = this.#clock.ticks() + this.intervalMs;
    this.#arm();
  }

  /** Stops sampling and persists the counter. Idempotent. */
  close(): void {
    this.#running = false;
    this.#scheduler.clear(this.#timer);
    this.#timer = undefined;
    this.energy.flush(this.#clock.ticks());
  }

  /** Last reading (TELEMETRY_USAGE: kW = watts / 1000, readingType Estimated when `estimated`). */
  get reading(): MeterReading { return this.meter.reading; }
  /** Monotonic energy counter, Wh (VAh when estimated). */
  get energyWh(): number { return this.energy.wh; }
  get health(): MeteringHealth { return this.#health; }
  /** Closed slots held (oldest first), their starts and their records, one at a time. */
  get closedCount(): number { return this.slots.closedCount; }
  closedStart(k: number): number { return this.slots.closedStart(k); }
  closed(k: number): SlotRecord { return this.slots.closed(k); }

  /** Takes and processes one window now (also what the timer does). Public for tests and tools. */
  step(): void {
    let window;
    try {
      window = this.#source.sample();
      this.#sourceError = undefined;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (this.#sourceError !== message) this.#log("error", "metering", "sampling failed", { error: message });
      this.#sourceError = message;
      this.#prevTicks = undefined;
      this.#prevValid = false;
      this.#updateHealth();
      return;
    }
    const reading = this.meter.process(window);
    this.windows++;
    const ticks = window.startTicks;
    const clock = this.#clock;
    const wall = clock.now() - (clock.ticks() - ticks);
    const anyFault = !reading.valid;
    if (this.#prevTicks !== undefined) {
      const dt = ticks - this.#prevTicks;
      if (dt > 0 && dt <= this.#maxGap) {
        // Trapezoid between the two windows; a faulty channel contributes nothing (coverage shows it).
        const wh = ((this.#prevWatts + reading.watts) / 2) * (dt / 3_600_000);
        this.energy.add(wh, ticks);
        if (clock.valid && this.#prevWall !== undefined) {
          const corrected = Math.abs(wall - this.#prevWall - dt) > this.#tolerance;
          if (corrected) this.#log("warn", "metering", "clock correction seen", { jumpMs: wall - this.#prevWall - dt });
          this.slots.add(wall, dt, wh, reading.watts / 1000, reading.valid && this.#prevValid, anyFault, corrected);
        }
      } else {
        this.energy.add(0, ticks);
      }
    }
    if (clock.valid) this.slots.advanceTo(wall);
    this.#prevTicks = ticks;
    this.#prevWall = clock.valid ? wall : undefined;
    this.#prevWatts = reading.watts;
    this.#prevValid = reading.valid;
    this.#updateHealth();
    this.#onReading?.(reading);
    const closed = this.slots.takeClosed();
    if (this.#onSlot) for (let i = 0; i < closed.length; i++) this.#onSlot(closed[i]);
  }

  #updateHealth(): void {
    const channels = this.meter.reading.channels;
    let changed = this.#health.channels.length !== channels.length || this.#health.sourceError !== this.#sourceError;
    let faulty = 0;
    for (let i = 0; i < channels.length; i++) {
      const h = channels[i].health;
      if (h !== "ok") faulty++;
      if (!changed && this.#health.channels[i].health !== h) changed = true;
    }
    let status: MeteringHealth["status"] = faulty === 0 ? "ok" : faulty < channels.length ? "degraded" : "fault";
    if (this.#sourceError !== undefined) status = "fault";
    if (!changed && status === this.#health.status) return;
    this.#health = Object.freeze({
      status,
      channels: Object.freeze(channels.map((c) => Object.freeze({ id: c.id, health: c.health }))),
      sourceError: this.#sourceError,
    });
    this.#log(status === "ok" ? "info" : "warn", "metering", "health", { status, error: this.#sourceError });
    this.#onHealth?.(this.#health);
  }

  #arm(): void {
    const delay = Math.max(0, this.#nextDue - this.#clock.ticks());
    this.#timer = this.#scheduler.set(() => this.#fire(), delay);
  }

  #fire(): void {
    this.#timer = undefined;
    if (!this.#running) return;
    try {
      this.step();
    } catch (error) {
      this.#log("error", "metering", "window failed", { error: error instanceof Error ? error.message : String(error) });
    }
    const now = this.#clock.ticks();
    this.#nextDue += this.intervalMs;
    if (this.#nextDue <= now) this.#nextDue = now + this.intervalMs; // fell behind: skip, never burst
    if (this.#running) this.#arm();
  }
}
