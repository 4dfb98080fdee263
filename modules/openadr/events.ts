// The VEN's event store and schedule: events as received (normalised, with the local randomisation
// offset and the opt answer), persisted through the Store so they keep executing across a loss of
// connection and reboots — never past their end — and the SignalView control reads. Statuses
// (far/near/active/completed/cancelled) come from the device clock, with the randomised start.
// Nothing here talks to the network or decides opt answers (ven.ts does); schedules are acted on only
// while the clock is valid.
//
// Timeline of one event (start = dtstart + offset, offset ∈ [0, startafter] drawn once and kept across
// modifications and reboots; end = start + duration, Infinity when duration is 0):
//
//   start-notification   start-rampUp        start                 end              end+recovery
//   |---- notification ----|---- rampUp ------|====== active ======|--- recovery ---|
//   status: far ........... near ............. active ............. completed ........
//
// Overlap: active() lists every signal in force, winners first: higher priority (lower number; 0 =
// none = lowest), then first activated (earlier start, then earlier arrival).
import type { ActiveSignal, SignalPhase, SignalView } from "../control/signals";
import type { Clock, Log, Random, Scheduler, TimerHandle } from "../platform/types";
import type { EventStatus, OptType, ResponseRequired } from "./enums";
import { isTestEvent } from "./enums";
import type { ItemBase, OadrEvent, Target, TargetType } from "./types";
import type { RecordStore } from "./persist";

export const EVENTS_PREFIX = "oaEv";
const RECORD_VERSION = 2;

export interface StoredInterval {
  uid: string;
  /** Offset from the (randomised) start, ms. */
  offset: number;
  /** ms; Infinity for the last interval of an open-ended event with no duration. */
  duration: number;
  value: number;
}

export interface StoredSignal {
  signalName: string;
  signalType: string;
  signalID: string;
  currentValue?: number;
  itemBase?: ItemBase;
  /**
   * The intervals as columns (row k = interval k; ≈24 bytes an interval instead of an object, ≈5 slots):
   * offsets from the event start, durations (Infinity: open-ended last interval), payload values, and
   * the uids only when some uid is not String(k). `intervalsOf` gives them as objects.
   */
  offset: Float64Array;
  duration: Float64Array;
  value: Float64Array;
  uid?: string[];
}

/** A stored signal's intervals as objects (for the app's VenEvent and tests). */
export function intervalsOf(s: StoredSignal): StoredInterval[] {
  const out: StoredInterval[] = [];
  for (let k = 0; k < s.value.length; k++) out.push({ uid: s.uid?.[k] ?? String(k), offset: s.offset[k]!, duration: s.duration[k]!, value: s.value[k]! });
  return out;
}

function columnsOf(intervals: readonly StoredInterval[]): Pick<StoredSignal, "offset" | "duration" | "value" | "uid"> {
  const n = intervals.length;
  const offset = new Float64Array(n), duration = new Float64Array(n), value = new Float64Array(n);
  let uid: string[] | undefined;
  for (let k = 0; k < n; k++) {
    const i = intervals[k]!;
    offset[k] = i.offset;
    duration[k] = i.duration;
    value[k] = i.value;
    if (uid === undefined && i.uid !== String(k)) uid = intervals.map((j) => j.uid);
  }
  return uid === undefined ? { offset, duration, value } : { offset, duration, value, uid };
}

/** One event as the VEN keeps it (persisted as JSON; Infinity is written as -1). */
export interface EventRecord {
  eventID: string;
  modificationNumber: number;
  modificationReason?: string;
  modificationDateTime?: number;
  priority: number;
  marketContext: string;
  createdDateTime: number;
  vtnStatus: EventStatus;
  testEvent?: string;
  vtnComment?: string;
  dtstart: number;
  duration: number;
  startafter?: number;
  notification?: number;
  rampUp?: number;
  recovery?: number;
  signals: StoredSignal[];
  targets: Target[];
  responseRequired: ResponseRequired;
  /** Randomisation offset drawn in [0, startafter], ms. */
  offset: number;
  /** Arrival order (tie-break "first activated"). */
  seq: number;
  /** The app's answer; undefined while the handler has not answered. */
  opt?: OptType;
  /** Locally cancelled (explicitly or implied); kept until its end so control sees it stop. */
  cancelled: boolean;
}

