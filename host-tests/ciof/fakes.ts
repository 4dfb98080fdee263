// Test doubles of the metering and VEN inputs (SlotSource, DrRecordSource, HealthSource), written for
// XS as well as Node (no Node APIs): deterministic 30-minute slots derived from the clock.
import type { DeviceHealth, DrRecord, DrRecordSource, EnergySlot, HealthSource, SlotSource } from "../../modules/ciof/types";

const SLOT = 30 * 60_000;

/** Slots close as the clock passes each half hour; `retain` newest are kept (metering's retention). */
export class FakeMeter implements SlotSource {
  readonly slots: EnergySlot[] = [];
  #next: number;
  readonly #retain: number;
  readonly #now: () => number;
  constructor(now: () => number, options: { retain?: number; firstSlot?: number } = {}) {
    this.#now = now;
    this.#retain = options.retain ?? 96;
    this.#next = options.firstSlot ?? Math.floor(now() / SLOT) * SLOT;
  }
  /** Closes every slot that ended by now; returns how many closed. */
  close(): number {
    let n = 0;
    while (this.#next + SLOT <= this.#now()) {
      const i = this.#next / SLOT;
      const wh = 100 + (i % 48) * 7.25;
      this.slots.push({ start: this.#next, offsetMinutes: 540, wh, avgKw: wh * 2 / 1000, peakKw: (wh * 2 / 1000) * 1.5, estimated: true, valid: true });
      this.#next += SLOT;
      n++;
    }
    while (this.slots.length > this.#retain) this.slots.shift();
    return n;
  }
  slotsAfter(after: number | undefined, limit: number): readonly EnergySlot[] {
    this.close();
    const out = after === undefined ? this.slots.slice() : this.slots.filter((s) => s.start > after);
    return out.slice(0, limit);
  }
}

export class FakeDr implements DrRecordSource {
  readonly records: DrRecord[] = [];
  add(r: Omit<DrRecord, "seq">): DrRecord {
    const rec = { ...r, seq: this.records.length + 1 };
    this.records.push(rec);
    return rec;
  }
  recordsAfter(after: number | undefined, limit: number): readonly DrRecord[] {
    return this.records.filter((r) => after === undefined || r.seq > after).slice(0, limit);
  }
}

export class FakeHealth implements HealthSource {
  value: DeviceHealth = { relayFault: false, ctFault: false, vtnReachable: true };
  health(): DeviceHealth { return this.value; }
}

export function sampleDrEvent(start: number): Omit<DrRecord, "seq"> {
  return {
    eventId: "evt-2026-11-22-01", modificationNumber: 0, signalName: "SIMPLE", signalValue: 1, opt: "optIn",
    start, end: start + 60 * 60_000,
    actions: [
      { relay: "relay1", action: "shed", at: start + 12_000 },
      { relay: "relay2", action: "shed", at: start + 14_500 },
      { relay: "relay1", action: "restore", at: start + 60 * 60_000 + 30_000 },
      { relay: "relay2", action: "restore", at: start + 60 * 60_000 + 95_000 },
    ],
    kwBefore: 2.41, kwDuring: 0.87,
  };
}
