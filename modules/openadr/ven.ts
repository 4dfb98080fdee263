// Ven: an OpenADR 2.0b VEN (simple HTTP, pull) whose surface feels like the OpenLEADR client — one
// options object, `onEvent` returning "optIn"/"optOut" (or a promise of it), `addReport`, `onStatus`,
// start()/stop(). It registers (oadrQueryRegistration, oadrCreatePartyRegistration, then
// oadrRegisterReport and oadrRequestEvent), polls, answers every payload a poll can return, keeps
// events executing through outages and reboots (events.ts), reports on schedule (reports.ts) and
// turns local overrides into EiOpt (opt.ts). Transport, clock, timers, storage, randomness and the
// log are injected; one PollLoop (poll.ts) moves every message, one at a time.
// XML signatures (options signing, validateSignatures, vtnFingerprint) are a layer over the wire: signature/wire.ts.
// Leaves out: push (HTTP server) mode, XMPP, VTN-side reports.
//
// Session states reported through onStatus (the poll loop's own state table is in poll.ts):
//
//   state        | entered when                                   | leaves when
//   -------------+------------------------------------------------+------------------------------------------
//   stopped      | constructed, stop()                            | start()
//   registering  | start() without a stored registration; 452/463 | oadrCreatedPartyRegistration 200
//                | from the VTN; oadrRequestReregistration        |   → registered
//   registered   | registration reply 200, or a stored one reused | an exchange fails → offline; cancel → cancelled
//   offline      | exchanges failing (back-off)                   | an exchange succeeds → registered (+ oadrRequestEvent re-sync)
//   cancelled    | the VTN sent oadrCancelPartyRegistration       | reregisterAfterCancelMs later → registering
import type { OverrideSink, SignalView } from "../control/signals";
import type { Clock, HttpTransport, Log, Random, Scheduler, Store, TimerHandle } from "../platform/types";
import type { OptReason, OptType } from "./enums";
import { checkEvent, EventSchedule, eventHorizon, recordFromOadr, toVenEvent, type EventRecord, type VenEvent } from "./events";
import { cancelOpt, eventOptOut, loadOverride, saveOverride, scheduleOptOut, type OptContext, type OverrideRecord } from "./opt";
import { RecordStore } from "./persist";
import { PollLoop, type BackoffOptions, type Job, type LoopState, type Service, type VenError } from "./poll";
import {
  canceledPartyRegistration, clearRegistration, createPartyRegistration, loadRegistration, queryRegistration, registrationFrom,
  response, saveRegistration, type Registration,
} from "./registration";
import { Reports, type ReportSource, type StatusReading } from "./reports";
import type { DecodedPayload, EventResponse, OadrCreatedPartyRegistration, OadrDistributeEvent, OadrEvent, VenMessage } from "./types";
import type { MessageHooks, Wire } from "./wire";
import type { SignatureCrypto } from "../platform/crypto";
import { rejectionAnswer, signatureWire, type SignedWire } from "./signature/wire";

export type { VenEvent } from "./events";
export type { ReportSource, StatusReading } from "./reports";
export type { VenError } from "./poll";

/** TLS material (DER), as Moddable's `secure` dictionary takes it. */
export interface VenTls {
  /** CA certificate(s) the VTN's certificate must chain to. */
  ca: Uint8Array;
  /** The VEN's client certificate. */
  certificate: Uint8Array;
  /** The VEN's private key, unencrypted PKCS#8 (RSA on Moddable). */
  key: Uint8Array;
  /** Optional pin: last 10 bytes of SHA-256 of the VTN's DER certificate, "AB:CD:…" upper case. */
  vtnFingerprint?: string;
}

/** What the transport factory receives. */
export interface VtnTransportOptions {
  host: string;
  port: number;
  secure: boolean;
  tls?: VenTls;
}

export type VenState = "stopped" | "registering" | "registered" | "offline" | "cancelled";

export interface VenStatus {
  state: VenState;
  loop: LoopState;
  venID?: string;
  registrationID?: string;
  vtnID?: string;
  /** ms between polls in force. */
  pollPeriod: number;
  /** Consecutive failed exchanges. */
  failures: number;
  lastError?: VenError;
  events: number;
  override?: { until: number; reason: string };
}

