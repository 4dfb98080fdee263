// The simulator: runs main.ts on XS (the host engine, virtual clock) against the VTN simulator and the
// CIOF terminal emulator on loopback (TLS with the generated test PKI for the VTN), plays a scenario's
// actions at their simulated times, and records what crossed the wire and what the simulated hardware
// did. Or, with `external`, points the VEN at another VTN (and/or CIOF terminal) in real time.
// Used by tools/sim.ts, the sim tests and the device-heap bench. Node only.
import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { HEAP_PROFILES, XsHost, type HeapBudget, type HeapProfile, type PeakReport } from "../engine/index.ts";
import { CiofTerminal } from "../peers/ciof-terminal.ts";
import { makePki } from "../peers/pki.ts";
import type { SimEvent, SimReportRequest } from "../peers/vtn/messages.ts";
import { VtnSimulator, type RegisteredMetadata } from "../peers/vtn/server.ts";
import { deviceConfig, KEY, terminalContracts, terminalData, terminalServices } from "../ciof/site.ts";
import { defaultSignalType, duration, timeOf, type Action, type EventSpec, type ReportSpec, type ResolvedScenario } from "./scenario.ts";

export const ENTRY = "host-tests/sim/xs-firmware.ts";

/**
 * The ESP32 board targets' heap (78,848 B of chunks, 4,928 slots, fixed) with a stack large enough to
 * load the bundle: the engine evaluates the whole firmware as one function whose ~600 top-level
 * bindings take stack slots while it loads, which a device never does (its modules are preloaded).
 * The 512-slot limit is checked on the peak measured after the load (summary check "stack").
 */
export const ESP32_LOADABLE: HeapBudget = Object.freeze({ ...HEAP_PROFILES.esp32, stack: 4096 });
export const ESP32_STACK_SLOTS = HEAP_PROFILES.esp32.stack;
const STATUS_EVERY_MS = 60_000;

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ExternalVtn {
  /** https://host:port[/base] — loopback (127.0.0.1, ::1, localhost): the host engine's network is loopback only. */
  url: string;
  /** PEM files: the VEN's client certificate and key, and the CA of the VTN's certificate. */
  cert: string;
  key: string;
  ca: string;
  venName: string;
  vtnFingerprint?: string;
}

export interface ExternalCiof {
  url: string;
  token: string;
}

export interface SimOptions {
  scenario: ResolvedScenario;
  /** Virtual ms to run (default: the scenario's duration; external mode: until `signal` aborts). */
  durationMs?: number;
  /** Pace: simulated ms per real ms (default: as fast as possible). External mode is always 1. */
  speed?: number;
  /** XS memory: "host" (grows), "esp32" (the board targets' fixed heap), or an explicit budget. */
  heap?: HeapProfile | HeapBudget;
  /** Hold SecureSocket-sized XS memory while a TLS request is open (the engine's default: true). */
  tlsReserve?: boolean;
  external?: ExternalVtn;
  externalCiof?: ExternalCiof;
  /** Firmware log level (default "info"). */
  logLevel?: string;
  /** Live status (every simulated minute). */
  onStatus?: (status: LiveStatus) => void;
  /** Firmware log lines. */
  onLog?: (line: string) => void;
  /** Memory, every simulated minute: live heap after a collection and the peaks since the last reading. */
  onHeap?: (at: number, live: { chunks: number; slots: number }, peak: PeakReport) => void;
  /** Stops a run early (Ctrl-C). */
  signal?: AbortSignal;
  /** XS entry (default ENTRY): a probe that wraps it. */
  entry?: string;
}

export interface LiveStatus {
  /** Simulated wall time, ms. */
  at: number;
  startMs: number;
  endMs: number;
  offsetMinutes: number;
  firmware: Any;
  siteKva: number;
}

export interface MessageRecord {
  seq: number;
  /** Simulated wall time, ms. */
  at: number;
  peer: "vtn" | "ciof" | "other";
  method: string;
  url: string;
  status?: number;
  error?: string;
  request: string;
  response: string;
}