/** The event object the application's `onEvent` handler receives. */
export interface VenEvent {
  eventID: string;
  modificationNumber: number;
  modificationReason?: string;
  priority: number;
  marketContext: string;
  createdDateTime: number;
  /** Status from the device clock (randomised start); `vtnStatus` is what the VTN wrote. */
  status: EventStatus;
  vtnStatus: EventStatus;
  test: boolean;
  vtnComment?: string;
  responseRequired: ResponseRequired;
  activePeriod: {
    /** As sent by the VTN. */
    dtstart: number;
    /** ms; 0 = open-ended. */
    duration: number;
    /** Randomised start and end (ms since epoch; end is Infinity when open-ended). */
    start: number;
    end: number;
    /** ms added to dtstart, drawn in [0, startafter]. */
    randomization: number;
    startafter?: number;
    notification?: number;
    rampUp?: number;
    recovery?: number;
  };
  signals: Array<{
    signalName: string;
    signalType: string;
    signalID: string;
    currentValue?: number;
    itemBase?: ItemBase;
    intervals: Array<{ uid: string; start: number; end: number; duration: number; value: number }>;
  }>;
  /** Targets as a list, like OpenLEADR's `targets`. */
  targets: Array<{ type: TargetType; value: string }>;
  /** The same grouped by type, like OpenLEADR's `targets_by_type`. */
  targetsByType: Partial<Record<TargetType, string[]>>;
}

export type UpsertOutcome = "new" | "modified" | "unchanged" | "stale" | "full";

export interface EventScheduleOptions {
  clock: Clock;
  scheduler: Scheduler;
  random: Random;
  log: Log;
  records: RecordStore;
  /** At most this many events are kept. Default 10. */
  maxEvents?: number;
}

/** An opt-out window from a local override (OverrideSink): events overlapping it read as optOut. */
export interface OverrideWindow {
  from: number;
  until: number;
  reason: string;
}

export function eventStart(e: EventRecord): number {
  return e.dtstart + e.offset;
}

export function eventEnd(e: EventRecord): number {
  return e.duration === 0 ? Infinity : eventStart(e) + e.duration;
}

/** Status of an event at `now` from the device clock. */
export function statusAt(e: EventRecord, now: number): EventStatus {
  if (e.cancelled || e.vtnStatus === "cancelled") return "cancelled";
  const start = eventStart(e);
  if (now >= eventEnd(e)) return "completed";
  if (now >= start) return "active";
  if (e.rampUp !== undefined && now >= start - e.rampUp) return "near";
  return "far";
}

/** Last instant (ms) at which an event still matters to control (end of recovery). */
export function eventHorizon(e: EventRecord): number {
  return eventEnd(e) + (e.recovery ?? 0);
}

