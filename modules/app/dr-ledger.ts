// The DR ledger: one DrRecord per demand-response event the device took part in (the CIOF controller
// trades them), built from what control saw and did — the event's active period and winning signal
// from the SignalView, the relay sheds and restores from control's status, the kW before (a baseline
// of the minutes before the start) and during the event from metering. A record closes once the event
// has ended and every relay it shed is back (randomised restores come after the end), or at the
// latest `closeAfterMs` after the end. Events that never became active (cancelled early) leave no record.
//
// Persistence: the events being followed (in two alternating keys "dr_opA"/"dr_opB" with a generation,
// since ESP32 Preference.set erases a key before writing it; rewritten when one starts, a relay is shed
// or restored, it ends or closes), so a participation survives a power cut — the cut itself restored the
// relays, so they are not waited for after it; each closed record under its own key ("dr0" … "dr7", by
// seq), the sequence counter ("dr_seq") written before the record, so a power cut loses at most the record being written and a
// sequence number is never reused (the CIOF outbox keeps its cursor by seq); a new seq is also never
// below the wall clock in seconds, so it stays above the cursor after the store was damaged or erased.
// Leaves out: the wire form (modules/ciof/mapping.ts), events the VEN answered but never ran.

import type { ActiveSignal, SignalView } from "../control/signals";
import type { ControlStatus } from "../control/relay-controller";
import type { DrRecord, DrRecordSource, RelayAction } from "../ciof/types";
import type { Clock, Log, Store } from "../platform/types";

export interface DrLedgerOptions {
  readonly clock: Clock;
  readonly store: Store;
  readonly log: Log;
  readonly signals: SignalView;
  /** A record closes at the latest this long after its event ended (default 20 min). */
  readonly closeAfterMs?: number;
  /** Baseline window before the event start (default 30 min, ≤ 60 min). */
  readonly baselineMs?: number;
  /** Records kept (default 8, ≤ 8). */
  readonly keep?: number;
  /** A record closed (called from the caller's turn: reading() or relays()). */
  readonly onRecord?: (record: DrRecord) => void;
}

interface Tracked {
  eventID: string;
  modificationNumber: number;
  signalName: string;
  signalValue: number;
  opt: "optIn" | "optOut";
  start: number;
  plannedEnd: number;
  /** Wall time the event stopped being active, once it has. */
  ended: number | undefined;
  actions: RelayAction[];
  /** Relays shed for this event and not yet restored. */
  shed: string[];
  kwBefore: number;
  sumKw: number;
  samples: number;
}

const MINUTE = 60_000;
const BUCKETS = 64;
const MAX_ACTIONS = 8;
const SEQ_KEY = "dr_seq";
const OPEN_KEYS = ["dr_opA", "dr_opB"] as const;
const CHECK_MS = 15_000;

export class DrLedger implements DrRecordSource {
  #o: DrLedgerOptions;
  #closeAfter: number;
  #baselineMinutes: number;
  #keep: number;
  #records: DrRecord[] = [];
  #seq = 0;
  #tracked: Tracked[] = [];
  #relays = new Map<string, { loadOn: boolean; eventID: string | undefined }>();
  // per-minute kW sums for the baseline
  #minute = new Int32Array(BUCKETS).fill(-1); // minute numbers (wall ms / 60,000): integers, < 2^31 until the year 6053
  #sum = new Float64Array(BUCKETS);
  #count = new Uint16Array(BUCKETS);
  #nextCheck = 0;
  /** Generation of the latest open-events copy, and whether it holds none. */
  #openGen = 0;
  #openEmpty = true;