export interface VenOptions {
  /** "https://host[:port][/base]"; http:// only with development: true. */
  vtnURL: string;
  venName: string;
  tls?: VenTls;
  /** Allows http:// (no TLS). Never in the field. */
  development?: boolean;
  /** ms between polls; the VTN's oadrRequestedOadrPollFreq is a floor. Default 10 s. */
  pollInterval?: number;
  store: Store;
  clock: Clock;
  scheduler: Scheduler;
  random: Random;
  log?: Log;
  /** Makes the HttpTransport for the VTN (main.ts: the Moddable one). */
  transport: (options: VtnTransportOptions) => HttpTransport;
  /** The OpenADR codec (default: createOadrWire() from wire-oadr.ts, passed by main.ts). */
  wire: Wire;
  hooks?: MessageHooks;
  /** XML signatures: sign every outgoing message with this certificate and RSA key (DER; key unencrypted PKCS#8). */
  signing?: { certificate: Uint8Array; key: Uint8Array };
  /** Refuse replies not signed by the VTN certificate with `vtnFingerprint` (unsigned ones too); answered with 463 where the protocol has an answer. */
  validateSignatures?: boolean;
  /** Fingerprint of the VTN's signing certificate ("AB:CD:…", 10 bytes). Default: tls.vtnFingerprint. */
  vtnFingerprint?: string;
  /** Crypto for signatures (main.ts: createModdableCrypto()); required with signing or validateSignatures. */
  crypto?: SignatureCrypto;
  /** Decides on a new or modified event. Default: optIn. */
  onEvent?: (event: VenEvent) => OptType | Promise<OptType>;
  /** Session status changes (called on a later turn). */
  onStatus?: (status: VenStatus) => void;
  /** Each finished exchange with the VTN: message type and outcome (diagnostics, a link LED). */
  onExchange?: (kind: string, outcome: "ok" | "failed" | "undecodable") => void;
  /** Events kept. Default 10. */
  maxEvents?: number;
  backoff?: BackoffOptions;
  /** Exchange timeout, ms. Default 30 s. */
  timeoutMs?: number;
  /** How long onEvent may take before the VEN answers optOut for it, ms. Default 10 s. */
  decideTimeoutMs?: number;
  /** Local time offset (minutes from UTC) for 30-minute HISTORY_USAGE slots. Default 0. */
  utcOffsetMinutes?: number;
  reportBufferRows?: number;
  maxRowsPerReport?: number;
  historySlots?: number;
  /** Built-in TELEMETRY_STATUS point for the whole VEN (online, manual override). Default true. */
  statusReport?: boolean;
  /** Whether the resource can respond to events now (its TELEMETRY_STATUS oadrOnline): false while the
   *  application cannot act (e.g. a relay fault). Default: always true. */
  online?: () => boolean;
  /** After the VTN cancels the registration, register again after this long, ms. Default 10 min. */
  reregisterAfterCancelMs?: number;
}

const noLog: Log = () => undefined;
const RESPONSE_DESCRIPTIONS: Readonly<Record<string, string>> = Object.freeze({ "200": "OK", "450": "Out of sequence", "454": "Invalid data", "469": "Event store full" });

/** Splits "https://host:port/base" without URL (absent on XS). */
export function parseVtnURL(url: string): { secure: boolean; host: string; port: number; base: string } {
  if (typeof url !== "string") throw new TypeError("vtnURL must be a string");
  const scheme = url.startsWith("https://") ? "https" : url.startsWith("http://") ? "http" : "";
  if (!scheme) throw new RangeError(`vtnURL must start with https:// (${url})`);
  const rest = url.slice(scheme.length + 3);
  const slash = rest.indexOf("/");
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  let base = slash < 0 ? "" : rest.slice(slash);
  while (base.endsWith("/")) base = base.slice(0, -1);
  let host = authority;
  let port = scheme === "https" ? 443 : 80;
  const colon = authority.lastIndexOf(":");
  if (colon > 0 && !authority.endsWith("]")) {
    host = authority.slice(0, colon);
    port = Number(authority.slice(colon + 1));
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new RangeError(`vtnURL port invalid (${url})`);
  }
  if (!host) throw new RangeError(`vtnURL has no host (${url})`);
  return { secure: scheme === "https", host, port, base };
}

export class Ven implements OverrideSink {
  readonly #o: VenOptions;
  readonly #log: Log;
  readonly #records: RecordStore;
  readonly #events: EventSchedule;
  readonly #reports: Reports;
  readonly #loop: PollLoop;
  readonly #transport: HttpTransport;
  readonly #url: { secure: boolean; host: string; port: number; base: string };
  readonly #signatures: SignedWire | undefined;
  #registration: Registration | undefined;
  #state: VenState = "stopped";
  #lastError: VenError | undefined;
  #override: OverrideRecord | undefined;
  #overrideTimer: TimerHandle | undefined;
  #cancelTimer: TimerHandle | undefined;
  /** Registration restarts since the last success (their back-off). */
  #registerRetries = 0;
  #statusTimer: TimerHandle | undefined;
  #counter = 0;
  #offline = false;
  #started = false;
  #closed = false;

