// The VEN's reports: data points registered by the application (addReport), their METADATA for
// oadrRegisterReport, report requests from oadrRegisteredReport/oadrCreateReport (granularity,
// reportBackDuration, reportInterval, one-shot), sampling into bounded buffers, and the
// oadrUpdateReport messages due on schedule — after an outage the buffered intervals go out oldest
// first, a bounded number per message. HISTORY_USAGE is energy per 30-minute slot aligned to local
// :00/:30 (from a cumulative counter the application reads). TELEMETRY_STATUS carries
// oadrPayloadResourceStatus (online, manual override).
// Leaves out: oadrLoadControlState in status reports, onChange sampling, reports the VTN offers (a VTN's
// own metadata is acknowledged, never requested).
//
// Buffers live in RAM (a reboot loses unsent samples); the report requests are persisted so reporting
// resumes after a reboot without the VTN asking again.
import type { Clock, Log } from "../platform/types";
import type { ItemBaseName, ReadingType, ReportType, SiScaleCode } from "./enums";
import { ITEM_BASES } from "./enums";
import type { ItemBase, OadrReport, PowerAttributes, ReportInterval, ReportPayload, ReportRequest } from "./types";
import type { RecordStore } from "./persist";

export const REQUESTS_PREFIX = "oaRq";
const REQUEST_VERSION = 1;
const SLOT_MS = 30 * 60_000;
const DAY_MS = 86_400_000;

export interface StatusReading {
  online: boolean;
  manualOverride: boolean;
}

/** What `addReport` takes (OpenLEADR's add_report, typed). */
export interface ReportSource {
  /** "TELEMETRY_USAGE" (default), "TELEMETRY_STATUS", "HISTORY_USAGE" or an x- name. */
  reportName?: string;
  resourceId: string;
  /** emix item: "powerReal", "energyReal", "powerApparent", "voltage", … or "status" for TELEMETRY_STATUS. */
  measurement: ItemBaseName | "status";
  /** itemUnits when the item has no fixed unit (powerReal: "W"). */
  unit?: string;
  scale?: SiScaleCode;
  /** Minimum sampling period, ms. Default 10 s (HISTORY_USAGE: 30 min). */
  samplingRate?: number;
  /**
   * Reads the current value: a number (power, voltage …; for HISTORY_USAGE a cumulative energy counter
   * whose increase per slot is reported), a StatusReading for "status", or undefined when unknown.
   */
  read: () => number | StatusReading | undefined;
  readingType?: ReadingType;
  reportType?: ReportType;
  /** Stable id of the data point; default `<resourceId>:<measurement>`. */
  rID?: string;
  powerAttributes?: PowerAttributes;
}

interface DataPoint {
  rID: string;
  reportName: string;
  resourceId: string;
  measurement: ItemBaseName | "status";
  itemBase?: ItemBase;
  readingType: ReadingType;
  reportType: ReportType;
  samplingRate: number;
  read: () => number | StatusReading | undefined;
}

/** A report request as persisted. */
interface RequestRecord {
  reportRequestID: string;
  reportSpecifierID: string;
  reportName: string;
  granularity: number;
  reportBackDuration: number;
  intervalStart?: number;
  intervalEnd?: number;
  rIDs: string[];
  oneShot: boolean;
  created: number;
}

/** Fixed-capacity ring of rows [dtstart, duration, v1 … vn] with sequence numbers. Rows are only
 *  added at the end and dropped at the front, so their sequence numbers are consecutive: row k (0 =
 *  oldest) is nextSeq − count + k, and no per-row copy is kept (a Float64 per row: 400 B a ring). */
class RowRing {
  readonly stride: number;
  readonly capacity: number;
  readonly rows: Float64Array;
  start = 0;
  count = 0;
  nextSeq = 1;
  dropped = 0;

  constructor(points: number, capacity: number) {
    this.stride = 2 + points;
    this.capacity = capacity;
    this.rows = new Float64Array(capacity * this.stride);
  }

  push(t: number, duration: number, values: ArrayLike<number>): void {
    if (this.count === this.capacity) {
      this.start = (this.start + 1) % this.capacity;
      this.count--;
      this.dropped++;
    }
    const index = (this.start + this.count) % this.capacity;
    const base = index * this.stride;
    this.rows[base] = t;
    this.rows[base + 1] = duration;
    for (let i = 0; i < this.stride - 2; i++) this.rows[base + 2 + i] = values[i]!;
    this.nextSeq++;
    this.count++;
  }