/** Normalises a decoded oadrEvent (the randomisation offset and arrival order are set by the schedule). */
export function recordFromOadr(event: OadrEvent): EventRecord {
  const d = event.eventDescriptor;
  const p = event.eiActivePeriod;
  const signals: StoredSignal[] = event.eiEventSignals.map((s) => {
    let offset = 0;
    const c = s.columns; // the decoder's intervalColumns form (the VEN's wire), else one object per interval
    let columns: Pick<StoredSignal, "offset" | "duration" | "value" | "uid">;
    if (c !== undefined) {
      const n = c.length;
      columns = { offset: new Float64Array(n), duration: new Float64Array(n), value: c.value };
      for (let i = 0; i < n; i++) {
        const d = c.duration[i]!;
        const duration = d > 0 ? d : Infinity; // NaN (absent) too
        const at = c.dtstart !== undefined ? c.dtstart[i]! : NaN;
        const start = at === at ? at - p.dtstart : offset;
        offset = start + duration;
        columns.offset[i] = start;
        columns.duration[i] = duration;
      }
      if (c.uid !== undefined) columns.uid = c.uid.map((u, k) => u ?? String(k));
    } else {
      columns = columnsOf(s.intervals.map((interval, i) => {
        const duration = interval.duration !== undefined && interval.duration > 0 ? interval.duration : Infinity;
        const start = interval.dtstart !== undefined ? interval.dtstart - p.dtstart : offset;
        offset = start + duration;
        return { uid: interval.uid ?? String(i), offset: start, duration, value: interval.signalPayload };
      }));
    }
    const signal: StoredSignal = { signalName: s.signalName, signalType: s.signalType, signalID: s.signalID, ...columns };
    if (s.currentValue !== undefined) signal.currentValue = s.currentValue;
    if (s.itemBase) signal.itemBase = s.itemBase;
    return signal;
  });
  const record: EventRecord = {
    eventID: d.eventID,
    modificationNumber: d.modificationNumber,
    priority: d.priority ?? 0,
    marketContext: d.marketContext,
    createdDateTime: d.createdDateTime,
    vtnStatus: d.eventStatus,
    dtstart: p.dtstart,
    duration: p.duration,
    signals,
    targets: event.targets.slice(),
    responseRequired: event.oadrResponseRequired,
    offset: 0,
    seq: 0,
    cancelled: d.eventStatus === "cancelled",
  };
  if (d.modificationReason !== undefined) record.modificationReason = d.modificationReason;
  if (d.modificationDateTime !== undefined) record.modificationDateTime = d.modificationDateTime;
  if (d.testEvent !== undefined) record.testEvent = d.testEvent;
  if (d.vtnComment !== undefined) record.vtnComment = d.vtnComment;
  if (p.startafter !== undefined && p.startafter > 0) record.startafter = p.startafter;
  if (p.xEiNotification !== undefined) record.notification = p.xEiNotification;
  if (p.xEiRampUp !== undefined) record.rampUp = p.xEiRampUp;
  if (p.xEiRecovery !== undefined) record.recovery = p.xEiRecovery;
  return record;
}

/** Problems a VEN should report about an event's content (empty when fine). */
export function checkEvent(e: EventRecord): string[] {
  const problems: string[] = [];
  if (e.eventID.trim() === "") problems.push("no eventID");
  for (const s of e.signals) {
    const n = s.value.length;
    if (n === 0) problems.push(`signal ${s.signalID} has no intervals`);
    if (s.signalName === "SIMPLE" || s.signalName === "simple") {
      for (let k = 0; k < n; k++) {
        const v = s.value[k]!;
        if (!(v === 0 || v === 1 || v === 2 || v === 3)) problems.push(`SIMPLE payload ${v} not in {0,1,2,3}`);
      }
    }
    if (e.duration > 0 && n > 0) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += s.duration[k]!;
      if (sum !== e.duration) problems.push(`signal ${s.signalID}: interval durations sum to ${sum} ms, active period is ${e.duration} ms`);
    }
  }
  if (e.signals.length === 0) problems.push("no signals");
  return problems;
}