  constructor(options: VenOptions) {
    if (typeof options !== "object" || options === null) throw new TypeError("Ven: options object required");
    const url = parseVtnURL(options.vtnURL);
    if (!url.secure && options.development !== true) throw new RangeError("vtnURL: http:// is refused unless development: true");
    if (typeof options.venName !== "string" || options.venName === "") throw new TypeError("venName must be a non-empty string");
    for (const name of ["store", "clock", "scheduler", "wire"] as const) if (typeof options[name] !== "object" || options[name] === null) throw new TypeError(`${name} is required`);
    if (typeof options.random !== "function") throw new TypeError("random is required");
    if (typeof options.transport !== "function") throw new TypeError("transport (factory) is required");
    if (url.secure) {
      const tls = options.tls;
      if (!tls || !(tls.ca instanceof Uint8Array) || !(tls.certificate instanceof Uint8Array) || !(tls.key instanceof Uint8Array)) {
        throw new TypeError("tls: ca, certificate and key (DER Uint8Array) are required for https");
      }
      if (tls.vtnFingerprint !== undefined && !/^([0-9A-F]{2}:){9}[0-9A-F]{2}$/.test(tls.vtnFingerprint)) {
        throw new RangeError("tls.vtnFingerprint: 10 bytes, upper-case hex with colons");
      }
    }
    const pollInterval = options.pollInterval ?? 10_000;
    if (!(pollInterval >= 1000)) throw new RangeError("pollInterval must be ≥ 1000 ms");

    this.#o = { ...options, pollInterval };
    this.#url = url;
    this.#log = options.log ?? noLog;
    this.#records = new RecordStore(options.store, this.#log);
    this.#events = new EventSchedule({ clock: options.clock, scheduler: options.scheduler, random: options.random, log: this.#log, records: this.#records, maxEvents: options.maxEvents });
    const reportOptions: ConstructorParameters<typeof Reports>[0] = {
      clock: options.clock, log: this.#log, records: this.#records, utcOffsetMinutes: options.utcOffsetMinutes,
      bufferRows: options.reportBufferRows, maxRowsPerReport: options.maxRowsPerReport, historySlots: options.historySlots,
    };
    if (options.statusReport !== false) {
      reportOptions.statusResource = options.venName;
      const online = options.online;
      reportOptions.status = (): StatusReading => ({ online: online ? online() !== false : true, manualOverride: this.#overrideActive() });
    }
    this.#reports = new Reports(reportOptions);
    this.#transport = options.transport({ host: url.host, port: url.port, secure: url.secure, ...(options.tls ? { tls: options.tls } : {}) });
    // XML signatures (signature/wire.ts): a layer over the wire; replies it refuses are answered in #onFailure.
    if (options.signing || options.validateSignatures) {
      if (!options.crypto) throw new TypeError("crypto is required with signing or validateSignatures");
      this.#signatures = signatureWire(options.wire, {
        crypto: options.crypto, signing: options.signing, validate: options.validateSignatures === true,
        vtnFingerprint: options.vtnFingerprint ?? options.tls?.vtnFingerprint, clock: options.clock, random: options.random,
      });
    }
    this.#loop = new PollLoop({
      base: url.base,
      transport: this.#transport,
      wire: this.#signatures ?? options.wire,
      hooks: options.hooks,
      clock: options.clock,
      scheduler: options.scheduler,
      random: options.random,
      log: this.#log,
      backoff: options.backoff,
      timeoutMs: options.timeoutMs,
      holdMs: options.decideTimeoutMs ?? 10_000,
      poll: () => (this.#registration ? { type: "oadrPoll", venID: this.#registration.venID } : undefined),
      onReply: (job, payload, events) => this.#onReply(job, payload, events),
      onFailure: (job, error, willRetry) => this.#onFailure(job, error, willRetry),
      onState: () => this.#statusChanged(),
      onExchange: options.onExchange,
      agenda: {
        wake: () => this.#agendaWake(),
        nextWake: () => this.#agendaNext(),
      },
    });
  }

  // ---- public surface --------------------------------------------------------------------------

  /** Registers a report data point (before start()); returns its rID. */
  addReport(source: ReportSource): string {
    if (this.#started) throw new Error("addReport: call before start() (the METADATA is sent at registration)");
    return this.#reports.add(source);
  }

  /** What control reads: signals in force, next change, change notifications. */
  get signals(): SignalView {
    return this.#events;
  }

  /** The events the VEN holds, as the handler sees them. */
  events(): VenEvent[] {
    const now = this.#o.clock.now();
    return this.#events.list().map((e) => toVenEvent(e, now));
  }

  get status(): VenStatus {
    const s: VenStatus = {
      state: this.#state,
      loop: this.#loop.state,
      pollPeriod: this.#loop.pollPeriod,
      failures: this.#loop.failures,
      events: this.#events.size,
    };
    if (this.#registration) {
      s.venID = this.#registration.venID;
      s.registrationID = this.#registration.registrationID;
      s.vtnID = this.#registration.vtnID;
    }
    if (this.#lastError) s.lastError = this.#lastError;
    if (this.#overrideActive()) s.override = { until: this.#override!.until, reason: this.#override!.reason };
    return s;
  }

  /** Counters for benchmarks and diagnostics. */
  get stats(): { exchanges: number; polls: number; failures: number; decodeErrors: number; dropped: number; handshakes: number; reports: { requests: number; buffered: number; dropped: number } } {
    return { ...this.#loop.counters, handshakes: this.#transport.stats?.handshakes ?? 0, reports: this.#reports.stats };
  }

  start(): void {
    if (this.#closed) throw new Error("Ven: closed");
    if (this.#started) return;
    this.#started = true;
    this.#events.load();
    this.#reports.load();
    this.#override = loadOverride(this.#records);
    if (this.#override) this.#applyOverride();
    this.#registration = loadRegistration(this.#records, this.#o.vtnURL, this.#o.venName);
    if (this.#registration) {
      this.#log("info", "ven", "registration reused", { venID: this.#registration.venID });
      this.#loop.pollPeriod = this.#pollPeriod();
      this.#setState("registered");
      // Re-sync the events after a reboot; oadrRequestEvent's reply is a full oadrDistributeEvent.
      this.#loop.enqueue(this.#requestEventJob());
    } else {
      this.#register();
    }
    this.#loop.start();
  }

  /** Polls as soon as the loop is free and the VTN's oadrRequestedOadrPollFreq allows (never two
   *  exchanges at once; a back-off in progress still applies). */
  pollNow(): void {
    if (this.#started && this.#registration) this.#loop.pollSoon(this.#registration.pollFreq);
  }

  /** Stops polling; stored events keep their schedule (control keeps reading `signals`). Idempotent. */
  stop(): void {
    if (!this.#started) return;
    this.#started = false;
    this.#loop.stop();
    this.#o.scheduler.clear(this.#overrideTimer);
    this.#o.scheduler.clear(this.#cancelTimer);
    this.#overrideTimer = this.#cancelTimer = undefined;
    this.#setState("stopped");
  }

  /** stop() and release the transport. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.stop();
    this.#closed = true;
    this.#o.scheduler.clear(this.#statusTimer);
    this.#transport.close();
  }

  // ---- OverrideSink ----------------------------------------------------------------------------

  requestOptOut(until: number, reason: OptReason): void {
    const now = this.#o.clock.now();
    if (!(until > now)) return;
    if (this.#override) this.cancelOptOut();
    const record: OverrideRecord = { from: now, until, reason, opts: [] };
    this.#override = record;
    this.#applyOverride();
    if (this.#registration) {
      const context = this.#optContext();
      const messages: VenMessage[] = [scheduleOptOut(context, record)];
      for (const e of this.#events.overlapping(now, until)) messages.push(eventOptOut(context, record, e));
      for (const m of messages) this.#loop.enqueue(this.#job("EiOpt", () => m));
    }
    saveOverride(this.#records, record);
    this.#log("info", "ven", "override: opted out", { until, reason });
  }

  cancelOptOut(): void {
    const record = this.#override;
    if (!record) return;
    this.#override = undefined;
    this.#events.setOverride(undefined);
    this.#o.scheduler.clear(this.#overrideTimer);
    this.#overrideTimer = undefined;
    saveOverride(this.#records, undefined);
    if (this.#registration) {
      const context = this.#optContext();
      for (const { optID } of record.opts) this.#loop.enqueue(this.#job("EiOpt", () => cancelOpt(context, optID)));
    }
    this.#log("info", "ven", "override: cancelled", {});
    this.#statusChanged();
  }

  #overrideActive(): boolean {
    return this.#override !== undefined && this.#o.clock.now() < this.#override.until;
  }

  #applyOverride(): void {
    const record = this.#override!;
    this.#events.setOverride({ from: record.from, until: record.until, reason: record.reason });
    this.#o.scheduler.clear(this.#overrideTimer);
    const delay = record.until - this.#o.clock.now();
    this.#overrideTimer = this.#o.scheduler.set(() => this.#overrideEnded(), Math.max(0, Math.min(delay, 0x7fffffff)));
    this.#statusChanged();
  }

  #overrideEnded(): void {
    this.#overrideTimer = undefined;
    const record = this.#override;
    if (!record) return;
    if (this.#o.clock.now() < record.until) {
      this.#applyOverride(); // timer capped or clock moved back: wait more
      return;
    }
    // The availability window ended by itself; event-specific opt-outs for events still running are withdrawn.
    const now = this.#o.clock.now();
    this.#override = undefined;
    this.#events.setOverride(undefined);
    saveOverride(this.#records, undefined);
    if (this.#registration) {
      const context = this.#optContext();
      for (const { optID, eventID } of record.opts) {
        const e = eventID ? this.#events.get(eventID) : undefined;
        if (e && !e.cancelled && eventHorizon(e) > now) this.#loop.enqueue(this.#job("EiOpt", () => cancelOpt(context, optID)));
      }
    }
    this.#statusChanged();
  }

  #optContext(): OptContext {
    return { venID: this.#registration!.venID, now: this.#o.clock.now(), newID: () => this.#newID() };
  }

  // ---- registration ----------------------------------------------------------------------------

  #register(previous?: { venID: string; registrationID: string }): void {
    this.#setState("registering");
    this.#loop.clear();
    let known = previous;
    this.#loop.enqueue(this.#job("EiRegisterParty", () => queryRegistration(this.#newID()), (reply) => {
      if (reply.type !== "oadrCreatedPartyRegistration") return this.#unexpected(reply, "oadrQueryRegistration");
      if (reply.eiResponse.responseCode !== "200") {
        this.#loop.penalize({ code: "oadr", message: `oadrQueryRegistration refused: ${reply.eiResponse.responseCode}`, responseCode: reply.eiResponse.responseCode, exchange: "oadrQueryRegistration" });
        this.#loop.enqueue(this.#registerJob(known), true);
        return;
      }
      // A VTN that already knows this certificate says so here; re-register with its ids.
      if (reply.venID && reply.registrationID) known = { venID: reply.venID, registrationID: reply.registrationID };
      this.#loop.enqueue(this.#registerJob(known), true);
    }));
  }

  #registerJob(previous: { venID: string; registrationID: string } | undefined): Job {
    return this.#job("EiRegisterParty", () => createPartyRegistration(this.#newID(), this.#o.venName, previous), (reply) => {
      if (reply.type !== "oadrCreatedPartyRegistration") return this.#unexpected(reply, "oadrCreatePartyRegistration");
      this.#registered(reply);
    }, 3);
  }

  #registered(reply: OadrCreatedPartyRegistration): void {
    const result = registrationFrom(reply, this.#o.vtnURL, this.#o.venName);
    if (typeof result === "string") {
      this.#log("error", "ven", "registration failed", { reason: result });
      this.#loop.penalize({ code: "oadr", message: result, responseCode: reply.eiResponse.responseCode, exchange: "oadrCreatePartyRegistration" });
      this.#register();
      return;
    }
    const renewed = !this.#registration || this.#registration.registrationID !== result.registrationID || this.#registration.venID !== result.venID;
    this.#registration = result;
    this.#registerRetries = 0;
    try {
      saveRegistration(this.#records, result);
    } catch (error) {
      this.#log("error", "ven", "could not persist registration", { error: String(error) });
    }
    this.#log("info", "ven", "registered", { venID: result.venID, vtnID: result.vtnID, pollFreq: result.pollFreq });
    // The VTN asks for reports again after oadrRegisterReport; earlier requests are void.
    this.#reports.clear();
    if (renewed) this.#log("debug", "ven", "registration ids changed", {});
    this.#loop.pollPeriod = this.#pollPeriod();
    this.#setState("registered");
    this.#loop.enqueue(this.#registerReportJob());
    this.#loop.enqueue(this.#requestEventJob());
    this.#loop.pollSoon();
  }

  #pollPeriod(): number {
    return Math.max(this.#o.pollInterval!, this.#registration?.pollFreq ?? 0);
  }

  #forgetRegistration(reason: string): void {
    this.#log("warn", "ven", "registration lost; registering again", { reason });
    const previous = this.#registration;
    this.#registration = undefined;
    clearRegistration(this.#records);
    this.#reports.clear();
    void previous;
    this.#register();
  }

  #registerReportJob(): Job {
    return this.#job("EiReport", () => ({
      type: "oadrRegisterReport",
      requestID: this.#newID(),
      oadrReport: this.#reports.metadata(this.#o.clock.now()),
      venID: this.#venID(),
    }), (reply) => {
      if (reply.type !== "oadrRegisteredReport") return this.#unexpected(reply, "oadrRegisterReport");
      if (reply.eiResponse.responseCode !== "200") {
        this.#log("warn", "ven", "oadrRegisterReport refused", { code: reply.eiResponse.responseCode });
        return;
      }
      if (reply.oadrReportRequest.length) this.#acceptReportRequests(reply.oadrReportRequest, reply.eiResponse.requestID);
    });
  }

  #requestEventJob(): Job {
    return this.#job("EiEvent", () => ({ type: "oadrRequestEvent", requestID: this.#newID(), venID: this.#venID() }));
  }

  // ---- replies ---------------------------------------------------------------------------------

  #onReply(job: Job | undefined, payload: DecodedPayload, events: OadrEvent[]): void | Promise<void> {
    if (this.#offline) {
      this.#offline = false;
      if (this.#registration) {
        this.#setState("registered");
        // Back after an outage: re-sync events (implied cancellations included) before polling on.
        if (!(job && job.kind === "oadrRequestEvent")) this.#loop.enqueue(this.#requestEventJob(), true);
      }
    }
    this.#lastError = undefined;
    // A VTN that no longer knows this VEN (452) or does not accept its certificate for it (463).
    const code = "eiResponse" in payload ? payload.eiResponse?.responseCode : undefined;
    if ((code === "452" || code === "463") && this.#registration && job?.service !== "EiRegisterParty") {
      this.#lastError = { code: "oadr", message: `VTN answered ${code} to ${job?.kind ?? "oadrPoll"}`, responseCode: code, exchange: job?.kind ?? "oadrPoll" };
      this.#forgetRegistration(`${code} in reply to ${job?.kind ?? "oadrPoll"}`);
      return;
    }
    const own = (job as InternalJob | undefined)?.reply;
    if (own) {
      own(payload, events);
      return this.#pending;
    }
    this.#dispatch(payload, events, job?.kind ?? "oadrPoll");
    return this.#pending;
  }

  /** A promise while the application decides on events; taken by the loop once. */
  #pendingDecision: Promise<void> | undefined;
  get #pending(): Promise<void> | undefined {
    const p = this.#pendingDecision;
    this.#pendingDecision = undefined;
    return p;
  }

  #dispatch(payload: DecodedPayload, events: OadrEvent[], context: string): void {
    switch (payload.type) {
      case "oadrResponse":
        if (payload.eiResponse.responseCode !== "200") this.#log("warn", "ven", "VTN answered with an error", { to: context, code: payload.eiResponse.responseCode, description: payload.eiResponse.responseDescription });
        return;
      case "empty":
        if (context === "oadrPoll") this.#log("warn", "ven", "empty reply to oadrPoll", {});
        return;
      case "oadrDistributeEvent":
        this.#distribute(payload, events);
        return;
      case "oadrCreateReport":
        this.#acceptReportRequests(payload.oadrReportRequest, payload.requestID);
        return;
      case "oadrCancelReport":
        this.#cancelReports(payload.reportRequestID, payload.reportToFollow, payload.requestID);
        return;
      case "oadrRegisterReport":
        // The VTN's own metadata: acknowledged, nothing requested.
        this.#loop.enqueue(this.#job("EiReport", () => ({
          type: "oadrRegisteredReport", eiResponse: { responseCode: "200", responseDescription: "OK", requestID: payload.requestID }, oadrReportRequest: [], venID: this.#venID(),
        })), true);
        return;
      case "oadrRequestReregistration": {
        const previous = this.#registration;
        this.#loop.enqueue(this.#job("EiRegisterParty", () => response("", this.#registration?.venID ?? previous?.venID)), true);
        this.#setState("registering");
        this.#loop.enqueue(this.#registerJob(previous ? { venID: previous.venID, registrationID: previous.registrationID } : undefined));
        return;
      }
      case "oadrCancelPartyRegistration": {
        const registration = this.#registration;
        if (!registration) return;
        const matches = payload.registrationID === registration.registrationID;
        this.#loop.enqueue(this.#job("EiRegisterParty", () => canceledPartyRegistration(payload.requestID, registration, matches ? "200" : "452"), () => {
          if (matches) this.#cancelled();
        }), true);
        return;
      }
      case "oadrUpdatedReport":
        if (payload.oadrCancelReport) this.#cancelReports(payload.oadrCancelReport.reportRequestID, payload.oadrCancelReport.reportToFollow, payload.oadrCancelReport.requestID);
        return;
      case "oadrCreatedOpt":
      case "oadrCanceledOpt":
        if (payload.eiResponse.responseCode !== "200") this.#log("warn", "ven", "opt refused", { type: payload.type, code: payload.eiResponse.responseCode });
        return;
      case "oadrCreatedPartyRegistration":
        this.#registered(payload);
        return;
      default:
        this.#unexpected(payload, context);
    }
  }

  #unexpected(payload: DecodedPayload, context: string): void {
    this.#lastError = { code: "rejected", message: `unexpected ${payload.type} in reply to ${context}`, exchange: context };
    this.#log("warn", "ven", "unexpected reply", { type: payload.type, to: context });
    if (context === "oadrQueryRegistration" || context === "oadrCreatePartyRegistration") this.#registerAgainLater();
    this.#statusChanged();
  }

  /** Registration never gives up: a step that used its last attempt, or got an unusable or unexpected
   *  reply, starts registration again after a back-off (before, the VEN stayed unregistered until a
   *  reboot). Not while registered, stopped, or cancelled by the VTN (that has its own timer). */
  #registerAgainLater(): void {
    if (!this.#started || this.#registration || this.#state === "cancelled" || this.#cancelTimer) return;
    const delay = this.#loop.backoffDelay(++this.#registerRetries);
    this.#log("warn", "ven", "registration did not complete; starting it again", { inMs: Math.round(delay), attempt: this.#registerRetries });
    this.#cancelTimer = this.#o.scheduler.set(() => {
      this.#cancelTimer = undefined;
      if (this.#started && !this.#registration) this.#register();
    }, delay);
  }

  #cancelled(): void {
    this.#log("warn", "ven", "registration cancelled by the VTN", {});
    this.#registration = undefined;
    clearRegistration(this.#records);
    this.#reports.clear();
    for (const e of this.#events.list()) this.#events.cancel(e.eventID);
    this.#loop.clear();
    this.#setState("cancelled");
    this.#o.scheduler.clear(this.#cancelTimer);
    this.#cancelTimer = this.#o.scheduler.set(() => {
      this.#cancelTimer = undefined;
      if (this.#started && !this.#registration) this.#register();
    }, this.#o.reregisterAfterCancelMs ?? 600_000);
  }

  #onFailure(job: Job | undefined, error: VenError, willRetry: boolean): void {
    this.#lastError = error;
    const reportID = (job as InternalJob | undefined)?.reportRequestID;
    if (error.code === "decode") {
      this.#log("warn", "ven", "reply not usable", { to: error.exchange, reason: error.message });
      // A poll reply may have carried what the VTN had queued (an oadrDistributeEvent it will not send
      // again): ask for the events, as after an outage.
      if (error.exchange === "oadrPoll" && this.#registration) this.#loop.enqueue(this.#requestEventJob(), true);
      const rejected = this.#signatures?.takeRejected();
      if (rejected) this.#answerRejected(rejected.payload, rejected.reason);
      if (reportID) this.#reports.release(reportID); // delivered, not acknowledged: sent again next time
    } else {
      if (!this.#offline && this.#registration) {
        this.#offline = true;
        this.#setState("offline");
      }
      if (reportID && !willRetry) this.#reports.release(reportID);
    }
    if (!willRetry && job?.service === "EiRegisterParty") this.#registerAgainLater();
    this.#statusChanged();
  }

  /** A VTN request refused for its signature gets the protocol's error answer (463), when it has one. */
  #answerRejected(payload: DecodedPayload, reason: string): void {
    const answer = this.#registration ? rejectionAnswer(payload, reason, this.#venID()) : undefined;
    this.#log("warn", "ven", "message refused: signature", { type: payload.type, reason, answered: answer?.message.type });
    if (answer) this.#loop.enqueue(this.#job(answer.service, () => answer.message), true);
  }

  // ---- events ----------------------------------------------------------------------------------

  #distribute(message: OadrDistributeEvent, events: OadrEvent[]): void {
    if (message.eiResponse && message.eiResponse.responseCode !== "200") {
      this.#log("warn", "ven", "oadrDistributeEvent carries an error", { code: message.eiResponse.responseCode });
    }
    const requestID = message.requestID;
    const now = this.#o.clock.now();
    const seen = new Set<string>();
    type Answer = { eventID: string; modificationNumber: number; code: string; respond: boolean; opt: OptType | Promise<OptType> };
    const answers: Answer[] = [];
    let refused = 0;
    for (const event of events) {
      const record = recordFromOadr(event);
      if (seen.has(record.eventID)) continue;
      seen.add(record.eventID);
      const respond = record.responseRequired !== "never";
      const problems = checkEvent(record);
      const stored = this.#events.get(record.eventID);
      if (problems.length) {
        this.#log("warn", "ven", "event refused", { eventID: record.eventID, reason: problems.join("; ") });
        answers.push({ eventID: record.eventID, modificationNumber: record.modificationNumber, code: "454", respond, opt: "optOut" });
        refused++;
        continue;
      }
      if (!stored && record.vtnStatus === "cancelled") {
        answers.push({ eventID: record.eventID, modificationNumber: record.modificationNumber, code: "200", respond, opt: "optIn" });
        continue;
      }
      const outcome = this.#events.upsert(record);
      switch (outcome) {
        case "new":
        case "modified": {
          const current = this.#events.get(record.eventID)!;
          if (current.cancelled) {
            this.#log("info", "ven", "event cancelled", { eventID: current.eventID });
            answers.push({ eventID: current.eventID, modificationNumber: current.modificationNumber, code: "200", respond, opt: this.#events.effectiveOpt(current) });
          } else {
            this.#log("info", "ven", outcome === "new" ? "new event" : "event modified", { eventID: current.eventID, modificationNumber: current.modificationNumber, start: current.dtstart + current.offset });
            answers.push({ eventID: current.eventID, modificationNumber: current.modificationNumber, code: "200", respond, opt: this.#decide(current, now) });
          }
          break;
        }
        case "unchanged":
          answers.push({ eventID: stored!.eventID, modificationNumber: stored!.modificationNumber, code: "200", respond, opt: this.#events.effectiveOpt(stored!) });
          break;
        case "stale":
          this.#log("warn", "ven", "event with a lower modificationNumber ignored", { eventID: record.eventID, received: record.modificationNumber, stored: stored!.modificationNumber });
          answers.push({ eventID: record.eventID, modificationNumber: record.modificationNumber, code: "450", respond, opt: this.#events.effectiveOpt(stored!) });
          break;
        case "full":
          this.#log("error", "ven", "event store full; event refused", { eventID: record.eventID });
          answers.push({ eventID: record.eventID, modificationNumber: record.modificationNumber, code: "469", respond, opt: "optOut" });
          break;
      }
    }
    // Implied cancellation: an event the VTN no longer lists is cancelled — but not on the word of a
    // list that held an event refused as malformed (a damaged message is no reliable full list).
    if (refused > 0 && message.eventCount === events.length) {
      this.#log("warn", "ven", "oadrDistributeEvent held refused events: no implied cancellation from it", { refused });
    } else if (message.eventCount === events.length) {
      for (const e of this.#events.list()) {
        if (!seen.has(e.eventID) && !e.cancelled && this.#events.cancel(e.eventID)) this.#log("info", "ven", "event implicitly cancelled", { eventID: e.eventID });
      }
    }
    this.#events.prune();
    const respond = () => {
      const responses: EventResponse[] = [];
      for (const a of answers) {
        if (!a.respond) continue;
        const stored = this.#events.get(a.eventID);
        const opt = stored && a.code === "200" ? this.#events.effectiveOpt(stored) : (a.opt as OptType);
        responses.push({ responseCode: a.code, responseDescription: RESPONSE_DESCRIPTIONS[a.code] ?? "", requestID, qualifiedEventID: { eventID: a.eventID, modificationNumber: a.modificationNumber }, optType: opt });
      }
      if (!responses.length) return;
      this.#loop.enqueue(this.#job("EiEvent", () => ({
        type: "oadrCreatedEvent", eiResponse: { responseCode: "200", responseDescription: "OK", requestID: "" }, eventResponses: responses, venID: this.#venID(),
      })), true);
    };
    const decisions = answers.filter((a) => typeof a.opt !== "string");
    if (!decisions.length) {
      respond();
      return;
    }
    // Respond before polling again: the loop holds until every answer is in (or timed out).
    this.#pendingDecision = Promise.all(decisions.map((a) => (a.opt as Promise<OptType>).then((opt) => {
      a.opt = opt;
      this.#events.setOpt(a.eventID, opt);
    }))).then(respond);
  }

  /** The application's answer: an OptType now, or a promise of one (optOut after a timeout or an error). */
  #decide(record: EventRecord, now: number): OptType | Promise<OptType> {
    const handler = this.#o.onEvent;
    if (!handler) {
      this.#events.setOpt(record.eventID, "optIn");
      return "optIn";
    }
    let answer: OptType | Promise<OptType>;
    try {
      answer = handler(toVenEvent(record, now));
    } catch (error) {
      this.#log("error", "ven", "onEvent threw; opting out", { eventID: record.eventID, error: String(error) });
      answer = "optOut";
    }
    if (answer === "optIn" || answer === "optOut") {
      this.#events.setOpt(record.eventID, answer);
      return answer;
    }
    if (!answer || typeof (answer as Promise<OptType>).then !== "function") {
      this.#log("error", "ven", "onEvent returned neither optIn nor optOut; opting out", { eventID: record.eventID, value: String(answer) });
      this.#events.setOpt(record.eventID, "optOut");
      return "optOut";
    }
    const timeout = this.#o.decideTimeoutMs ?? 10_000;
    return new Promise<OptType>((resolve) => {
      let done = false;
      const timer = this.#o.scheduler.set(() => {
        if (done) return;
        done = true;
        this.#log("error", "ven", "onEvent did not answer in time; opting out", { eventID: record.eventID, timeoutMs: timeout });
        resolve("optOut");
      }, timeout);
      (answer as Promise<OptType>).then((value) => {
        if (done) return;
        done = true;
        this.#o.scheduler.clear(timer);
        if (value === "optIn" || value === "optOut") resolve(value);
        else {
          this.#log("error", "ven", "onEvent resolved to neither optIn nor optOut; opting out", { eventID: record.eventID, value: String(value) });
          resolve("optOut");
        }
      }, (error) => {
        if (done) return;
        done = true;
        this.#o.scheduler.clear(timer);
        this.#log("error", "ven", "onEvent rejected; opting out", { eventID: record.eventID, error: String(error) });
        resolve("optOut");
      });
    });
  }

  // ---- reports ---------------------------------------------------------------------------------

  #acceptReportRequests(requests: Parameters<Reports["request"]>[0], requestID: string): void {
    const result = this.#reports.request(requests);
    if (result.metadataRequested) this.#loop.enqueue(this.#registerReportJob());
    this.#loop.enqueue(this.#job("EiReport", () => ({
      type: "oadrCreatedReport",
      eiResponse: { responseCode: result.code, responseDescription: result.description, requestID },
      oadrPendingReports: this.#reports.pending(),
      venID: this.#venID(),
    })), true);
    this.#loop.kick();
  }

  #cancelReports(ids: string[], reportToFollow: boolean, requestID: string): void {
    this.#reports.cancel(ids, reportToFollow);
    this.#loop.enqueue(this.#job("EiReport", () => ({
      type: "oadrCanceledReport",
      eiResponse: { responseCode: "200", responseDescription: "OK", requestID },
      oadrPendingReports: this.#reports.pending(),
      venID: this.#venID(),
    })), true);
  }

  #agendaWake(): void {
    if (!this.#registration) return;
    for (const id of this.#reports.tick()) this.#loop.enqueue(this.#updateReportJob(id));
  }

  #agendaNext(): number | undefined {
    return this.#registration ? this.#reports.nextWake() : undefined;
  }

  #updateReportJob(reportRequestID: string): Job {
    // Only the batch's ack and more wait for the reply: the report itself (its intervals and payloads,
    // ≈270 slots for 6 rows) is garbage once encoded, and a TLS handshake may need that memory meanwhile.
    let batch: { ack(): void; more(): boolean } | undefined;
    const job = this.#job("EiReport", () => {
      const b = this.#reports.batch(reportRequestID);
      if (!b) throw new Error(`nothing buffered for ${reportRequestID}`);
      batch = { ack: b.ack, more: b.more };
      return { type: "oadrUpdateReport", requestID: this.#newID(), oadrReport: [b.report], venID: this.#venID() };
    }, (reply) => {
      if (reply.type === "oadrUpdatedReport" && reply.eiResponse.responseCode === "200") {
        batch?.ack();
        if (batch?.more()) this.#loop.enqueue(this.#updateReportJob(reportRequestID), true); // backfill, oldest first
        if (reply.oadrCancelReport) this.#cancelReports(reply.oadrCancelReport.reportRequestID, reply.oadrCancelReport.reportToFollow, reply.oadrCancelReport.requestID);
      } else {
        this.#log("warn", "ven", "oadrUpdateReport not acknowledged", { reportRequestID, reply: reply.type, code: "eiResponse" in reply ? reply.eiResponse?.responseCode : undefined });
        this.#reports.release(reportRequestID);
      }
    }, 1000);
    job.reportRequestID = reportRequestID;
    return job;
  }

  // ---- helpers ---------------------------------------------------------------------------------

  #job(service: Service, build: () => VenMessage, reply?: (payload: DecodedPayload, events: OadrEvent[]) => void, attempts?: number): InternalJob {
    return new VenJob(service, build, reply, attempts);
  }

  #venID(): string {
    return this.#registration?.venID ?? "";
  }

  #newID(): string {
    this.#counter = (this.#counter + 1) % 0x10000;
    let hex = "";
    for (let i = 0; i < 3; i++) hex += Math.floor(this.#o.random() * 0x10000).toString(16).padStart(4, "0");
    return `${hex}-${this.#counter.toString(16).padStart(4, "0")}`;
  }

  #setState(state: VenState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#statusChanged();
  }

  /** onStatus on a later turn, once per burst. */
  #statusChanged(): void {
    if (!this.#o.onStatus || this.#statusTimer || this.#closed) return;
    this.#statusTimer = this.#o.scheduler.set(() => {
      this.#statusTimer = undefined;
      try {
        this.#o.onStatus?.(this.status);
      } catch (error) {
        this.#log("error", "ven", "onStatus threw", { error: String(error) });
      }
    }, 0);
  }
}

interface InternalJob extends Job {
  attempts?: number;
  reply?: (payload: DecodedPayload, events: OadrEvent[]) => void;
  reportRequestID?: string;
}

/** A queued message: one object and the closures its caller gives (an object literal with a getter and a
 *  wrapping closure cost ≈20 slots more a job, and a 30-minute boundary queues three reports at once). */
class VenJob implements InternalJob {
  kind = "";
  readonly service: Service;
  readonly #make: () => VenMessage;
  // set only when given (a property costs a slot)
  declare reportRequestID?: string;
  declare readonly reply?: (payload: DecodedPayload, events: OadrEvent[]) => void;
  declare readonly attempts?: number;
  constructor(service: Service, make: () => VenMessage, reply?: (payload: DecodedPayload, events: OadrEvent[]) => void, attempts?: number) {
    this.service = service;
    this.#make = make;
    if (reply) (this as { reply?: unknown }).reply = reply;
    if (attempts !== undefined) (this as { attempts?: number }).attempts = attempts;
  }

  build(): VenMessage {
    const m = this.#make();
    this.kind = m.type;
    return m;
  }
}