  /** Row `k` (0 = oldest) base offset. */
  at(k: number): number {
    return ((this.start + k) % this.capacity) * this.stride;
  }

  seqAt(k: number): number {
    return this.nextSeq - this.count + k;
  }

  /** Drops rows up to and including sequence `seq`. */
  ackThrough(seq: number): void {
    while (this.count > 0 && this.nextSeq - this.count <= seq) {
      this.start = (this.start + 1) % this.capacity;
      this.count--;
    }
  }
}

interface ActiveRequest {
  record: RequestRecord;
  points: DataPoint[];
  ring: RowRing;
  nextSample: number;
  nextSend: number;
  /** Rows sampled before this instant belong to the report due then (later ones wait for the next). */
  cutoff: number;
  /** A send job is queued or in flight. */
  pending: boolean;
  finished: boolean;
}

/** One oadrUpdateReport's worth of rows, acknowledged by `ack()` when the VTN answers 200. */
export interface ReportBatch {
  report: OadrReport;
  ack(): void;
  /** More rows wait after these (backfill). */
  more(): boolean;
}

export interface ReportsOptions {
  clock: Clock;
  log: Log;
  records: RecordStore;
  /** Local time offset from UTC for 30-minute slots and daily alignment, minutes (JST +540). Default 0. */
  utcOffsetMinutes?: number;
  /** Rows buffered per report request. Default 96. */
  bufferRows?: number;
  /** HISTORY_USAGE slots kept for one-shot history requests. Default 48. */
  historySlots?: number;
  /** Rows per oadrUpdateReport. Default 24. */
  maxRowsPerReport?: number;
  /** Resource of the built-in VEN status point. undefined = no built-in point. */
  statusResource?: string;
  /** Reads the built-in status point. */
  status?: () => StatusReading;
}

export class Reports {
  readonly #o: ReportsOptions;
  readonly #points: DataPoint[] = [];
  readonly #requests = new Map<string, ActiveRequest>();
  readonly #offset: number;
  // HISTORY_USAGE slot history: per history point, counter at the slot start and closed slots.
  #historyPoints: DataPoint[] = [];
  #history: RowRing | undefined;
  #slotStart: number | undefined;
  #slotCounters: Float64Array | undefined;
  #slotPartial = false;
  #scratch = new Float64Array(8);

  constructor(options: ReportsOptions) {
    this.#o = options;
    this.#offset = (options.utcOffsetMinutes ?? 0) * 60_000;
    if (options.statusResource !== undefined && options.status) {
      const status = options.status;
      this.add({ reportName: "TELEMETRY_STATUS", resourceId: options.statusResource, measurement: "status", rID: "status", read: () => status() });
    }
  }

