// XS side of the VEN host tests: builds a Ven exactly as main.ts does (Moddable clock, timer,
// preference and http/SecureSocket adapters; the OpenADR codec as its Wire) from a JSON-able config
// sent by the Node test, and exposes what the tests look at. The application's event handler and the
// report sources are scripted by the config.
import { expose } from "../../engine/xs/expose";
import { Ven, type VenEvent, type VenOptions, type StatusReading } from "../../../modules/openadr/ven";
import { createOadrWire } from "../../../modules/openadr/wire-oadr";
import { ModdableClock } from "../../../modules/platform/moddable/clock";
import { ModdableScheduler } from "../../../modules/platform/moddable/scheduler";
import { PreferenceStore } from "../../../modules/platform/moddable/store";
import { ModdableHttpTransport } from "../../../modules/platform/moddable/http-transport";
import type { LogLevel } from "../../../modules/platform/types";
import { createModdableCrypto } from "../../../modules/platform/moddable/crypto";
import type { ItemBaseName } from "../../../modules/openadr/enums";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ReadingScript {
  /** value = base + perHour × hours since `since` (a cumulative counter when perHour > 0). */
  base?: number;
  perHour?: number;
  since?: number;
  status?: StatusReading;
}

export interface XsVenConfig {
  vtnURL: string;
  venName: string;
  tls?: { ca: Uint8Array; certificate: Uint8Array; key: Uint8Array; vtnFingerprint?: string };
  development?: boolean;
  pollInterval?: number;
  /** Opt answers: by eventID, else `default` (optIn). `delayMs` answers through a promise after that long. */
  answers?: { default?: "optIn" | "optOut"; byEvent?: Record<string, "optIn" | "optOut" | "throw" | "never">; delayMs?: number };
  reports?: Array<{ reportName?: string; resourceId: string; measurement: ItemBaseName | "status"; unit?: string; samplingRate?: number; reading: ReadingScript; rID?: string }>;
  options?: Partial<Pick<VenOptions, "maxEvents" | "backoff" | "timeoutMs" | "decideTimeoutMs" | "utcOffsetMinutes" | "reportBufferRows" | "maxRowsPerReport" | "historySlots" | "statusReport" | "reregisterAfterCancelMs">>;
  /** Keep log lines at these levels (default warn, error, info). */
  logLevels?: LogLevel[];
  storeDomain?: string;
  clockValid?: boolean;
  /** Reader limit on reply size (bytes). */
  maxReplyBytes?: number;
  /** Other XML reader limits (memory: the name table and text buffers are preallocated). */
  readerLimits?: Record<string, number>;
  /** XML signatures (VenOptions signing, validateSignatures, vtnFingerprint; crypto: the Moddable adapter). */
  signatures?: { signing?: { certificate: Uint8Array; key: Uint8Array }; validate?: boolean; vtnFingerprint?: string };
}

let ven: Ven | undefined;
let clock: ModdableClock | undefined;
const logs: Array<{ level: string; component: string; message: string; fields?: Any }> = [];
const handled: Array<{ eventID: string; modificationNumber: number; status: string; start: number; randomization: number; at: number }> = [];
const statuses: Any[] = [];
let changes = 0;
let transport: ModdableHttpTransport | undefined;
const exchanges: Array<{ kind: string; outcome: string; at: number }> = [];
let waiters: Array<{ kind: string; resolve: (outcome: string) => void }> = [];

function readingOf(script: ReadingScript): () => number | StatusReading | undefined {
  if (script.status) return () => script.status;
  return () => (script.base ?? 0) + (script.perHour ?? 0) * ((Date.now() - (script.since ?? 0)) / 3_600_000);
}

