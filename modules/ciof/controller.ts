// The minimal CIOF controller: start-up status, structure check and local_id registration, contract
// refresh, statuses from device health, trade data from the metering/VEN sources through the outbox,
// answers to create/delete requests, optional consumption of received trade data, orderly shutdown.
// It reads on its polling schedule and never retries on its own: a failed read is handed to the
// outbox's policy (back-off, or a stop on 401) and the next poll waits for the link.
//
// States: stopped → starting → running | mismatch (structure differs: no trading, statuses report it)
//         any → unauthorized (401: sending stopped until resume(), or until the key is tried again
//         `unauthorizedRetrySeconds` later) ; stop() → stopped.
// Not done here: calendars (the device trades on slot completion and DR events, not calendar triggers),
// blobs, sending request parameters.

import type { Clock, HttpTransport, Log, Random, Scheduler, Store, TimerHandle } from "../platform/types";
import { STORE_VALUE_MAX, TransportError } from "../platform/types";
import type {
  DeviceConfig, DeviceHealth, DrRecordSource, HealthCondition, HealthSource, ImplementationStatus, DataStatus,
  ReceivedMessage, ServiceRecord, SlotSource, TradeConfig, TradeContract, TradeRequest,
} from "./types";
import { CiofHttp, CiofHttpError, defined, truncate } from "./http";
import type { CiofResponse } from "./http";
import { Outbox } from "./outbox";
import type { MessageInput, OutboxInput, OutboxState } from "./outbox";
import {
  PATHS, POLLING_RATE_MAX, POLLING_RATE_MIN, decodeDataImplementations, decodeReceivedMessages, decodeRequests,
  decodeServiceImplementations, decodeTradeContracts, encodeControllerStatus, encodeDataStatuses, encodeServiceStatuses,
} from "./wire";
import type { DataImplStatus, ServiceStatus } from "./wire";
import {
  SLOT_MS, buildRow, checkDeviceConfig, checkStructure, drField, energyField, parseCondition, produceContracts, recordTypeFor,
} from "./mapping";
import type { ResolvedData, ResolvedService, Structure } from "./mapping";
import { JST_OFFSET_MINUTES } from "./time";
import { utf8Length } from "./utf8";

export type CiofState = "stopped" | "starting" | "running" | "mismatch" | "unauthorized";

export interface CiofStatus {
  readonly state: CiofState;
  /** Structure mismatches (state "mismatch") or the last configuration problem. */
  readonly problems: readonly string[];
  readonly contractsInForce: number;
  readonly outbox: OutboxState;
  readonly lastError?: string;
}

export interface CiofControllerOptions {
  transport: HttpTransport;
  /** authorization_key (EdgeControllerAPIKey.yml). Never logged. */
  authorizationKey: string;
  store: Store;
  clock: Clock;
  scheduler: Scheduler;
  random: Random;
  log: Log;
  /** Unique device id: prefix of message ids. [A-Za-z0-9_.-]{1,32}. */
  deviceId: string;
  config: DeviceConfig;
  /** Seconds, 10–1000 (default 60): the polling_rate reported and the read schedule. */
  pollingRateSeconds?: number;
  /** Contract refresh period, seconds (default 900; contracts are never pushed). */
  contractsRefreshSeconds?: number;
  /** Structure re-check period, seconds (default 86,400; 300 while mismatched). */
  structureRefreshSeconds?: number;
  /** Local time offset of the site, minutes east of UTC (default 540). */
  offsetMinutes?: number;
  slots?: SlotSource;
  dr?: DrRecordSource;
  health?: HealthSource;
  /** Received trade data (consume contracts). GET /messages is polled only when this is given. */
  onMessage?: (message: ReceivedMessage) => void;
  /** A partner asked to delete data `dataId`: delete local copies, return how many. */
  onDeleteRequest?: (dataId: string, contractId: string) => number;
  /** State changes (on a later turn). */
  onStatus?: (status: CiofStatus) => void;
  /** Store key prefix of the controller's own keys, 1–4 of [A-Za-z0-9] (default "cc"). */
  keyPrefix?: string;
  /** Outbox tuning (see OutboxOptions). */
  outbox?: { keyPrefix?: string; segments?: number; segmentBytes?: number; backoffInitialMs?: number; backoffMaxMs?: number; backoffJitter?: number; maxServerErrorAttempts?: number };
  /** HTTP tuning (see CiofHttpOptions). */
  http?: { timeoutMs?: number; maxResponseBytes?: number; basePath?: string };
  /** Orderly shutdown: how long stop() waits for the queue (default 5,000 ms). */
  stopFlushMs?: number;
  /** After a 401, try the key again this long later (the terminal's key may have been corrected there). Default 900 s. */
  unauthorizedRetrySeconds?: number;
}