  /** Registers a data point; returns its rID. Before start() only (the METADATA goes out at registration). */
  add(source: ReportSource): string {
    if (typeof source !== "object" || source === null) throw new TypeError("addReport: options object required");
    if (typeof source.resourceId !== "string" || source.resourceId === "") throw new TypeError("addReport: resourceId must be a non-empty string");
    if (typeof source.read !== "function") throw new TypeError("addReport: read must be a function");
    const reportName = source.reportName ?? "TELEMETRY_USAGE";
    if (reportName.startsWith("METADATA_")) throw new RangeError("addReport: reportName without METADATA_");
    const measurement = source.measurement;
    if (measurement !== "status" && !(measurement in ITEM_BASES)) throw new RangeError(`addReport: unknown measurement ${String(measurement)}`);
    if (reportName === "TELEMETRY_STATUS" && measurement !== "status") throw new RangeError("addReport: TELEMETRY_STATUS needs measurement \"status\"");
    const history = reportName === "HISTORY_USAGE";
    const samplingRate = source.samplingRate ?? (history ? SLOT_MS : 10_000);
    if (!(samplingRate > 0)) throw new RangeError("addReport: samplingRate must be > 0 ms");
    const rID = source.rID ?? `${source.resourceId}:${measurement}`;
    if (this.#points.some((p) => p.rID === rID)) throw new RangeError(`addReport: duplicate rID ${rID}`);
    let itemBase: ItemBase | undefined;
    if (measurement !== "status") {
      const info = ITEM_BASES[measurement];
      const units = source.unit ?? info.itemUnits;
      if (units === undefined) throw new TypeError(`addReport: unit required for ${measurement}`);
      itemBase = { itemBase: measurement, itemDescription: info.itemDescription ?? measurement, itemUnits: units, siScaleCode: source.scale ?? "none" };
      if (info.powerAttributes) itemBase.powerAttributes = source.powerAttributes ?? { hertz: 50, voltage: 100, ac: true };
    }
    const point: DataPoint = {
      rID, reportName, resourceId: source.resourceId, measurement, samplingRate, read: source.read,
      readingType: source.readingType ?? (measurement === "status" ? "x-notApplicable" : "Direct Read"),
      reportType: source.reportType ?? (measurement === "status" ? "x-resourceStatus" : history ? "usage" : "reading"),
    };
    if (itemBase) point.itemBase = itemBase;
    this.#points.push(point);
    if (history) {
      this.#historyPoints.push(point);
      this.#history = undefined; // re-created on the next slot boundary with the new width
    }
    if (this.#points.length > this.#scratch.length) this.#scratch = new Float64Array(this.#points.length * 2);
    return rID;
  }

  get points(): readonly { rID: string; reportName: string; resourceId: string }[] {
    return this.#points;
  }

  static specifierID(reportName: string): string {
    return `RS_${reportName}`;
  }

  /** METADATA reports for oadrRegisterReport, one per report name ([] when nothing was added). */
  metadata(now: number): OadrReport[] {
    const names: string[] = [];
    for (const p of this.#points) if (!names.includes(p.reportName)) names.push(p.reportName);
    return names.map((name) => ({
      duration: name === "HISTORY_USAGE" ? (this.#o.historySlots ?? 48) * SLOT_MS : 3_600_000,
      intervals: [],
      oadrReportDescription: this.#points.filter((p) => p.reportName === name).map((p) => {
        const d: OadrReport["oadrReportDescription"][number] = {
          rID: p.rID,
          reportDataSource: { resourceID: [p.resourceId] },
          reportType: p.reportType,
          readingType: p.readingType,
          oadrSamplingRate: { oadrMinPeriod: p.samplingRate, oadrMaxPeriod: p.samplingRate, oadrOnChange: false },
        };
        if (p.itemBase) d.itemBase = p.itemBase;
        return d;
      }),
      reportRequestID: "0",
      reportSpecifierID: Reports.specifierID(name),
      reportName: `METADATA_${name}`,
      createdDateTime: now,
    }));
  }

  /** Loads persisted requests (after a reboot). */
  load(): void {
    const stored = this.#o.records.readCollection(REQUESTS_PREFIX, REQUEST_VERSION, (d): d is RequestRecord =>
      typeof d === "object" && d !== null && typeof (d as RequestRecord).reportRequestID === "string" && Array.isArray((d as RequestRecord).rIDs));
    for (const record of stored.values()) {
      const problem = this.#activate(record, false);
      if (problem) {
        this.#o.log("warn", "reports", "dropping stored report request", { reportRequestID: record.reportRequestID, reason: problem });
        this.#o.records.deleteItem(REQUESTS_PREFIX, record.reportRequestID);
      }
    }
  }

  /**
   * Accepts report requests. Returns the response code ("200", or "452"/"461" when a request names an
   * unknown report or data point — the valid ones are still accepted) and whether the VTN asked for
   * our METADATA again (reportSpecifierID "METADATA").
   */
  request(requests: readonly ReportRequest[]): { code: string; description: string; metadataRequested: boolean } {
    let code = "200";
    let description = "OK";
    let metadataRequested = false;
    const now = this.#o.clock.now();
    for (const r of requests) {
      const s = r.reportSpecifier;
      if (s.reportSpecifierID === "METADATA") {
        metadataRequested = true;
        continue;
      }
      const record: RequestRecord = {
        reportRequestID: r.reportRequestID,
        reportSpecifierID: s.reportSpecifierID,
        reportName: s.reportSpecifierID.startsWith("RS_") ? s.reportSpecifierID.slice(3) : s.reportSpecifierID,
        granularity: Math.max(0, s.granularity),
        reportBackDuration: Math.max(0, s.reportBackDuration),
        rIDs: s.specifierPayload.map((p) => p.rID),
        oneShot: s.reportBackDuration === 0 || (s.reportInterval !== undefined && s.reportInterval.duration === 0),
        created: now,
      };
      if (s.reportInterval) {
        record.intervalStart = s.reportInterval.dtstart;
        if (s.reportInterval.duration > 0) record.intervalEnd = s.reportInterval.dtstart + s.reportInterval.duration;
      }
      const problem = this.#activate(record, true);
      if (problem) {
        code = problem.startsWith("unknown data point") ? "452" : "461";
        description = problem;
        this.#o.log("warn", "reports", "report request refused", { reportRequestID: r.reportRequestID, reason: problem });
      }
    }
    return { code, description, metadataRequested };
  }

  #activate(record: RequestRecord, persist: boolean): string | undefined {
    const points: DataPoint[] = [];
    for (const rID of record.rIDs) {
      const point = this.#points.find((p) => p.rID === rID);
      if (!point) return `unknown data point ${rID}`;
      points.push(point);
    }
    if (points.length === 0) return `no data points in ${record.reportSpecifierID}`;
    const reportName = points[0]!.reportName;
    if (Reports.specifierID(reportName) !== record.reportSpecifierID) return `unknown report ${record.reportSpecifierID}`;
    record.reportName = reportName;
    const minPeriod = Math.max(...points.map((p) => p.samplingRate));
    if (reportName === "HISTORY_USAGE") record.granularity = SLOT_MS;
    else if (record.granularity > 0 && record.granularity < minPeriod) record.granularity = minPeriod;
    const existing = this.#requests.get(record.reportRequestID);
    const ring = existing && existing.ring.stride === 2 + points.length ? existing.ring : new RowRing(points.length, this.#o.bufferRows ?? 96);
    const now = this.#o.clock.now();
    const active: ActiveRequest = { record, points, ring, nextSample: 0, nextSend: 0, cutoff: -Infinity, pending: false, finished: false };
    const from = Math.max(now, record.intervalStart ?? now);
    if (record.oneShot) {
      active.nextSample = Infinity;
      active.nextSend = from;
      if (reportName === "HISTORY_USAGE") this.#fillFromHistory(active);
    } else {
      const g = record.granularity;
      // HISTORY_USAGE rows come from the slot history (#historyTick), not from sampling.
      active.nextSample = g > 0 && reportName !== "HISTORY_USAGE" ? this.#gridAfter(from, g, false) : Infinity;
      active.nextSend = this.#gridAfter(from, record.reportBackDuration, false);
      if (reportName === "HISTORY_USAGE") this.#fillFromHistory(active);
    }
    this.#requests.set(record.reportRequestID, active);
    if (persist) {
      try {
        this.#o.records.writeItem(REQUESTS_PREFIX, REQUEST_VERSION, record.reportRequestID, record);
      } catch (error) {
        this.#o.log("error", "reports", "could not persist report request", { reportRequestID: record.reportRequestID, error: String(error) });
      }
    }
    return undefined;
  }

  /** Ids of the report requests in force (oadrPendingReports). */
  pending(): string[] {
    const out: string[] = [];
    for (const r of this.#requests.values()) if (!r.finished) out.push(r.record.reportRequestID);
    return out;
  }

  /** oadrCancelReport: stops the requests; with reportToFollow one last report of what is buffered is due. */
  cancel(ids: readonly string[], reportToFollow: boolean): void {
    for (const id of ids) {
      const r = this.#requests.get(id);
      if (!r) continue;
      r.finished = true;
      if (reportToFollow && r.ring.count > 0) r.nextSend = this.#o.clock.now();
      else this.#drop(id);
    }
  }

  /** All requests end (registration cancelled or renewed). */
  clear(): void {
    this.#requests.clear();
    this.#o.records.clearCollection(REQUESTS_PREFIX);
  }

  #drop(id: string): void {
    this.#requests.delete(id);
    this.#o.records.deleteItem(REQUESTS_PREFIX, id);
  }

  // ---- schedule --------------------------------------------------------------------------------

  /** First multiple of `period` (on the local-time grid when it divides a day) strictly after `t`. */
  #gridAfter(t: number, period: number, slots: boolean): number {
    if (period <= 0) return t;
    if (slots || DAY_MS % period === 0) {
      const local = t + this.#offset;
      return Math.floor(local / period) * period + period - this.#offset;
    }
    return t + period;
  }