export function toVenEvent(e: EventRecord, now: number): VenEvent {
  const start = eventStart(e);
  const end = eventEnd(e);
  const targetsByType: Partial<Record<TargetType, string[]>> = {};
  for (const t of e.targets) (targetsByType[t.type] ??= []).push(t.value);
  const activePeriod: VenEvent["activePeriod"] = { dtstart: e.dtstart, duration: e.duration, start, end, randomization: e.offset };
  if (e.startafter !== undefined) activePeriod.startafter = e.startafter;
  if (e.notification !== undefined) activePeriod.notification = e.notification;
  if (e.rampUp !== undefined) activePeriod.rampUp = e.rampUp;
  if (e.recovery !== undefined) activePeriod.recovery = e.recovery;
  const out: VenEvent = {
    eventID: e.eventID,
    modificationNumber: e.modificationNumber,
    priority: e.priority,
    marketContext: e.marketContext,
    createdDateTime: e.createdDateTime,
    status: statusAt(e, now),
    vtnStatus: e.vtnStatus,
    test: isTestEvent(e.testEvent),
    responseRequired: e.responseRequired,
    activePeriod,
    signals: e.signals.map((s) => {
      const signal: VenEvent["signals"][number] = {
        signalName: s.signalName, signalType: s.signalType, signalID: s.signalID,
        intervals: intervalsOf(s).map((i) => ({ uid: i.uid, start: start + i.offset, end: start + i.offset + i.duration, duration: i.duration, value: i.value })),
      };
      if (s.currentValue !== undefined) signal.currentValue = s.currentValue;
      if (s.itemBase) signal.itemBase = s.itemBase;
      return signal;
    }),
    targets: e.targets.map((t) => ({ type: t.type, value: t.value })),
    targetsByType,
  };
  if (e.modificationReason !== undefined) out.modificationReason = e.modificationReason;
  if (e.vtnComment !== undefined) out.vtnComment = e.vtnComment;
  return out;
}

// ---- persistence: a positional array (NVS holds ≈20 KB for everything; a named-field JSON event
// costs ≈1.2 KB, this form ≈0.4 KB). Absent optionals are null; Infinity durations are -1.
type Packed = unknown[];
const OPT_CODES: Readonly<Record<string, OptType>> = Object.freeze({ i: "optIn", o: "optOut" });
const n = (v: number | undefined): number | null => (v === undefined ? null : v);
const s_ = (v: string | undefined): string | null => (v === undefined ? null : v);

function pack(e: EventRecord): Packed {
  return [
    e.eventID, e.modificationNumber, s_(e.modificationReason), n(e.modificationDateTime), e.priority, e.marketContext,
    e.createdDateTime, e.vtnStatus, s_(e.testEvent), s_(e.vtnComment), e.dtstart, e.duration, n(e.startafter),
    n(e.notification), n(e.rampUp), n(e.recovery),
    e.signals.map((sig) => {
      const flat: number[] = [];
      for (let k = 0; k < sig.value.length; k++) {
        const duration = sig.duration[k]!;
        flat.push(sig.offset[k]!, duration === Infinity ? -1 : duration, sig.value[k]!);
      }
      const uids = sig.uid ?? null;
      return [sig.signalName, sig.signalType, sig.signalID, n(sig.currentValue), sig.itemBase ?? null, flat, uids];
    }),
    e.targets.map((t) => [t.type, t.value]),
    e.responseRequired === "never" ? 0 : 1, e.offset, e.seq, e.opt === undefined ? null : e.opt === "optIn" ? "i" : "o", e.cancelled ? 1 : 0,
  ];
}

function isPacked(data: unknown): data is Packed {
  return Array.isArray(data) && data.length === 23 && typeof data[0] === "string" && typeof data[1] === "number" &&
    typeof data[10] === "number" && typeof data[11] === "number" && Array.isArray(data[16]) && Array.isArray(data[17]);
}