const SLOTS_PER_PASS = 8;
const HANDLED_KEPT = 64;
const ANSWER_ROWS_MAX = 48;

interface CacheShape { v: 1; s: Omit<ResolvedService, "config">[]; d: Omit<ResolvedData, "config">[] }

export class CiofController {
  readonly #o: Required<Pick<CiofControllerOptions, "pollingRateSeconds" | "contractsRefreshSeconds" | "structureRefreshSeconds" | "offsetMinutes" | "keyPrefix" | "stopFlushMs" | "unauthorizedRetrySeconds">> & CiofControllerOptions;
  /** Ticks of the latest 401 (the key is tried again unauthorizedRetrySeconds later). */
  #unauthorizedAt = 0;
  readonly #log: Log;
  readonly #http: CiofHttp;
  readonly #outbox: Outbox;
  #state: CiofState = "stopped";
  #problems: string[] = [];
  #lastError: string | undefined;
  #structure: Structure | undefined;
  #structureAt = -Infinity;
  #contracts: TradeContract[] | undefined;
  #contractsAt = -Infinity;
  /** Signature of the reply #contracts was decoded from ("" = none): an unchanged reply is not parsed again. */
  #contractsSig = "";
  /** The structure the contracts cache was last written for. */
  #contractsSavedFor: Structure | undefined;
  #timer: TimerHandle | undefined;
  #busy = false;
  #skipped = false;
  #lastServiceStatus = "";
  #lastDataStatus = "";
  #statusQueued = false;
  #lastLost = 0;
  #closed = false;