  /** Next wall-clock time something is due (sampling, a slot boundary, a report to send). */
  nextWake(): number | undefined {
    if (!this.#o.clock.valid) return undefined;
    let next = Infinity;
    if (this.#historyPoints.length) next = this.#slotStart === undefined ? this.#o.clock.now() : this.#slotStart + SLOT_MS;
    for (const r of this.#requests.values()) {
      if (!r.finished && r.nextSample < next) next = r.nextSample;
      if (r.nextSend < next) next = r.nextSend;
    }
    return next === Infinity ? undefined : next;
  }

  /**
   * Samples what is due and returns the requests whose report is due now (the caller queues one
   * oadrUpdateReport job per request id and calls `batch(id)` when the job is sent).
   */
  tick(): string[] {
    const due: string[] = [];
    if (!this.#o.clock.valid) return due;
    const now = this.#o.clock.now();
    this.#historyTick(now);
    for (const r of this.#requests.values()) {
      const name = r.record.reportName;
      // A report comes due before the sample of the same instant is taken: that sample opens the next period.
      if (now >= r.nextSend) {
        // Granularity 0 (one value per report) and one-shot telemetry sample at send time.
        if (!r.finished && name !== "HISTORY_USAGE" && (r.record.granularity === 0 || r.record.oneShot)) this.#sample(r, now);
        r.cutoff = r.record.granularity === 0 || r.record.oneShot || name === "HISTORY_USAGE" ? Infinity : now;
        if (r.record.oneShot || (r.record.intervalEnd !== undefined && now >= r.record.intervalEnd)) r.finished = true;
        r.nextSend = r.record.oneShot ? Infinity : this.#gridAfter(now, r.record.reportBackDuration, false);
        if (!r.pending) {
          this.#dropUnknown(r);
          if (this.#rowsBefore(r) > 0) {
            r.pending = true;
            due.push(r.record.reportRequestID);
          } else if (r.finished) this.#drop(r.record.reportRequestID);
        }
      }
      if (!r.finished && name !== "HISTORY_USAGE" && now >= r.nextSample) {
        this.#sample(r, now);
        r.nextSample = this.#gridAfter(now, r.record.granularity, false);
      }
    }
    return due;
  }

  /** Leading rows with no known value (a partial HISTORY slot after a reboot) would make an empty
   *  report: they are dropped before a report is declared due (before, the job found nothing to send
   *  and logged "could not build message" at the first slot after every reboot). */
  #dropUnknown(r: ActiveRequest): void {
    const ring = r.ring;
    while (ring.count > 0 && ring.rows[ring.at(0)]! < r.cutoff) {
      const base = ring.at(0);
      for (let i = 0; i < r.points.length; i++) if (!Number.isNaN(ring.rows[base + 2 + i]!)) return;
      ring.ackThrough(ring.seqAt(0));
    }
  }

  /** Buffered rows that belong to reports already due. */
  #rowsBefore(r: ActiveRequest): number {
    const ring = r.ring;
    let n = 0;
    while (n < ring.count && ring.rows[ring.at(n)]! < r.cutoff) n++;
    return n;
  }

  #sample(r: ActiveRequest, now: number): void {
    const values = this.#scratch;
    for (let i = 0; i < r.points.length; i++) values[i] = this.#read(r.points[i]!);
    r.ring.push(now, r.record.granularity, values);
  }