function unpack(a: Packed): EventRecord | undefined {
  try {
    const signals: StoredSignal[] = (a[16] as unknown[][]).map((sig) => {
      const flat = sig[5] as number[];
      const uids = sig[6] as string[] | null;
      const n = Math.floor(flat.length / 3);
      const offset = new Float64Array(n), duration = new Float64Array(n), value = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        const d = flat[k * 3 + 1]!;
        offset[k] = flat[k * 3]!;
        duration[k] = d < 0 ? Infinity : d;
        value[k] = flat[k * 3 + 2]!;
      }
      const out: StoredSignal = { signalName: sig[0] as string, signalType: sig[1] as string, signalID: sig[2] as string, offset, duration, value };
      if (uids) out.uid = uids.slice(0, n);
      if (sig[3] !== null) out.currentValue = sig[3] as number;
      if (sig[4] !== null) out.itemBase = sig[4] as ItemBase;
      return out;
    });
    const e: EventRecord = {
      eventID: a[0] as string, modificationNumber: a[1] as number, priority: a[4] as number, marketContext: a[5] as string,
      createdDateTime: a[6] as number, vtnStatus: a[7] as EventStatus, dtstart: a[10] as number, duration: a[11] as number,
      signals, targets: (a[17] as string[][]).map(([type, value]) => ({ type: type as TargetType, value: value! })),
      responseRequired: a[18] === 0 ? "never" : "always", offset: a[19] as number, seq: a[20] as number, cancelled: a[22] === 1,
    };
    const opt = a[21] === null ? undefined : OPT_CODES[a[21] as string];
    if (opt) e.opt = opt;
    if (a[2] !== null) e.modificationReason = a[2] as string;
    if (a[3] !== null) e.modificationDateTime = a[3] as number;
    if (a[8] !== null) e.testEvent = a[8] as string;
    if (a[9] !== null) e.vtnComment = a[9] as string;
    if (a[12] !== null) e.startafter = a[12] as number;
    if (a[13] !== null) e.notification = a[13] as number;
    if (a[14] !== null) e.rampUp = a[14] as number;
    if (a[15] !== null) e.recovery = a[15] as number;
    return e;
  } catch {
    return undefined;
  }
}

export class EventSchedule implements SignalView {
  readonly #clock: Clock;
  readonly #scheduler: Scheduler;
  readonly #random: Random;
  readonly #log: Log;
  readonly #records: RecordStore;
  readonly #max: number;
  readonly #events = new Map<string, EventRecord>();
  readonly #listeners: Array<() => void> = [];
  #override: OverrideWindow | undefined;
  #seq = 0;
  #notify: TimerHandle | undefined;

  constructor(options: EventScheduleOptions) {
    this.#clock = options.clock;
    this.#scheduler = options.scheduler;
    this.#random = options.random;
    this.#log = options.log;
    this.#records = options.records;
    this.#max = options.maxEvents ?? 10;
  }