export interface RelayWrite { pin: number; level: number; at: number }
export interface Sample { at: number; siteKva: number; measuredKw: number | null; ciofQueued: number | null; reportBuffered: number | null; venState: string | null }
export interface EventVersion { at: number; kind: "new" | "modify" | "cancel"; event: SimEvent }
export interface ActionRecord { at: number; do: string; detail: string }

export interface SimRecords {
  scenario: ResolvedScenario;
  mode: "builtin" | "external";
  startMs: number;
  endMs: number;
  bootMs: number;
  config: Record<string, unknown>;
  messages: MessageRecord[];
  relayWrites: RelayWrite[];
  samples: Sample[];
  eventVersions: EventVersion[];
  actions: ActionRecord[];
  firmwareLog: string[];
  finalStatus: Any;
  site: Any;
  /** Memory: peaks of the engine counters (host slot size) and the largest live heap sampled after a
   *  collection between steps (every simulated minute). */
  heap: { profile: string; peakChunks: number; peakSlots: number; peakStack: number; peakStackDevice: number; liveChunks: number; liveSlots: number; error?: string };
  wallSeconds: number;
  vtn?: VtnSimulator;
  terminal?: CiofTerminal;
  xsErrors: string[];
  /** The run stopped early: fixed heap exhausted, an XS exception, or aborted. */
  aborted?: string;
}

interface Pending { at: number; order: number; run: () => Promise<void> | void; label: string }

function pemToDer(file: string, label: "CERTIFICATE"): Uint8Array {
  const text = readFileSync(file, "utf8");
  const m = new RegExp(`-----BEGIN ${label}-----([\\s\\S]+?)-----END ${label}-----`).exec(text);
  if (!m) throw new Error(`${file}: no ${label} PEM block`);
  return new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ""), "base64"));
}

function keyToPkcs8Der(file: string): Uint8Array {
  const key = createPrivateKey(readFileSync(file));
  return new Uint8Array(key.export({ type: "pkcs8", format: "der" }));
}

function loopbackHost(url: string, what: string): void {
  const m = /^https?:\/\/(\[[^\]]+\]|[^/:]+)/.exec(url);
  if (!m) throw new Error(`${what}: not an http(s) URL: ${url}`);
  const host = m[1].replace(/^\[|\]$/g, "");
  if (host === "localhost" || host === "127.0.0.1" || host === "::1") return;
  if (isIP(host)) throw new Error(`${what}: ${host} is not loopback; the host engine's network reaches 127.0.0.1/::1/localhost only (a tunnel or a local proxy can bring a remote peer there)`);
  throw new Error(`${what}: host name ${host} is not resolvable in the host engine (use 127.0.0.1 or localhost)`);
}