  constructor(options: DrLedgerOptions) {
    const { clock, store, log, signals } = options;
    if (!clock || !store || typeof log !== "function" || !signals) throw new TypeError("DrLedger: clock, store, log and signals are required");
    const baseline = options.baselineMs ?? 30 * MINUTE;
    if (!(baseline >= MINUTE && baseline <= 60 * MINUTE)) throw new RangeError("baselineMs must be 1–60 minutes");
    const keep = options.keep ?? 8;
    if (!(Number.isInteger(keep) && keep >= 1 && keep <= 8)) throw new RangeError("keep must be 1–8");
    this.#o = options;
    this.#closeAfter = options.closeAfterMs ?? 20 * MINUTE;
    this.#baselineMinutes = Math.round(baseline / MINUTE);
    this.#keep = keep;
    this.#load();
    signals.onChange(() => { this.#nextCheck = 0; });
  }

  /** Records with seq > `after`, oldest first (DrRecordSource). */
  recordsAfter(after: number | undefined, limit: number): readonly DrRecord[] {
    const out: DrRecord[] = [];
    for (const r of this.#records) {
      if (after !== undefined && r.seq <= after) continue;
      if (out.length >= limit) break;
      out.push(r);
    }
    return out;
  }

  /** Events being followed (for status). */
  get open(): number { return this.#tracked.length; }

  /** A meter reading (kW) at wall time `wall` (valid clock only). Also drives the periodic check. */
  reading(kw: number, wall: number): void {
    const m = Math.floor(wall / MINUTE);
    const b = m % BUCKETS;
    if (this.#minute[b] !== m) {
      this.#minute[b] = m;
      this.#sum[b] = 0;
      this.#count[b] = 0;
    }
    this.#sum[b] += kw;
    if (this.#count[b] < 65535) this.#count[b]++;
    for (const t of this.#tracked) {
      if (t.ended === undefined && wall >= t.start) {
        t.sumKw += kw;
        t.samples++;
      }
    }
    if (wall >= this.#nextCheck) this.check(wall);
  }

  /** Control's status: records sheds and restores against the events that caused them. */
  relays(status: ControlStatus): void {
    const now = this.#o.clock.now();
    if (!this.#o.clock.valid) return;
    this.check(now);
    for (const r of status.relays) {
      const before = this.#relays.get(r.id);
      this.#relays.set(r.id, { loadOn: r.loadOn, eventID: r.loadOn ? undefined : r.eventID });
      if (!before) continue;
      if (before.loadOn && !r.loadOn && r.shed && r.eventID !== undefined) {
        const t = this.#find(r.eventID);
        if (t) {
          this.#action(t, r.id, "shed", now);
          if (!t.shed.includes(r.id)) t.shed.push(r.id);
          this.#saveOpen();
        }
      } else if (!before.loadOn && r.loadOn && before.eventID !== undefined) {
        const t = this.#find(before.eventID);
        if (t) {
          this.#action(t, r.id, "restore", now);
          t.shed = t.shed.filter((id) => id !== r.id);
          this.#saveOpen();
        }
      }
    }
    this.#closeDue(now);
  }

  /** Follows events as they become and stop being active; closes records that are due. */
  check(now: number): void {
    if (!this.#o.clock.valid) return;
    this.#nextCheck = now + CHECK_MS;
    let active: readonly ActiveSignal[];
    try {
      active = this.#o.signals.active(now);
      const next = this.#o.signals.nextChange(now);
      if (next !== undefined && next > now && next < this.#nextCheck) this.#nextCheck = next;
    } catch (error) {
      this.#o.log("warn", "ledger", "signals unavailable", { error: error instanceof Error ? error.message : String(error) });
      return;
    }
    const seen: string[] = [];
    let changed = false;
    for (const s of active) {
      if (s.phase !== "active") continue;
      let t = this.#find(s.eventID);
      if (!t || t.ended !== undefined) {
        if (t) continue; // ended and waiting for restores; a reactivation is a new modification, not a new record
        if (this.#tracked.length >= 4) this.#close(this.#tracked[0], now, "too many events");
        t = {
          eventID: s.eventID, modificationNumber: s.modificationNumber, signalName: s.signalName, signalValue: s.value,
          opt: s.opt, start: s.start, plannedEnd: s.end, ended: undefined, actions: [], shed: [],
          kwBefore: this.#baseline(s.start), sumKw: 0, samples: 0,
        };
        this.#tracked.push(t);
        this.#o.log("debug", "ledger", "event active", { eventID: s.eventID });
        changed = true;
      }
      if (!seen.includes(s.eventID)) {
        seen.push(s.eventID);
        t.modificationNumber = s.modificationNumber;
        t.opt = s.opt;
        t.plannedEnd = s.end;
        if (s.signalName === t.signalName && s.value > t.signalValue) t.signalValue = s.value;
      }
    }
    for (const t of this.#tracked) {
      if (t.ended === undefined && !seen.includes(t.eventID)) { t.ended = Math.min(now, t.plannedEnd); changed = true; }
    }
    if (changed) this.#saveOpen();
    this.#closeDue(now);
  }

  #closeDue(now: number): void {
    for (let i = 0; i < this.#tracked.length;) {
      const t = this.#tracked[i];
      if (t.ended !== undefined && (t.shed.length === 0 || now >= t.ended + this.#closeAfter)) this.#close(t, now, t.shed.length ? "restore overdue" : "ended");
      else i++;
    }
  }

  #find(eventID: string): Tracked | undefined {
    for (const t of this.#tracked) if (t.eventID === eventID) return t;
    return undefined;
  }

  #action(t: Tracked, relay: string, action: "shed" | "restore", at: number): void {
    if (t.actions.length >= MAX_ACTIONS) return;
    t.actions.push(Object.freeze({ relay, action, at }));
  }

  #baseline(start: number): number {
    const first = Math.floor(start / MINUTE) - this.#baselineMinutes;
    let sum = 0;
    let n = 0;
    for (let m = first; m < first + this.#baselineMinutes; m++) {
      const b = m % BUCKETS;
      if (this.#minute[b] === m && this.#count[b] > 0) {
        sum += this.#sum[b] / this.#count[b];
        n++;
      }
    }
    return n ? round3(sum / n) : 0;
  }

  #close(t: Tracked, now: number, why: string): void {
    this.#tracked = this.#tracked.filter((x) => x !== t);
    // Never below the wall clock in seconds: a sequence lost with a damaged store (dr_seq unreadable →
    // 0) must not restart under the CIOF outbox's cursor, or the next records are never traded.
    const seq = Math.max(this.#seq + 1, this.#o.clock.valid ? Math.floor(now / 1000) : 0);
    const record: DrRecord = Object.freeze({
      seq, eventId: t.eventID, modificationNumber: t.modificationNumber, signalName: t.signalName, signalValue: t.signalValue,
      opt: t.opt, start: t.start, end: t.ended ?? now, actions: Object.freeze(t.actions.slice()),
      kwBefore: t.kwBefore, kwDuring: t.samples ? round3(t.sumKw / t.samples) : 0,
    });
    try {
      this.#o.store.set(SEQ_KEY, String(seq));
      this.#o.store.set("dr" + (seq % this.#keep), JSON.stringify(record));
    } catch (error) {
      this.#o.log("warn", "ledger", "record not persisted", { eventID: t.eventID, error: error instanceof Error ? error.message : String(error) });
    }
    this.#seq = seq;
    this.#records.push(record);
    while (this.#records.length > this.#keep) this.#records.shift();
    this.#saveOpen();
    this.#o.log("info", "ledger", "DR record", { eventID: t.eventID, seq, why, actions: t.actions.length, kwBefore: record.kwBefore, kwDuring: record.kwDuring });
    this.#o.onRecord?.(record);
  }

  #load(): void {
    const store = this.#o.store;
    const stored = store.get(SEQ_KEY);
    let seq = Number(stored ?? "0");
    if (!Number.isInteger(seq) || seq < 0) {
      this.#o.log("warn", "ledger", "stored sequence unreadable: continuing from the records and the clock", { key: SEQ_KEY });
      seq = 0;
    }
    const records: DrRecord[] = [];
    for (let i = 0; i < this.#keep; i++) {
      const text = store.get("dr" + i);
      if (text === undefined) continue;
      try {
        const r = JSON.parse(text) as DrRecord;
        if (r && Number.isInteger(r.seq) && typeof r.eventId === "string" && Array.isArray(r.actions)) records.push(Object.freeze(r));
      } catch {
        this.#o.log("warn", "ledger", "stored record unreadable: ignored", { key: "dr" + i });
      }
    }
    records.sort((a, b) => a.seq - b.seq);
    for (const r of records) if (r.seq > seq) seq = r.seq;
    this.#records = records.slice(-this.#keep);
    this.#seq = seq;
    this.#loadOpen();
  }

  /** The events being followed, as compact arrays (≤ 4 events × ≤ 8 actions: < 3 KB). */
  #saveOpen(): void {
    try {
      if (this.#tracked.length === 0 && this.#openEmpty) return;
      const g = ++this.#openGen;
      this.#o.store.set(OPEN_KEYS[g % 2]!, JSON.stringify({ g, t: this.#tracked.map((t) => [
        t.eventID, t.modificationNumber, t.signalName, t.signalValue, t.opt, t.start, t.plannedEnd, t.ended ?? null,
        t.actions.map((a) => [a.relay, a.action, a.at]), t.kwBefore, round3(t.sumKw), t.samples,
      ]) }));
      this.#openEmpty = this.#tracked.length === 0;
    } catch (error) {
      this.#o.log("warn", "ledger", "open events not persisted", { error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Events followed before a restart; one whose record was already written is not followed again.
   *  Their relays are not waited for: the power cut that restarted the device put every load back on. */
  #loadOpen(): void {
    let list: unknown[] | undefined;
    for (const key of OPEN_KEYS) {
      const text = this.#o.store.get(key);
      if (text === undefined) continue;
      let v: { g?: unknown; t?: unknown } | undefined;
      try {
        v = JSON.parse(text);
      } catch {
        v = undefined;
      }
      if (!v || !Number.isInteger(v.g) || !Array.isArray(v.t)) {
        this.#o.log("warn", "ledger", "stored open events unreadable: using the other copy", { key });
        continue;
      }
      if ((v.g as number) > this.#openGen) {
        this.#openGen = v.g as number;
        list = v.t as unknown[];
      }
    }
    this.#openEmpty = !list || list.length === 0;
    if (!list) return;
    const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
    for (const a of list.slice(0, 4)) {
      if (!Array.isArray(a) || typeof a[0] !== "string" || !Number.isInteger(a[1]) || typeof a[2] !== "string" || !finite(a[3]) ||
        (a[4] !== "optIn" && a[4] !== "optOut") || !finite(a[5]) || !finite(a[6]) || !(a[7] === null || finite(a[7])) || !Array.isArray(a[8]) ||
        !finite(a[9]) || !finite(a[10]) || !Number.isInteger(a[11])) {
        this.#o.log("warn", "ledger", "stored open event unreadable: ignored", {});
        continue;
      }
      if (this.#records.some((r) => r.eventId === a[0] && r.start === a[5])) continue;
      const actions: RelayAction[] = [];
      for (const x of (a[8] as unknown[]).slice(0, MAX_ACTIONS)) {
        if (Array.isArray(x) && typeof x[0] === "string" && (x[1] === "shed" || x[1] === "restore") && finite(x[2])) actions.push(Object.freeze({ relay: x[0], action: x[1], at: x[2] }));
      }
      this.#tracked.push({
        eventID: a[0], modificationNumber: a[1], signalName: a[2], signalValue: a[3], opt: a[4], start: a[5], plannedEnd: a[6],
        ended: a[7] === null ? undefined : a[7], actions, shed: [], kwBefore: a[9], sumKw: a[10], samples: a[11],
      });
    }
  }
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