  /** Loads stored events (after a reboot). Events already past their horizon are dropped once the clock is valid. */
  load(): void {
    this.#events.clear();
    const stored = this.#records.readCollection(EVENTS_PREFIX, RECORD_VERSION, isPacked);
    for (const [id, data] of stored) {
      const record = unpack(data);
      if (!record) {
        this.#log("warn", "events", "discarding unreadable stored event", { eventID: id });
        this.#records.deleteItem(EVENTS_PREFIX, id);
        continue;
      }
      this.#events.set(id, record);
      if (record.seq > this.#seq) this.#seq = record.seq;
    }
    this.prune();
    if (this.#events.size) this.#changed();
  }

  get size(): number {
    return this.#events.size;
  }

  get(eventID: string): EventRecord | undefined {
    return this.#events.get(eventID);
  }

  /** Stored events in arrival order. */
  list(): EventRecord[] {
    return [...this.#events.values()].sort((a, b) => a.seq - b.seq);
  }

  /**
   * Adds or modifies an event. A higher modificationNumber replaces the stored one (keeping the
   * randomisation offset, clamped to the new startafter, and the arrival order); the same number is
   * "unchanged"; a lower one is "stale" (an error the caller answers with 450). "full" when the store
   * holds `maxEvents` events that are all still to come or running.
   */
  upsert(incoming: EventRecord): UpsertOutcome {
    const existing = this.#events.get(incoming.eventID);
    if (existing) {
      if (incoming.modificationNumber < existing.modificationNumber) return "stale";
      if (incoming.modificationNumber === existing.modificationNumber) {
        // Same version: only a status change from the VTN is news (e.g. cancelled without a new number).
        if (incoming.vtnStatus === "cancelled" && !existing.cancelled) {
          this.cancel(existing.eventID);
          return "modified";
        }
        if (existing.vtnStatus !== incoming.vtnStatus) {
          existing.vtnStatus = incoming.vtnStatus;
          this.#persist(existing);
        }
        return "unchanged";
      }
      incoming.offset = existing.offset;
      if (incoming.startafter === undefined) incoming.offset = 0;
      else if (incoming.offset > incoming.startafter) incoming.offset = Math.floor(this.#random() * incoming.startafter);
      incoming.seq = existing.seq;
      incoming.opt = existing.opt;
      this.#events.set(incoming.eventID, incoming);
      this.#persist(incoming);
      this.#changed();
      return "modified";
    }
    if (this.#events.size >= this.#max) {
      this.prune();
      if (this.#events.size >= this.#max) {
        // Make room by dropping a cancelled or completed event, oldest first.
        const now = this.#clock.now();
        const victim = this.list().find((e) => e.cancelled || statusAt(e, now) === "completed");
        if (!victim) return "full";
        this.remove(victim.eventID);
      }
    }
    incoming.offset = incoming.startafter ? Math.floor(this.#random() * incoming.startafter) : 0;
    incoming.seq = ++this.#seq;
    this.#events.set(incoming.eventID, incoming);
    this.#persist(incoming);
    this.#changed();
    return "new";
  }

  setOpt(eventID: string, opt: OptType): void {
    const e = this.#events.get(eventID);
    if (!e || e.opt === opt) return;
    e.opt = opt;
    this.#persist(e);
    this.#changed();
  }

  /** The answer control and the VTN see: the app's answer, turned to optOut by an override window. */
  effectiveOpt(e: EventRecord): OptType {
    if (this.#override && this.#overlaps(e, this.#override)) return "optOut";
    return e.opt ?? "optIn";
  }

  /** Marks an event cancelled (it stops now); kept until its end so a restart does not resurrect it. */
  cancel(eventID: string): boolean {
    const e = this.#events.get(eventID);
    if (!e || e.cancelled) return false;
    e.cancelled = true;
    e.vtnStatus = "cancelled";
    this.#persist(e);
    this.#changed();
    return true;
  }

  remove(eventID: string): void {
    if (!this.#events.delete(eventID)) return;
    this.#records.deleteItem(EVENTS_PREFIX, eventID);
    this.#changed();
  }

  /** Drops events past their horizon (end of recovery) and cancelled events past their end. Needs a valid clock. */
  prune(): void {
    if (!this.#clock.valid) return;
    const now = this.#clock.now();
    for (const e of this.list()) {
      if (now >= eventHorizon(e) || (e.cancelled && now >= eventEnd(e))) this.remove(e.eventID);
    }
  }

  clear(): void {
    this.#events.clear();
    this.#records.clearCollection(EVENTS_PREFIX);
    this.#changed();
  }

  setOverride(window: OverrideWindow | undefined): void {
    this.#override = window;
    this.#changed();
  }

  get override(): OverrideWindow | undefined {
    return this.#override;
  }

  /** Events overlapping a window (not cancelled, not over). */
  overlapping(from: number, until: number): EventRecord[] {
    return this.list().filter((e) => !e.cancelled && eventStart(e) < until && eventHorizon(e) > from);
  }

  #overlaps(e: EventRecord, w: OverrideWindow): boolean {
    return eventStart(e) - (e.rampUp ?? 0) < w.until && eventHorizon(e) > w.from;
  }

  // ---- SignalView ------------------------------------------------------------------------------

  active(now: number): readonly ActiveSignal[] {
    if (!this.#clock.valid) return [];
    const out: Array<ActiveSignal & { seq: number }> = [];
    for (const e of this.#events.values()) {
      if (e.cancelled) continue;
      const phase = phaseAt(e, now);
      if (!phase) continue;
      const start = eventStart(e);
      const end = eventEnd(e);
      const resourceIDs: string[] = [];
      for (const t of e.targets) if (t.type === "resourceID") resourceIDs.push(t.value);
      const opt = this.effectiveOpt(e);
      for (const s of e.signals) {
        out.push({
          eventID: e.eventID, modificationNumber: e.modificationNumber, signalName: s.signalName, signalType: s.signalType,
          signalID: s.signalID, value: valueAt(s, phase === "active" ? now - start : 0), priority: e.priority,
          test: isTestEvent(e.testEvent), phase, start, end, opt, resourceIDs, seq: e.seq,
        });
      }
    }
    out.sort(winnerFirst);
    return out.map(({ seq: _seq, ...signal }) => signal);
  }

  nextChange(now: number): number | undefined {
    if (!this.#clock.valid) return undefined;
    let next = Infinity;
    const consider = (t: number) => {
      if (t > now && t < next) next = t;
    };
    for (const e of this.#events.values()) {
      if (e.cancelled) continue;
      const start = eventStart(e);
      const end = eventEnd(e);
      if (e.notification !== undefined) consider(start - e.notification);
      if (e.rampUp !== undefined) consider(start - e.rampUp);
      consider(start);
      for (const s of e.signals) for (let k = 0; k < s.offset.length; k++) consider(start + s.offset[k]!);
      consider(end);
      if (e.recovery !== undefined) consider(end + e.recovery);
    }
    if (this.#override) consider(this.#override.until);
    return next === Infinity ? undefined : next;
  }

  onChange(listener: () => void): void {
    this.#listeners.push(listener);
  }

  // ---- internals ---------------------------------------------------------------------------------

  #persist(e: EventRecord): void {
    try {
      this.#records.writeItem(EVENTS_PREFIX, RECORD_VERSION, e.eventID, pack(e));
    } catch (error) {
      this.#log("error", "events", "could not persist event", { eventID: e.eventID, error: String(error) });
    }
  }

  /** Listeners run on a later turn, once per burst of changes. */
  #changed(): void {
    if (this.#notify || this.#listeners.length === 0) return;
    this.#notify = this.#scheduler.set(() => {
      this.#notify = undefined;
      for (const listener of this.#listeners) {
        try {
          listener();
        } catch (error) {
          this.#log("error", "events", "onChange listener threw", { error: String(error) });
        }
      }
    }, 0);
  }
}

/** Where the event's timeline stands at `now`, or undefined outside notification…recovery. */
export function phaseAt(e: EventRecord, now: number): SignalPhase | undefined {
  const start = eventStart(e);
  const end = eventEnd(e);
  if (now >= end) return e.recovery !== undefined && now < end + e.recovery ? "recovery" : undefined;
  if (now >= start) return "active";
  if (e.rampUp !== undefined && now >= start - e.rampUp) return "rampUp";
  if (e.notification !== undefined && now >= start - e.notification) return "notification";
  return undefined;
}

/** Payload of the interval in force `elapsed` ms after the start (the last interval persists). */
export function valueAt(s: StoredSignal, elapsed: number): number {
  let value = s.value.length ? s.value[0]! : 0;
  for (let k = 0; k < s.value.length; k++) {
    const offset = s.offset[k]!;
    if (elapsed >= offset) value = s.value[k]!;
    if (elapsed < offset + s.duration[k]!) break;
  }
  return value;
}

function winnerFirst(a: ActiveSignal & { seq: number }, b: ActiveSignal & { seq: number }): number {
  // Priority: lower number wins; 0 means none given, the lowest.
  const pa = a.priority === 0 ? Infinity : a.priority;
  const pb = b.priority === 0 ? Infinity : b.priority;
  if (pa !== pb) return pa - pb;
  if (a.start !== b.start) return a.start - b.start;
  return a.seq - b.seq;
}