/** Runs a scenario (or an external session); resolves with everything recorded. */
export async function runSimulation(o: SimOptions): Promise<SimRecords> {
  const s = o.scenario;
  const external = o.external;
  const realTime = external !== undefined || o.externalCiof !== undefined;
  const startMs = realTime ? Date.now() : s.startMs;
  const runMs = o.durationMs ?? (external ? Infinity : s.durationMs);
  const endMs = startMs + runMs;
  const wall0 = performance.now();
  let xs: XsHost | undefined;
  const now = () => xs?.now ?? startMs;
  const records: SimRecords = {
    scenario: s, mode: external ? "external" : "builtin", startMs, endMs, bootMs: startMs, config: {},
    messages: [], relayWrites: [], samples: [], eventVersions: [], actions: [], firmwareLog: [], finalStatus: null, site: null,
    heap: { profile: profileName(o.heap), peakChunks: 0, peakSlots: 0, peakStack: 0, peakStackDevice: 0, liveChunks: 0, liveSlots: 0 },
    wallSeconds: 0, xsErrors: [],
  };

  // ---- peers ----
  let vtn: VtnSimulator | undefined;
  let terminal: CiofTerminal | undefined;
  let identity: { ca: Uint8Array; cert: Uint8Array; key: Uint8Array };
  let vtnURL: string;
  let venName = "ven-esp32-0001";
  let vtnFingerprint: string | undefined;
  const reportSpecs = s.vtn?.reports ?? [];
  if (external) {
    loopbackHost(external.url, "--vtn-url");
    identity = { ca: pemToDer(external.ca, "CERTIFICATE"), cert: pemToDer(external.cert, "CERTIFICATE"), key: keyToPkcs8Der(external.key) };
    new X509Certificate(Buffer.from(identity.cert)); // a readable certificate, or throw now
    vtnURL = external.url;
    venName = external.venName;
    vtnFingerprint = external.vtnFingerprint;
  } else {
    const pki = makePki();
    identity = { ca: pki.ca.certDer, cert: pki.vens["ven-1"]!.certDer, key: pki.vens["ven-1"]!.keyDer };
    vtn = await VtnSimulator.start({
      pki, clock: now, pollFreq: duration(s.vtn?.pollFreq ?? "PT1M"), validation: "off",
      reportRequests: (metadata) => reportSpecs.map((r) => reportRequest(s, r, metadata)).filter((r): r is SimReportRequest => r !== undefined),
    });
    vtnURL = vtn.url;
    vtnFingerprint = undefined;
  }
  let ciofURL = "";
  let ciofKey = "";
  if (o.externalCiof) {
    loopbackHost(o.externalCiof.url, "--ciof-url");
    ciofURL = o.externalCiof.url;
    ciofKey = o.externalCiof.token;
  } else if (s.ciof?.enabled !== false) {
    terminal = new CiofTerminal({ authorizationKey: KEY, services: terminalServices(), data: terminalData(), contracts: terminalContracts(), now });
    ciofURL = (await terminal.listen()).url;
    ciofKey = KEY;
  }
  records.vtn = vtn;
  records.terminal = terminal;

  const config: Record<string, unknown> = {
    board: "sim", sntp: "", ssid: "", logLevel: o.logLevel ?? "info", timezone: s.offsetMinutes * 60,
    ciof: deviceConfig(),
    ...(s.firmware ?? {}),
    vtnURL, venName, ciofURL, ciofKey,
    ...(vtnFingerprint ? { vtnFingerprint } : {}),
  };
  records.config = { ...config, ciofKey: ciofKey ? "(set)" : "" };

  const closeAll = async () => {
    await xs?.close();
    await vtn?.close();
    await terminal?.close();
  };

  try {
    xs = await XsHost.start({
      entry: o.entry ?? ENTRY, heap: o.heap === "esp32" ? ESP32_LOADABLE : o.heap ?? "host", clock: { start: startMs }, random: { seed: s.seed ?? 1 }, config,
      resources: { "vtn-ca.der": identity.ca, "ven-cert.der": identity.cert, "ven-key.der": identity.key },
      onPrint: (line) => {
        records.firmwareLog.push(line);
        o.onLog?.(line);
      },
    });
    const host = xs;
    if (o.tlsReserve === false) host.network.tlsBallast = null;
    let seq = 0;
    host.network.onExchange = (e) => {
      const peer = vtn && e.info.port === vtn.port ? "vtn" : ciofURL && ciofURL.includes(`:${e.info.port}`) ? "ciof" : external && external.url.includes(`:${e.info.port}`) ? "vtn" : "other";
      records.messages.push({
        seq: ++seq, at: host.now, peer, method: e.info.method, url: `${e.info.secure ? "https" : "http"}://${e.info.host}:${e.info.port}${e.info.path}`,
        status: e.status, error: e.error, request: e.requestBody ? e.requestBody.toString("utf8") : "", response: e.responseBody ? e.responseBody.toString("utf8") : "",
      });
    };
    records.bootMs = host.now;
    const booted = await host.call<boolean>("boot");
    if (!booted) throw new Error(`the firmware did not start:\n${records.firmwareLog.slice(-10).join("\n")}`);

    // ---- the scenario's actions (built-in peers only), as timed callbacks ----
    const pending: Pending[] = [];
    let order = 0;
    const at = (t: number, label: string, run: Pending["run"]) => pending.push({ at: t, order: order++, run, label });
    const note = (what: string, detail: string) => records.actions.push({ at: host.now, do: what, detail });
    if (!external) {
      for (const a of s.actions) at(timeOf(s, a.at), a.do, () => perform(a));
    } else if (terminal) {
      for (const a of s.actions) if (a.do === "ciofRequest" || a.do === "ciofOutage") at(timeOf(s, a.at) - s.startMs + startMs, a.do, () => perform(a));
    }

    const perform = async (a: Action): Promise<void> => {
      switch (a.do) {
        case "event": {
          const ev = simEvent(s, a.event, vtn!);
          vtn!.putEvent(ev);
          vtn!.distribute();
          records.eventVersions.push({ at: host.now, kind: "new", event: structuredClone(ev) });
          note("event", `${ev.eventID} ${describe(ev)}`);
          break;
        }
        case "modify": {
          const old = vtn!.events.get(a.eventID);
          if (!old) throw new Error(`scenario: modify of unknown event ${a.eventID}`);
          const base: EventSpec = specOf(old);
          const change = a.event;
          const spec: EventSpec = { ...base, ...change, eventID: a.eventID };
          if (!change.intervals && (change.duration !== undefined || change.value !== undefined)) {
            // one interval: the new duration and/or value, the rest as before
            const total = old.signals[0].intervals.reduce((n, i) => n + i.duration, 0);
            spec.intervals = [{ duration: change.duration ?? `PT${total / 1000}S`, value: change.value ?? old.signals[0].intervals[0].value }];
          }
          const merged = simEvent(s, spec, vtn!);
          merged.modificationNumber = old.modificationNumber + 1;
          merged.modificationDateTime = host.now;
          merged.createdDateTime = old.createdDateTime;
          merged.modificationReason = "scenario modification";
          vtn!.putEvent(merged);
          vtn!.distribute();
          records.eventVersions.push({ at: host.now, kind: "modify", event: structuredClone(merged) });
          note("modify", `${a.eventID} → mod ${merged.modificationNumber}: ${describe(merged)}`);
          break;
        }
        case "cancel": {
          const ev = vtn!.cancelEvent(a.eventID);
          vtn!.distribute();
          records.eventVersions.push({ at: host.now, kind: "cancel", event: structuredClone(ev) });
          note("cancel", a.eventID);
          break;
        }
        case "createReport": {
          const ven = vtn!.ven();
          const request = reportRequest(s, a.report, ven.metadata);
          if (!request) throw new Error(`scenario: the VEN offers no METADATA_${a.report.report}`);
          vtn!.createReport([request]);
          note("createReport", `${a.report.id} ${a.report.report} granularity ${a.report.granularity} back ${a.report.reportBack}`);
          break;
        }
        case "cancelReport":
          vtn!.cancelReport([a.reportRequestID], a.reportToFollow ?? false);
          note("cancelReport", a.reportRequestID);
          break;
        case "ciofRequest": {
          if (!terminal) break;
          const id = `REQ-${String(records.actions.length + 1).padStart(3, "0")}`;
          terminal.requests.push({ trade_contract_id: a.contract, request_type: a.requestType ?? "create", request_parameter_id: id, condition: a.condition ?? "", data_id: a.dataId, created_at: new Date(host.now).toISOString() });
          note("ciofRequest", `${id} ${a.requestType ?? "create"} contract ${a.contract} ${a.condition ?? ""}`);
          break;
        }
        case "button": {
          const hold = a.press === "long" ? 4000 : 300;
          await host.call("button", true);
          await host.advance(hold);
          await host.call("button", false);
          note("button", a.press ?? "short");
          break;
        }
        case "vtnOffline": {
          vtn!.setOffline(true);
          const back = host.now + duration(a.for);
          at(back, "vtnOnline", () => { vtn!.setOffline(false); note("vtnOnline", ""); });
          note("vtnOffline", a.for);
          break;
        }
        case "ciofOutage": {
          if (!terminal) break;
          terminal.down = a.status ?? 503;
          const back = host.now + duration(a.for);
          at(back, "ciofBack", () => { terminal!.down = null; note("ciofBack", ""); });
          note("ciofOutage", `${a.status ?? 503} for ${a.for}`);
          break;
        }
      }
    };

    // ---- the loop ----
    let writesSeen = 0;
    const tickOffset = () => host.now - host.ticks;
    const heap = records.heap;
    const measure = async () => {
      const p: PeakReport = await host.peak();
      heap.peakChunks = Math.max(heap.peakChunks, p.peakChunks);
      heap.peakSlots = Math.max(heap.peakSlots, p.peakSlots);
      heap.peakStack = Math.max(heap.peakStack, p.peakStack);
      heap.peakStackDevice = Math.max(heap.peakStackDevice, p.peakStackDevice);
      const { meter } = await host.callMetered("live");
      o.onHeap?.(host.now, { chunks: meter.chunksInUse, slots: meter.slotsInUse }, p);
      if (meter.chunksInUse + meter.slotsInUse * 16 > heap.liveChunks + heap.liveSlots * 16) {
        heap.liveChunks = meter.chunksInUse;
        heap.liveSlots = meter.slotsInUse;
      }
    };
    // measure() last: its metered call resets the peaks, so the next reading covers the firmware's own
    // steps, not these observation calls.
    const observe = async () => {
      const writes = await host.call<Array<{ pin: number; level: number; ticks: number }>>("relayWrites", writesSeen);
      writesSeen += writes.length;
      const offset = tickOffset();
      for (const w of writes) records.relayWrites.push({ pin: w.pin, level: w.level, at: Math.round(w.ticks + offset) });
      const status = await host.call("status");
      const site = await host.call("site");
      records.samples.push({
        at: host.now, siteKva: site.kva, measuredKw: status?.meter?.valid ? status.meter.kw : null,
        ciofQueued: status?.ciof?.queued ?? null, reportBuffered: status?.reports?.buffered ?? null, venState: status?.ven?.state ?? null,
      });
      o.onStatus?.({ at: host.now, startMs, endMs, offsetMinutes: s.offsetMinutes, firmware: status, siteKva: site.kva });
      await measure();
    };
    let nextObserve = host.now;
    const realStart = performance.now();
    const speed = realTime ? 1 : o.speed;
    for (;;) {
      if (o.signal?.aborted) { records.aborted = "aborted"; break; }
      if (host.now >= nextObserve) {
        await observe();
        nextObserve = host.now + STATUS_EVERY_MS;
      }
      pending.sort((a, b) => a.at - b.at || a.order - b.order);
      while (pending.length && pending[0].at <= host.now) {
        const p = pending.shift()!;
        await p.run();
      }
      if (host.now >= endMs) break;
      let target = Math.min(endMs, nextObserve, pending.length ? pending[0].at : Infinity);
      if (speed !== undefined && speed > 0) {
        // pace: never run ahead of real time × speed; step at most one real second's worth
        const allowed = startMs + (performance.now() - realStart) * speed;
        if (allowed < target) {
          const stepReal = Math.min(1000, (target - allowed) / speed);
          await new Promise((r) => setTimeout(r, Math.max(10, stepReal)));
          target = Math.min(target, startMs + (performance.now() - realStart) * speed);
        }
      }
      if (target > host.now) await host.advance(target - host.now);
    }
    // ---- orderly stop: the CIOF controller flushes its queue and reports "stopped" ----
    if (!records.aborted || records.aborted === "aborted") {
      const stopped = host.begin("stop");
      let done = false;
      stopped.then(() => { done = true; }, () => { done = true; });
      for (let i = 0; i < 100 && !done; i++) await host.advance(100);
      await observe();
      records.finalStatus = await host.call("status");
      records.site = await host.call("site");
    }
    await measure();
  } catch (error) {
    const e = error as { code?: string; message?: string };
    records.aborted = `${e.code ?? "error"}: ${e.message ?? String(error)}`;
    if (e.code === "memory" || e.code === "stack") records.heap.error = e.code;
    if (!xs) throw error;
  } finally {
    records.xsErrors = xs ? xs.errors.slice() : [];
    records.wallSeconds = (performance.now() - wall0) / 1000;
    records.endMs = Math.min(records.endMs, xs?.now ?? records.endMs);
    await closeAll();
  }
  return records;
}