expose({
  start(config: XsVenConfig) {
    if (ven) throw new Error("already started");
    clock = new ModdableClock(config.clockValid === undefined ? {} : { valid: config.clockValid });
    const levels = config.logLevels ?? ["error", "warn", "info"];
    const answers = config.answers ?? {};
    const scheduler = new ModdableScheduler();
    const options: VenOptions = {
      vtnURL: config.vtnURL,
      venName: config.venName,
      development: config.development,
      pollInterval: config.pollInterval,
      store: new PreferenceStore({ domain: config.storeDomain ?? "ven" }),
      clock,
      scheduler,
      random: Math.random,
      log: (level, component, message, fields) => {
        if (levels.includes(level)) logs.push({ level, component, message, fields });
      },
      transport: (o) => (transport = new ModdableHttpTransport(o)),
      wire: createOadrWire({ limits: { ...(config.readerLimits ?? {}), ...(config.maxReplyBytes ? { documentBytes: config.maxReplyBytes } : {}) } }),
      onEvent: (event: VenEvent) => {
        handled.push({ eventID: event.eventID, modificationNumber: event.modificationNumber, status: event.status, start: event.activePeriod.start, randomization: event.activePeriod.randomization, at: Date.now() });
        const answer = answers.byEvent?.[event.eventID] ?? answers.default ?? "optIn";
        if (answer === "throw") throw new Error("handler failure (scripted)");
        if (answer === "never") return new Promise(() => undefined);
        if (answers.delayMs) return new Promise((resolve) => scheduler.set(() => resolve(answer), answers.delayMs!));
        return answer;
      },
      onStatus: (s) => statuses.push(s),
      onExchange: (kind, outcome) => {
        exchanges.push({ kind, outcome, at: Date.now() });
        const ready = waiters.filter((w) => w.kind === kind);
        waiters = waiters.filter((w) => w.kind !== kind);
        for (const w of ready) w.resolve(outcome);
      },
      ...(config.options ?? {}),
    };
    if (config.tls) options.tls = config.tls;
    if (config.signatures) {
      options.signing = config.signatures.signing;
      options.validateSignatures = config.signatures.validate;
      options.vtnFingerprint = config.signatures.vtnFingerprint;
      options.crypto = createModdableCrypto();
    }
    ven = new Ven(options);
    for (const r of config.reports ?? []) {
      ven.addReport({ reportName: r.reportName, resourceId: r.resourceId, measurement: r.measurement, unit: r.unit, samplingRate: r.samplingRate, rID: r.rID, read: readingOf(r.reading) });
    }
    ven.signals.onChange(() => changes++);
    ven.start();
    return true;
  },
  stop() {
    ven?.stop();
    return true;
  },
  close() {
    ven?.close();
    ven = undefined;
    return true;
  },
  status() {
    return ven?.status;
  },
  stats() {
    return { ...ven?.stats, transport: transport?.stats };
  },
  events() {
    return ven?.events().map((e) => ({ ...e, activePeriod: { ...e.activePeriod, end: e.activePeriod.end === Infinity ? -1 : e.activePeriod.end } }));
  },
  active(at?: number) {
    return ven?.signals.active(at ?? Date.now()).map((s) => ({ ...s, end: s.end === Infinity ? -1 : s.end }));
  },
  nextChange(at?: number) {
    return ven?.signals.nextChange(at ?? Date.now()) ?? null;
  },
  handled() {
    return handled;
  },
  statuses() {
    return statuses;
  },
  changes() {
    return changes;
  },
  logs(level?: string) {
    return level ? logs.filter((l) => l.level === level) : logs;
  },
  override(until: number, reason: string) {
    ven?.requestOptOut(until, reason as Any);
    return true;
  },
  cancelOverride() {
    ven?.cancelOptOut();
    return true;
  },
  markClockValid(valid: boolean) {
    clock?.markValid(valid);
    return true;
  },
  now() {
    return Date.now();
  },
  /** Polls now and settles when an exchange of `kind` has ended (default: the poll itself). */
  pollOnce(kind = "oadrPoll") {
    const done = new Promise<string>((resolve) => waiters.push({ kind, resolve }));
    ven?.pollNow();
    return done;
  },
  exchanges() {
    return exchanges;
  },
});