  constructor(options: CiofControllerOptions) {
    if (!options || typeof options !== "object") throw new TypeError("CiofController: options required");
    for (const k of ["transport", "store", "clock", "scheduler", "random", "log", "config"] as const) if (!options[k]) throw new TypeError("CiofController: " + k + " required");
    const o = { pollingRateSeconds: 60, contractsRefreshSeconds: 900, structureRefreshSeconds: 86_400, offsetMinutes: JST_OFFSET_MINUTES, keyPrefix: "cc", stopFlushMs: 5000, unauthorizedRetrySeconds: 900, ...defined(options) };
    if (!(Number.isInteger(o.pollingRateSeconds) && o.pollingRateSeconds >= POLLING_RATE_MIN && o.pollingRateSeconds <= POLLING_RATE_MAX)) throw new RangeError("CiofController: pollingRateSeconds must be an integer 10–1000");
    if (!(o.contractsRefreshSeconds >= o.pollingRateSeconds)) throw new RangeError("CiofController: contractsRefreshSeconds must be ≥ pollingRateSeconds");
    if (!/^[A-Za-z0-9]{1,4}$/.test(o.keyPrefix)) throw new RangeError("CiofController: keyPrefix must be 1–4 of [A-Za-z0-9]");
    if (!(Number.isInteger(o.offsetMinutes) && Math.abs(o.offsetMinutes) <= 14 * 60)) throw new RangeError("CiofController: offsetMinutes");
    const problems = checkDeviceConfig(o.config);
    if (problems.length) throw new RangeError("CiofController: config: " + problems.join("; "));
    for (const t of o.config.trades) {
      if (t.source === "energy" && !o.slots) throw new TypeError("CiofController: an energy trade needs `slots`");
      if (t.source === "dr" && !o.dr) throw new TypeError("CiofController: a dr trade needs `dr`");
    }
    this.#o = o;
    this.#log = o.log;
    this.#http = new CiofHttp({ transport: o.transport, authorizationKey: o.authorizationKey, log: o.log, ...defined(o.http ?? {}) });
    this.#outbox = new Outbox({
      store: o.store, http: this.#http, clock: o.clock, scheduler: o.scheduler, random: o.random, log: o.log,
      idPrefix: o.deviceId, offsetMinutes: o.offsetMinutes, ...defined(o.outbox ?? {}),
      onChange: (s) => this.#outboxChanged(s),
      onStatusResult: (key, status, body) => this.#statusResult(key, status, body),
    });
  }

  get status(): CiofStatus {
    const now = this.#o.clock.now();
    const inForce = this.#contracts ? this.#contracts.filter((c) => c.start !== undefined && c.start <= now && (c.end === undefined || now < c.end)).length : 0;
    return { state: this.#state, problems: this.#problems.slice(), contractsInForce: inForce, outbox: this.#outbox.state, lastError: this.#lastError };
  }

  /** Contracts as last read from the terminal (or the store cache). */
  get contracts(): readonly TradeContract[] { return this.#contracts ?? []; }

  /** Loads the outbox and the cached structure, reports `ready`, and starts polling. */
  start(): void {
    if (this.#closed) throw new Error("CiofController: closed");
    if (this.#state !== "stopped") return;
    const report = this.#outbox.load();
    this.#loadCache();
    this.#setState("starting");
    this.#log("info", "ciof", "controller starting", { queued: report.queued, pollingRate: this.#o.pollingRateSeconds });
    this.#outbox.setStatus("controller", PATHS.controller, encodeControllerStatus("ready", this.#o.pollingRateSeconds));
    this.#schedule(0);
  }

  /** Produce now (e.g. metering closed a slot, or the VEN finished an event). Also runs every poll. */
  produce(): void {
    if (this.#state === "stopped" || this.#closed) return;
    try { this.#produce(); } catch (e) { this.#error("producing trade data failed", e); }
  }

  /** Device health changed: statuses are recomputed and sent if different. */
  healthChanged(): void {
    if (this.#state === "stopped" || this.#closed) return;
    this.#reportStatuses();
  }

  /** After a 401, when the key has been corrected (with a new transport if needed). */
  resume(): void {
    if (this.#state !== "unauthorized") return;
    this.#outbox.resume();
    this.#setState(this.#structure && this.#structure.problems.length ? "mismatch" : "starting");
    this.#schedule(0);
  }

  /** Orderly shutdown: waits (bounded) for the queue, reports `stopped` (or `disconnected`), closes. */
  async stop(reason: "stopped" | "disconnected" = "stopped"): Promise<void> {
    if (this.#closed) return;
    if (this.#timer) { this.#o.scheduler.clear(this.#timer); this.#timer = undefined; }
    if (this.#state !== "stopped" && this.#state !== "unauthorized") {
      await this.#outbox.whenIdle(this.#o.stopFlushMs);
      this.#outbox.setStatus("controller", PATHS.controller, encodeControllerStatus(reason));
      await this.#outbox.whenIdle(Math.min(2000, this.#o.stopFlushMs));
    }
    this.close();
    this.#log("info", "ciof", "controller stopped", { reason, queued: this.#outbox.state.queued });
  }

  /** Immediate close (no status sent). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) { this.#o.scheduler.clear(this.#timer); this.#timer = undefined; }
    this.#outbox.close();
    this.#http.close();
    this.#setState("stopped");
  }

  // -------------------------------------------------------------------------------------------
  // Poll cycle

  #schedule(delayMs: number): void {
    if (this.#closed) return;
    if (this.#timer) this.#o.scheduler.clear(this.#timer);
    // the tick runs as a job, not inside the timer callback: a shallow stack for the whole cycle
    this.#timer = this.#o.scheduler.set(() => { this.#timer = undefined; this.#defer(() => this.#tick()); }, delayMs);
  }

  #tick(): void {
    if (this.#closed || this.#busy) return;
    this.#schedule(this.#o.pollingRateSeconds * 1000);
    if (this.#state === "unauthorized" && this.#o.clock.ticks() - this.#unauthorizedAt >= this.#o.unauthorizedRetrySeconds * 1000) {
      // A 401 stays final for a key that is wrong, but a terminal restored or re-keyed on its side
      // accepts it again: try it now and then rather than never (a reboot was the only way back).
      this.#log("info", "ciof", "trying the authorization key again after a 401", { afterSeconds: this.#o.unauthorizedRetrySeconds });
      this.resume();
      return;
    }
    if (!this.#outbox.linkReady) {
      // Back-off or 401: no reads now. Produce into the outbox anyway (it is persistent and bounded).
      this.#skipped = true;
      this.produce();
      return;
    }
    this.#skipped = false;
    this.#busy = true;
    this.#cycle().then(() => { this.#busy = false; }, (e) => {
      this.#busy = false;
      this.#failed(e);
    }).catch((e) => this.#error("poll cycle failed", e));
  }

  async #cycle(): Promise<void> {
    const o = this.#o;
    const t = o.clock.ticks();
    const structureDue = !this.#structure || this.#structureAt === -Infinity ||
      t - this.#structureAt >= (this.#structure.problems.length ? 300_000 : o.structureRefreshSeconds * 1000);
    if (structureDue) await this.#checkStructure();
    if (this.#closed) return;
    if (this.#structure && this.#structure.problems.length === 0) {
      if (this.#contractsAt === -Infinity || t - this.#contractsAt >= o.contractsRefreshSeconds * 1000) await this.#refreshContracts();
      await this.#pollRequests();
      if (o.onMessage) await this.#pollMessages();
      this.#produce();
    }
    this.#outbox.kick();
  }

  async #get(path: string): Promise<unknown> {
    return CiofHttp.json(await this.#fetch(path));
  }

  async #fetch(path: string): Promise<CiofResponse> {
    const r = await this.#http.request("GET", path);
    if (r.status !== 200) throw new CiofHttpError(r.status, path, truncate(r.text));
    this.#outbox.noteSuccess();
    return r;
  }

  #failed(e: unknown): void {
    if (this.#closed) return;
    if (e instanceof TransportError || e instanceof CiofHttpError) {
      this.#outbox.noteFailure(e);
      if (e instanceof CiofHttpError) {
        this.#lastError = e.path + ": HTTP " + e.status;
        if (e.status !== 401 && e.status !== 502 && e.status !== 503) this.#log("error", "ciof", "terminal answered a read with an error", { path: e.path, status: e.status, body: e.body });
      } else this.#lastError = e.code + ": " + e.message;
      this.#emitStatus();
      return;
    }
    this.#error("poll cycle failed", e);
  }

  #error(what: string, e: unknown): void {
    this.#lastError = what + ": " + String((e as Error)?.message ?? e);
    this.#log("error", "ciof", what, { error: truncate(String((e as Error)?.message ?? e), 200) });
    this.#emitStatus();
  }

  // -------------------------------------------------------------------------------------------
  // Structure and statuses

  async #checkStructure(): Promise<void> {
    const services = decodeServiceImplementations(await this.#get(PATHS.serviceImplementations));
    const data = decodeDataImplementations(await this.#get(PATHS.dataImplementations));
    const s = checkStructure(this.#o.config, services, data);
    this.#structureAt = this.#o.clock.ticks();
    const wasMismatch = this.#state === "mismatch";
    // the notes are logged below and not needed after: not kept with the structure
    this.#structure = s.notes.length ? { services: s.services, data: s.data, problems: s.problems, notes: [] } : s;
    this.#problems = s.problems.slice();
    if (s.problems.length) {
      for (const p of s.problems) this.#log("error", "ciof", "structure mismatch: " + p, {});
      this.#log("error", "ciof", "the terminal's registered structure differs from the device: not trading until it is corrected in the federation manager", { problems: s.problems.length });
      this.#setState("mismatch");
    } else {
      for (const n of s.notes) this.#log("info", "ciof", n, {});
      if (wasMismatch) this.#log("info", "ciof", "structure now matches the device", {});
      this.#saveCache();
      this.#setState("running");
    }
    this.#lastServiceStatus = this.#lastDataStatus = "";
    this.#reportStatuses();
  }

  #conditions(h: DeviceHealth | undefined, deps: readonly HealthCondition[] | undefined): { fault: boolean; exception: boolean; remarks: string } {
    const reasons: string[] = [];
    let fault = false, exception = false;
    if (h && deps) {
      if (deps.indexOf("relay") >= 0 && h.relayFault) { fault = true; reasons.push("relay fault"); }
      if (deps.indexOf("ct") >= 0 && h.ctFault) { fault = true; reasons.push("CT fault"); }
      if (deps.indexOf("vtn") >= 0 && !h.vtnReachable) { exception = true; reasons.push("VTN unreachable"); }
    }
    return { fault, exception, remarks: reasons.length ? reasons.join(", ") : "normal" };
  }

  #reportStatuses(): void {
    const s = this.#structure;
    if (!s) return;
    const h = this.#o.health?.health();
    const mismatch = s.problems.length > 0;
    const lost = this.#outbox.state.lost;
    // Each implementation's status and remarks are worked out once; what was last sent is remembered as
    // those only (the ids and local_ids come from the structure, and a new structure clears it), not as
    // the whole JSON body: a few bytes, not ~1.5 KB. A body is built only when they changed.
    const MISMATCH = "structure mismatch: see controller log";
    const sStatus: ImplementationStatus[] = [], sRemarks: string[] = [];
    let sk = "";
    for (const rs of s.services) {
      const c = this.#conditions(h, rs.config.dependsOn);
      const status: ImplementationStatus = mismatch ? "exception" : c.fault ? "failure" : c.exception ? "exception" : "ready";
      const remarks = mismatch ? MISMATCH : c.remarks;
      sStatus.push(status); sRemarks.push(remarks);
      sk += status + "\t" + remarks + "\n";
    }
    const dStatus: DataStatus[] = [], dRemarks: string[] = [];
    let dk = "";
    for (const rd of s.data) {
      const c = this.#conditions(h, rd.config.dependsOn);
      const status: DataStatus = mismatch ? "exception" : c.fault ? "invalid" : c.exception ? "exception" : "valid";
      const remarks = (mismatch ? MISMATCH : c.remarks) + (lost ? "; " + lost + " rows dropped (outbox full)" : "");
      dStatus.push(status); dRemarks.push(remarks);
      dk += status + "\t" + remarks + "\n";
    }
    if (s.services.length && sk !== this.#lastServiceStatus) {
      this.#lastServiceStatus = sk;
      const services: ServiceStatus[] = s.services.map((rs, i) => {
        const status = sStatus[i]!, remarks = sRemarks[i]!;
        return {
          id: rs.id, localId: rs.localId, status, remarks,
          processes: rs.processes.map((p) => ({ id: p.id, localId: p.localId, status, remarks, events: p.events.map((e) => ({ id: e.id, localId: e.localId, status, remarks })) })),
        };
      });
      this.#outbox.setStatus("services", PATHS.serviceImplementations, encodeServiceStatuses(services));
    }
    if (s.data.length && dk !== this.#lastDataStatus) {
      this.#lastDataStatus = dk;
      const data: DataImplStatus[] = s.data.map((rd, i) => {
        const status = dStatus[i]!, remarks = dRemarks[i]!;
        return { id: rd.id, localId: rd.localId, status, remarks, properties: rd.properties.map((p) => ({ id: p.id, index: p.index, localId: p.localId, status, remarks: status === "valid" ? undefined : remarks })) };
      });
      this.#outbox.setStatus("data", PATHS.dataImplementations, encodeDataStatuses(data));
    }
  }

  #statusResult(key: string, status: number, body: string): void {
    if (status >= 200 && status < 300) return;
    const what = key === "controller" ? "controller status (polling_rate " + this.#o.pollingRateSeconds + ")" : key === "services" ? "service implementation statuses / local_id registration" : "data implementation statuses / local_id registration";
    const p = "terminal rejected the " + what + ": HTTP " + status + (body ? " " + body : "");
    this.#problems = this.#problems.filter((x) => x.indexOf("terminal rejected the " + what) !== 0).concat([p]);
    this.#lastError = p;
    this.#log("error", "ciof", p, {});
    if (key !== "controller") this.#lastServiceStatus = this.#lastDataStatus = ""; // send again after the next structure check
    this.#emitStatus();
  }

  // -------------------------------------------------------------------------------------------
  // Contracts

  async #refreshContracts(): Promise<void> {
    // Polled every 15 minutes and nearly always the same: a reply identical to the one the list was
    // decoded from is not parsed again (its parse tree and a second list, ~4 KB and ~270 slots, next to
    // the list in use). Same length and two independent 32-bit hashes of the text.
    const r = await this.#fetch(PATHS.tradeContracts);
    const sig = r.tooLarge ? "" : signature(r.text);
    if (!this.#contracts || sig === "" || sig !== this.#contractsSig) {
      this.#contractsSig = "";
      const list = decodeTradeContracts(CiofHttp.json(r), this.#o.offsetMinutes);
      this.#contracts = list;
      this.#contractsSig = sig;
      this.#contractsSavedFor = undefined;
    }
    this.#contractsAt = this.#o.clock.ticks();
    if (this.#contractsSavedFor !== this.#structure) { this.#saveContracts(this.#contracts); this.#contractsSavedFor = this.#structure; }
    this.#emitStatus();
  }

  #relevant(list: readonly TradeContract[]): TradeContract[] {
    const s = this.#structure;
    if (!s) return [];
    return list.filter((c) => s.data.some((d) => d.id === c.dataImplementationId));
  }

  // -------------------------------------------------------------------------------------------
  // Producing

  #produce(): void {
    const s = this.#structure;
    const contracts = this.#contracts;
    if (!s || s.problems.length || !contracts) return;
    const o = this.#o;
    if (!o.clock.valid) return; // contracts in force and timestamps need the real time: wait for it
    const now = o.clock.now();
    const inputs: OutboxInput[] = [];
    const cursors: Record<string, number> = {};
    o.config.trades.forEach((trade, i) => {
      const data = s.data.find((d) => d.localId === trade.data);
      if (!data) return;
      const name = "t" + i;
      const cs = produceContracts(contracts, data, now, "push");
      let after = this.#outbox.cursor(name);
      if (trade.source === "energy" && after === undefined) {
        // The first time: start after the slot before this one (or before the oldest slot the source
        // holds) and commit that now, so that a slot whose own commit a power cut undid is still known
        // to be missing after the restart (the slot source then hands it over as invalid) instead of
        // never having existed.
        const off = o.offsetMinutes * 60_000;
        after = Math.floor((now + off) / SLOT_MS) * SLOT_MS - off - SLOT_MS;
        const oldest = o.slots!.slotsAfter(undefined, 1)[0];
        if (oldest && oldest.start - SLOT_MS < after) after = oldest.start - SLOT_MS;
        cursors[name] = after;
      }
      const mapsValid = data.properties.some((p) => p.field === "valid");
      if (trade.source === "energy") {
        for (const slot of o.slots!.slotsAfter(after, SLOTS_PER_PASS)) {
          if (after !== undefined && slot.start <= after) continue;
          cursors[name] = slot.start;
          if (!slot.valid && !mapsValid) { this.#log("warn", "ciof", "invalid slot not traded", { start: slot.start }); continue; }
          const row = buildRow(data, energyField(slot), slot.offsetMinutes);
          if (typeof row === "string") { this.#log("error", "ciof", "slot does not fit the data implementation: " + row, { start: slot.start }); continue; }
          for (const c of cs) inputs.push(this.#message(c, trade, [row], now));
        }
      } else {
        for (const r of o.dr!.recordsAfter(after, SLOTS_PER_PASS)) {
          if (after !== undefined && r.seq <= after) continue;
          cursors[name] = r.seq;
          const row = buildRow(data, drField(r, o.offsetMinutes), o.offsetMinutes);
          if (typeof row === "string") { this.#log("error", "ciof", "DR record does not fit the data implementation: " + row, { eventId: r.eventId }); continue; }
          for (const c of cs) inputs.push(this.#message(c, trade, [row], now));
        }
      }
    });
    if (inputs.length === 0 && Object.keys(cursors).length === 0) return;
    this.#outbox.enqueue(inputs, cursors);
  }

  #record(c: TradeContract, eventType: ServiceRecord["eventType"], now: number, extra?: { result?: string; note?: string }): Omit<ServiceRecord, "dataId"> {
    const s = this.#structure;
    const svc = s?.services.find((x) => x.id === c.serviceImplementationId || (c.serviceImplementationId === undefined && x.localId === c.serviceImplementationLocalId));
    const proc = svc?.processes.find((x) => x.id === c.processImplementationId || (c.processImplementationId === undefined && x.localId === c.processImplementationLocalId));
    const rec: { -readonly [K in keyof Omit<ServiceRecord, "dataId">]: Omit<ServiceRecord, "dataId">[K] } = {
      eventType, timestamp: now,
      serviceImplementationId: c.serviceImplementationId, serviceImplementationLocalId: svc?.localId ?? c.serviceImplementationLocalId,
      processImplementationId: c.processImplementationId, processImplementationLocalId: proc?.localId ?? c.processImplementationLocalId,
    };
    if (eventType === "use") {
      const eid = c.eventImplementationIds[0];
      const ev = proc?.events.find((e) => e.id === eid);
      rec.eventImplementationId = eid;
      rec.eventImplementationLocalId = ev?.localId ?? c.eventImplementationLocalIds[0];
    }
    if (extra?.result !== undefined) rec.result = extra.result;
    if (extra?.note !== undefined) rec.note = extra.note;
    return rec;
  }

  #message(c: TradeContract, trade: TradeConfig, rows: string[][], now: number, id?: string, requestParameterId?: string): MessageInput {
    const t = recordTypeFor(c, trade);
    return {
      kind: "message", id, contractId: c.id, requestParameterId, rows,
      record: t ? this.#record(c, t, now, t === "error" ? { result: "0", note: "error record requested by contract" } : undefined) : undefined,
      maxRows: requestParameterId === undefined ? trade.maxRowsPerMessage ?? 48 : undefined,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Requests (pull answers, deletions)

  #handled(): string[] {
    const raw = this.#o.store.get(this.#o.keyPrefix + "_rq");
    if (!raw) return [];
    try { const v = JSON.parse(raw); return Array.isArray(v) ? v.filter((x) => typeof x === "string") : []; } catch { return []; }
  }
  #markHandled(ids: string[]): void {
    const list = this.#handled().concat(ids);
    while (list.length > HANDLED_KEPT) list.shift();
    let json = JSON.stringify(list);
    while (utf8Length(json) > STORE_VALUE_MAX && list.length) { list.shift(); json = JSON.stringify(list); }
    this.#o.store.set(this.#o.keyPrefix + "_rq", json);
  }

  async #pollRequests(): Promise<void> {
    const requests = decodeRequests(await this.#get(PATHS.requests));
    if (requests.length === 0) return;
    const handled = this.#handled();
    const done: string[] = [];
    for (const r of requests) {
      if (handled.indexOf(r.requestParameterId) >= 0 || done.indexOf(r.requestParameterId) >= 0) continue;
      try { this.#answer(r); }
      catch (e) { this.#error("answering request " + r.requestParameterId + " failed", e); }
      done.push(r.requestParameterId);
    }
    if (done.length) this.#markHandled(done);
  }

  #answer(r: TradeRequest): void {
    const o = this.#o;
    const now = o.clock.now();
    const c = (this.#contracts ?? []).find((x) => x.id === r.tradeContractId);
    if (!c) { this.#log("warn", "ciof", "request for a contract the device does not know: ignored", { requestParameterId: r.requestParameterId, contract: r.tradeContractId }); return; }
    if (r.requestType === "delete") {
      if (!r.dataId) { this.#log("warn", "ciof", "delete request without data_id: ignored", { requestParameterId: r.requestParameterId }); return; }
      const n = o.onDeleteRequest ? o.onDeleteRequest(r.dataId, c.id) : 0;
      this.#log("info", "ciof", "delete request carried out", { dataId: r.dataId, localCopies: n });
      this.#outbox.enqueue([{ kind: "record", record: { ...this.#record(c, "delete", now, { result: String(n), note: n ? "deleted " + n + " local copies" : "no local copy kept after delivery" }), dataId: r.dataId } }]);
      return;
    }
    if (r.requestType !== "create") { this.#log("warn", "ciof", "unknown request_type: ignored", { requestType: r.requestType }); return; }
    const s = this.#structure!;
    const index = o.config.trades.findIndex((t) => { const d = s.data.find((x) => x.localId === t.data); return d !== undefined && d.id === c.dataImplementationId; });
    if (index < 0 || c.contractType !== "produce") { this.#log("warn", "ciof", "create request for data the device does not produce: ignored", { contract: c.id }); return; }
    const trade = o.config.trades[index];
    const data = s.data.find((x) => x.localId === trade.data)!;
    const id = o.deviceId + "-q" + r.requestParameterId.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 40);
    const sel = parseCondition(r.condition, o.offsetMinutes);
    let rows: string[][] = [];
    let problem: string | undefined;
    if (typeof sel === "string") problem = sel;
    else rows = this.#select(trade, data, sel);
    const msg = this.#message(c, trade, rows, now, id, r.requestParameterId);
    const input: MessageInput = problem
      ? { ...msg, record: this.#record(c, "error", now, { result: "condition", note: "request " + r.requestParameterId + ": " + problem }) }
      : msg;
    // a large answer is cut to what one outbox segment holds (latest rows kept)
    for (let n = input.rows.length; ; n = Math.floor(n / 2)) {
      try { this.#outbox.enqueue([{ ...input, rows: input.rows.slice(input.rows.length - n) }]); break; }
      catch (e) { if (!(e instanceof RangeError) || n === 0) throw e; }
    }
    this.#log("info", "ciof", "answered a create request", { requestParameterId: r.requestParameterId, rows: rows.length, problem });
  }

  #select(trade: TradeConfig, data: ResolvedData, sel: { latest?: number; from?: number; to?: number }): string[][] {
    const o = this.#o;
    const from = sel.from, to = sel.to;
    const rows: string[][] = [];
    if (trade.source === "energy") {
      const after = from !== undefined ? from - 1 : sel.latest !== undefined ? o.clock.now() - (sel.latest + 1) * SLOT_MS : undefined;
      let slots = o.slots!.slotsAfter(after, 1000).filter((x) => (from === undefined || x.start >= from) && (to === undefined || x.start < to));
      if (sel.latest !== undefined) slots = slots.slice(-sel.latest);
      for (const slot of slots.slice(-ANSWER_ROWS_MAX)) { const r = buildRow(data, energyField(slot), slot.offsetMinutes); if (typeof r !== "string") rows.push(r); }
    } else {
      let recs = o.dr!.recordsAfter(undefined, 1000).filter((x) => (from === undefined || x.start >= from) && (to === undefined || x.start < to));
      if (sel.latest !== undefined) recs = recs.slice(-sel.latest);
      for (const rec of recs.slice(-ANSWER_ROWS_MAX)) { const r = buildRow(data, drField(rec, o.offsetMinutes), o.offsetMinutes); if (typeof r !== "string") rows.push(r); }
    }
    return rows;
  }

  // -------------------------------------------------------------------------------------------
  // Received trade data (GET /messages deletes what it returns: keep it before acting)

  async #pollMessages(): Promise<void> {
    const key = this.#o.keyPrefix + "_in";
    const received = decodeReceivedMessages(await this.#get(PATHS.messages));
    const pending = this.#inbox().concat(received);
    if (received.length) {
      let json = JSON.stringify(pending);
      if (utf8Length(json) > STORE_VALUE_MAX) {
        this.#log("warn", "ciof", "received trade data larger than the inbox: kept in memory only", { messages: received.length });
        json = JSON.stringify(pending.filter((m) => utf8Length(JSON.stringify(m)) < 1000).slice(-3));
      }
      this.#o.store.set(key, json);
    }
    if (pending.length === 0) return;
    const seenKey = this.#o.keyPrefix + "_sn";
    let seen: string[] = [];
    try { const v = JSON.parse(this.#o.store.get(seenKey) ?? "[]"); if (Array.isArray(v)) seen = v; } catch { seen = []; }
    const now = this.#o.clock.now();
    const records: OutboxInput[] = [];
    const fresh: ReceivedMessage[] = [];
    for (const m of pending) {
      const k = (m.domainId ?? "") + ":" + m.id;
      if (seen.indexOf(k) >= 0) continue;
      seen.push(k);
      fresh.push(m);
      const c = (this.#contracts ?? []).find((x) => x.id === m.tradeContractId);
      if (c) records.push({ kind: "record", record: { ...this.#record(c, "store", now), dataId: m.id } });
    }
    if (records.length) this.#outbox.enqueue(records);
    while (seen.length > HANDLED_KEPT) seen.shift();
    this.#o.store.set(seenKey, JSON.stringify(seen));
    this.#o.store.delete(key);
    const cb = this.#o.onMessage!;
    for (const m of fresh) this.#defer(() => cb(m));
  }

  #inbox(): ReceivedMessage[] {
    const raw = this.#o.store.get(this.#o.keyPrefix + "_in");
    if (!raw) return [];
    try { const v = JSON.parse(raw); return Array.isArray(v) ? v : []; } catch { return []; }
  }

  // -------------------------------------------------------------------------------------------
  // Cache of the checked structure and the relevant contracts (so a reboot while the terminal is
  // down can keep queuing)

  #saveCache(): void {
    const s = this.#structure!;
    const v: CacheShape = {
      v: 1,
      s: s.services.map((x) => ({ id: x.id, localId: x.localId, processes: x.processes })),
      d: s.data.map((x) => ({ id: x.id, localId: x.localId, properties: x.properties })),
    };
    const json = JSON.stringify(v);
    if (utf8Length(json) > STORE_VALUE_MAX) { this.#log("warn", "ciof", "structure too large to cache", {}); return; }
    if (this.#o.store.get(this.#o.keyPrefix + "_st") !== json) this.#o.store.set(this.#o.keyPrefix + "_st", json);
  }

  #saveContracts(list: readonly TradeContract[]): void {
    const keep = this.#relevant(list);
    let json = JSON.stringify(keep);
    while (utf8Length(json) > STORE_VALUE_MAX && keep.length) { keep.pop(); json = JSON.stringify(keep); }
    if (this.#o.store.get(this.#o.keyPrefix + "_ct") !== json) this.#o.store.set(this.#o.keyPrefix + "_ct", json);
  }

  #loadCache(): void {
    const o = this.#o;
    try {
      const raw = o.store.get(o.keyPrefix + "_st");
      if (raw) {
        const v = JSON.parse(raw) as CacheShape;
        if (v.v === 1 && Array.isArray(v.s) && Array.isArray(v.d)) {
          const services = v.s.map((x) => ({ ...x, config: o.config.services.find((c) => c.localId === x.localId)! }));
          const data = v.d.map((x) => ({ ...x, config: o.config.data.find((c) => c.localId === x.localId)! }));
          if (services.every((x) => x.config) && data.every((x) => x.config) && data.length === o.config.data.length && services.length === o.config.services.length) {
            this.#structure = { services, data, problems: [], notes: [] };
          }
        }
      }
      const rc = o.store.get(o.keyPrefix + "_ct");
      if (rc && this.#structure) {
        const list = JSON.parse(rc);
        if (Array.isArray(list)) this.#contracts = list.filter((c) => c && typeof c.id === "string" && Array.isArray(c.parameters));
      }
    } catch (e) {
      this.#log("warn", "ciof", "cache unreadable: ignored", { error: String(e) });
      this.#structure = undefined;
      this.#contracts = undefined;
    }
  }

  // -------------------------------------------------------------------------------------------

  #outboxChanged(s: OutboxState): void {
    if (s.lost !== this.#lastLost) { this.#lastLost = s.lost; this.#reportStatuses(); } // loss shows in the data statuses' remarks
    if (s.link === "unauthorized" && this.#state !== "unauthorized" && this.#state !== "stopped") {
      this.#unauthorizedAt = this.#o.clock.ticks();
      this.#setState("unauthorized");
    }
    else this.#emitStatus();
    if (this.#skipped && s.link === "idle" && !this.#closed) this.#schedule(0);
  }

  #setState(s: CiofState): void {
    if (this.#state === s) return;
    this.#state = s;
    this.#emitStatus();
  }

  #emitStatus(): void {
    const cb = this.#o.onStatus;
    if (!cb || this.#statusQueued) return;
    this.#statusQueued = true;
    this.#defer(() => { this.#statusQueued = false; cb(this.status); });
  }

  #defer(f: () => void): void {
    Promise.resolve().then(f).catch((e) => this.#log("error", "ciof", "callback threw", { error: truncate(String((e as Error)?.message ?? e), 160) }));
  }
}

/** Length and two independent 32-bit hashes (FNV-1a, and a multiply-add) of a text, walked sequentially. */
function signature(text: string): string {
  let a = 0x811c9dc5, b = 5381, n = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    a = Math.imul(a ^ c, 0x01000193);
    b = (Math.imul(b, 33) + c) | 0;
    n++;
  }
  return n + ":" + (a >>> 0).toString(36) + ":" + (b >>> 0).toString(36);
}