function profileName(heap: SimOptions["heap"]): string {
  if (heap === undefined) return "host";
  return typeof heap === "string" ? heap : `budget ${heap.chunks} B chunks, ${heap.slots} slots, ${heap.stack} stack`;
}

function describe(e: SimEvent): string {
  const s = e.signals[0];
  const values = s.intervals.map((i) => i.value).join("/");
  return `${s.name} ${values} from ${new Date(e.dtstart).toISOString()} for ${e.duration / 60_000} min${e.status === "cancelled" ? " (cancelled)" : ""}`;
}

function simEvent(s: ResolvedScenario, e: EventSpec, vtn: VtnSimulator): SimEvent {
  const signal = e.signal ?? "SIMPLE";
  const intervals = e.intervals
    ? e.intervals.map((iv, i) => ({ duration: duration(iv.duration), value: iv.value, uid: String(i) }))
    : [{ duration: duration(e.duration), value: e.value!, uid: "0" }];
  const total = intervals.reduce((n, iv) => n + iv.duration, 0);
  let targets = e.targets;
  if (!targets) {
    const venID = vtn.vens.size ? vtn.ven().venID : undefined;
    targets = venID ? { venID: [venID] } : {};
  }
  const ev: SimEvent = {
    eventID: e.eventID, modificationNumber: 0, priority: e.priority ?? 1, dtstart: timeOf(s, e.start), duration: total,
    signals: [{ name: signal, type: e.type ?? defaultSignalType(signal), id: `${e.eventID}-${signal}`, currentValue: 0, intervals }],
    targets, responseRequired: e.responseRequired ?? "always", testEvent: e.test ?? false, createdDateTime: vtn.clock,
    marketContext: e.marketContext ?? "http://MarketContext1",
  };
  if (e.comment) ev.vtnComment = e.comment;
  if (e.startafter) ev.startafter = duration(e.startafter);
  if (e.notification) ev.notification = duration(e.notification);
  if (e.rampUp) ev.rampUp = duration(e.rampUp);
  if (e.recovery) ev.recovery = duration(e.recovery);
  return ev;
}