  #read(p: DataPoint): number {
    let v: number | StatusReading | undefined;
    try {
      v = p.read();
    } catch (error) {
      this.#o.log("warn", "reports", "read failed", { rID: p.rID, error: String(error) });
      return NaN;
    }
    if (v === undefined) return NaN;
    if (typeof v === "number") return v;
    return (v.online ? 1 : 0) | (v.manualOverride ? 2 : 0);
  }

  #historyTick(now: number): void {
    const points = this.#historyPoints;
    if (!points.length) return;
    const boundary = Math.floor((now + this.#offset) / SLOT_MS) * SLOT_MS - this.#offset;
    if (!this.#history || !this.#slotCounters || this.#slotStart === undefined) {
      this.#history = new RowRing(points.length, this.#o.historySlots ?? 48);
      this.#slotCounters = new Float64Array(points.length);
      for (let i = 0; i < points.length; i++) this.#slotCounters[i] = this.#read(points[i]!);
      this.#slotStart = boundary;
      // Started mid-slot: the energy before `now` is unknown, so this slot is not reported.
      this.#slotPartial = now > boundary;
      return;
    }
    if (now < this.#slotStart + SLOT_MS) return;
    // One or more boundaries passed: the energy since the slot start goes to the slot that just closed
    // (after a long gap, the slots in between are unknown and not fabricated).
    const values = this.#scratch;
    // A gap of more than one slot (no tick in between) or a partial first slot: the energy cannot be
    // placed in one slot, so nothing is reported for it.
    const unknown = this.#slotPartial || boundary - this.#slotStart > SLOT_MS;
    this.#slotPartial = false;
    for (let i = 0; i < points.length; i++) {
      const counter = this.#read(points[i]!);
      values[i] = unknown ? NaN : counter - this.#slotCounters[i]!;
      this.#slotCounters[i] = counter;
    }
    const closed = boundary - SLOT_MS;
    const start = Math.max(this.#slotStart, closed);
    this.#history.push(start, SLOT_MS, values);
    for (const r of this.#requests.values()) {
      if (r.finished || r.record.reportName !== "HISTORY_USAGE" || r.record.oneShot) continue;
      const row = new Float64Array(r.points.length);
      for (let i = 0; i < r.points.length; i++) row[i] = values[points.indexOf(r.points[i]!)]!;
      r.ring.push(start, SLOT_MS, row);
    }
    this.#slotStart = boundary;
  }

  #fillFromHistory(r: ActiveRequest): void {
    const h = this.#history;
    if (!h) return;
    const from = r.record.intervalStart ?? -Infinity;
    const to = r.record.intervalEnd ?? Infinity;
    const row = new Float64Array(r.points.length);
    for (let k = 0; k < h.count; k++) {
      const base = h.at(k);
      const t = h.rows[base]!;
      if (t < from || t >= to) continue;
      for (let i = 0; i < r.points.length; i++) row[i] = h.rows[base + 2 + this.#historyPoints.indexOf(r.points[i]!)]!;
      r.ring.push(t, SLOT_MS, row);
    }
  }

  /** The next oadrUpdateReport for a request (oldest rows first), or undefined when nothing is buffered. */
  batch(reportRequestID: string): ReportBatch | undefined {
    const r = this.#requests.get(reportRequestID);
    const due = r ? this.#rowsBefore(r) : 0;
    if (!r || due === 0) {
      if (r) r.pending = false;
      return undefined;
    }
    const ring = r.ring;
    const n = Math.min(due, this.#o.maxRowsPerReport ?? 24);
    const intervals: ReportInterval[] = [];
    for (let k = 0; k < n; k++) {
      const base = ring.at(k);
      const payloads: ReportPayload[] = [];
      for (let i = 0; i < r.points.length; i++) {
        const v = ring.rows[base + 2 + i]!;
        const p = r.points[i]!;
        if (Number.isNaN(v)) continue;
        if (p.measurement === "status") payloads.push({ rID: p.rID, oadrPayloadResourceStatus: { oadrOnline: (v & 1) !== 0, oadrManualOverride: (v & 2) !== 0 } });
        else payloads.push({ rID: p.rID, payloadFloat: v });
      }
      if (payloads.length === 0) continue; // nothing known for this instant
      const interval: ReportInterval = { dtstart: ring.rows[base]!, oadrReportPayload: payloads };
      const duration = ring.rows[base + 1]!;
      if (duration > 0) interval.duration = duration;
      intervals.push(interval);
    }
    const lastSeq = ring.seqAt(n - 1);
    const first = ring.rows[ring.at(0)]!;
    const last = ring.at(n - 1);
    const now = this.#o.clock.now();
    const report: OadrReport = {
      dtstart: first,
      duration: Math.max(0, ring.rows[last]! + ring.rows[last + 1]! - first),
      intervals,
      oadrReportDescription: [],
      reportRequestID: r.record.reportRequestID,
      reportSpecifierID: r.record.reportSpecifierID,
      reportName: r.record.reportName,
      createdDateTime: now,
    };
    if (intervals.length === 0) {
      ring.ackThrough(lastSeq);
      return this.batch(reportRequestID);
    }
    return {
      report,
      ack: () => {
        ring.ackThrough(lastSeq);
        if (this.#rowsBefore(r) === 0) {
          r.pending = false;
          if (r.finished) this.#drop(r.record.reportRequestID);
        }
      },
      more: () => this.#rowsBefore(r) > 0,
    };
  }

  /** The send failed for good (the job was dropped): try again at the next report time. */
  release(reportRequestID: string): void {
    const r = this.#requests.get(reportRequestID);
    if (r) r.pending = false;
  }

  /** Dropped rows (buffer overflow) per request, for status. */
  get stats(): { requests: number; buffered: number; dropped: number } {
    let buffered = 0;
    let dropped = 0;
    for (const r of this.#requests.values()) {
      buffered += r.ring.count;
      dropped += r.ring.dropped;
    }
    return { requests: this.#requests.size, buffered, dropped };
  }
}