/** The EventSpec of a stored event (for modifications: the scenario gives only what changes). */
function specOf(e: SimEvent): EventSpec {
  const iso = (ms: number) => `PT${ms / 1000}S`;
  const spec: EventSpec = {
    eventID: e.eventID, signal: e.signals[0].name, type: e.signals[0].type, start: new Date(e.dtstart).toISOString(),
    intervals: e.signals[0].intervals.map((i) => ({ duration: iso(i.duration), value: i.value })),
    priority: e.priority, responseRequired: e.responseRequired, test: e.testEvent === true, targets: e.targets,
  };
  if (e.startafter !== undefined) spec.startafter = iso(e.startafter);
  if (e.notification !== undefined) spec.notification = iso(e.notification);
  if (e.rampUp !== undefined) spec.rampUp = iso(e.rampUp);
  if (e.recovery !== undefined) spec.recovery = iso(e.recovery);
  return spec;
}

function reportRequest(s: ResolvedScenario, r: ReportSpec, metadata: RegisteredMetadata[]): SimReportRequest | undefined {
  const m = metadata.find((x) => x.reportName === `METADATA_${r.report}`);
  if (!m) return undefined;
  const request: SimReportRequest = {
    reportRequestID: r.id, reportSpecifierID: m.reportSpecifierID, granularity: duration(r.granularity), reportBackDuration: duration(r.reportBack),
    rIDs: m.descriptions.map((d) => d.rID),
  };
  if (r.interval) request.reportInterval = { dtstart: timeOf(s, r.interval.start), duration: duration(r.interval.duration) };
  return request;
}
