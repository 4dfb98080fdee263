// XS-side entry for the CIOF tests and benchmark: the firmware's CiofController wired as main.ts
// would wire it (Moddable Preference store, Timer scheduler, Time/Date clock, legacy http transport),
// with the test doubles of metering and the VEN. Node drives it through expose().
import { expose } from "../engine/xs/expose";
import { PreferenceStore } from "../../modules/platform/moddable/store";
import { ModdableClock } from "../../modules/platform/moddable/clock";
import { ModdableScheduler } from "../../modules/platform/moddable/scheduler";
import { ModdableHttpTransport } from "../../modules/platform/moddable/http-transport";
import { CiofController } from "../../modules/ciof/controller";
import { Outbox } from "../../modules/ciof/outbox";
import { CiofHttp } from "../../modules/ciof/http";
import type { HttpTransport, Log } from "../../modules/platform/types";
import { TransportError } from "../../modules/platform/types";
import { DEVICE_ID, KEY, deviceConfig, terminalData, terminalServices, terminalContracts } from "./site";
import { decodeDataImplementations, decodeServiceImplementations, decodeTradeContracts } from "../../modules/ciof/wire";
import { buildRow, checkStructure, checkDeviceConfig, energyField } from "../../modules/ciof/mapping";
import type { ResolvedData } from "../../modules/ciof/mapping";
import { FakeDr, FakeHealth, FakeMeter, sampleDrEvent } from "./fakes";

const DOMAIN = "ciof";
const bench: { outbox?: Outbox; data?: ResolvedData; next: number } = { next: 0 };
const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
const log: Log = (level, component, message, fields) => {
  lines.push({ level, message, fields });
  if (lines.length > 500) lines.shift();
  if (level === "error") print("[ciof error] " + message + (fields ? " " + JSON.stringify(fields) : ""));
};

let controller: CiofController | undefined;
const clock = new ModdableClock({ valid: true });
const scheduler = new ModdableScheduler();
const store = new PreferenceStore({ domain: DOMAIN });
let meter = new FakeMeter(() => clock.now());
let dr = new FakeDr();
const health = new FakeHealth();

interface BootOptions {
  port: number; key?: string; pollingRate?: number; timeoutMs?: number; segments?: number; segmentBytes?: number;
  /** After a power cycle metering still has its slots (it keeps them in its own store): regenerate from here. */
  firstSlot?: number;
  /** DR records the VEN had completed before this boot (start times). */
  drStarts?: number[];
}

expose({
  boot(o: BootOptions) {
    if (o.firstSlot !== undefined) meter = new FakeMeter(() => clock.now(), { firstSlot: o.firstSlot });
    if (o.drStarts) { dr = new FakeDr(); for (const s of o.drStarts) dr.add(sampleDrEvent(s)); }
    controller = new CiofController({
      transport: new ModdableHttpTransport({ host: "127.0.0.1", port: o.port, secure: false }),
      authorizationKey: o.key ?? KEY, store, clock, scheduler, random: Math.random, log, deviceId: DEVICE_ID,
      config: deviceConfig(), slots: meter, dr, health, pollingRateSeconds: o.pollingRate ?? 60,
      http: { timeoutMs: o.timeoutMs ?? 10_000 }, outbox: { segments: o.segments, segmentBytes: o.segmentBytes },
    });
    controller.start();
    return true;
  },
  status() { return controller?.status; },
  collect() { const g = (globalThis as unknown as { gc?: () => void }).gc; if (g) g(); return typeof g; },
  wipe() { for (const k of store.keys()) store.delete(k); return store.keys().length; },
  /** Stack probes: one piece of work each (xs.resetPeak() before, xs.peak() after). */
  probe(what: string, port?: number) {
    if (what === "decode") {
      const s = decodeServiceImplementations(JSON.parse(JSON.stringify(terminalServices())));
      const d = decodeDataImplementations(JSON.parse(JSON.stringify(terminalData())));
      decodeTradeContracts(JSON.parse(JSON.stringify(terminalContracts())), 540);
      return checkStructure(deviceConfig(), s, d).problems.length;
    }
    if (what === "request") {
      return new Promise((resolve) => {
        const t = new ModdableHttpTransport({ host: "127.0.0.1", port: port!, secure: false });
        t.request({ method: "GET", path: "/hct/api/v2/trade_contracts", headers: { authorization: "Bearer token=" + KEY } }, { onDone: () => resolve("done"), onError: (e) => resolve(String(e)) });
      });
    }
    if (what === "pref") { store.set("probe", "x".repeat(100)); store.get("probe"); store.delete("probe"); return 1; }
    if (what === "empty") { return 1; }
    if (what === "cfg") { return checkDeviceConfig(deviceConfig()).length; }
    if (what === "stringify") { return JSON.stringify(terminalServices()).length; }
    if (what === "parse") { return JSON.parse(JSON.stringify(terminalServices())).length; }
    if (what === "enqueue-mem") {
      const mem = new Map<string, string>();
      const memStore = { get: (k: string) => mem.get(k), set: (k: string, v: string) => { mem.set(k, v); }, delete: (k: string) => { mem.delete(k); }, keys: () => [...mem.keys()] };
      const silent: HttpTransport = { request: () => ({ abort() {} }), close() {} };
      const ob = new Outbox({ store: memStore, http: new CiofHttp({ transport: silent, authorizationKey: KEY, log }), clock, scheduler, random: Math.random, log, idPrefix: DEVICE_ID });
      ob.load();
      ob.enqueue([{ kind: "message", contractId: "1", rows: [["a", "b"]], record: { eventType: "read", timestamp: 0 } }], { t0: 1 });
      return 1;
    }
    if (what === "fake-start") {
      // the controller over pure-JS fakes (no host modules below it): our own stack depth
      const mem = new Map<string, string>();
      const memStore = { get: (k: string) => mem.get(k), set: (k: string, v: string) => { mem.set(k, v); }, delete: (k: string) => { mem.delete(k); }, keys: () => [...mem.keys()] };
      const answers: Record<string, string> = {
        "/hct/api/v2/service_implementations": JSON.stringify(terminalServices()), "/hct/api/v2/data_implementations": JSON.stringify(terminalData()),
        "/hct/api/v2/trade_contracts": JSON.stringify(terminalContracts()), "/hct/api/v2/requests": "[]",
      };
      const fake: HttpTransport = {
        request: (r, h) => {
          const path = r.method === "GET" ? r.path : "";
          scheduler.set(() => { h.onHeaders?.(200, {}); h.onData?.(new TextEncoder().encode(answers[path] ?? (r.path.endsWith("/messages") ? '{"id":"x"}' : "{}"))); h.onDone(); }, 0);
          return { abort() {} };
        },
        close() {},
      };
      const c = new CiofController({ transport: fake, authorizationKey: KEY, store: memStore, clock, scheduler, random: Math.random, log, deviceId: DEVICE_ID, config: deviceConfig(), slots: meter, dr, health });
      c.start();
      return 1;
    }
    if (what === "timer") { scheduler.set(() => {}, 10); return 1; }
    if (what === "timer-request") {
      scheduler.set(() => {
        const t = new ModdableHttpTransport({ host: "127.0.0.1", port: port!, secure: false });
        t.request({ method: "GET", path: "/hct/api/v2/requests", headers: { authorization: "Bearer token=" + KEY } }, { onDone: () => {}, onError: () => {} });
      }, 10);
      return 1;
    }
    if (what === "timer-ciof") {
      const h = new CiofHttp({ transport: new ModdableHttpTransport({ host: "127.0.0.1", port: port!, secure: false }), authorizationKey: KEY, log });
      scheduler.set(() => { h.request("GET", "/requests").then((r) => JSON.parse(r.text)); }, 10);
      return 1;
    }
    if (what === "produce") { controller?.produce(); return controller?.status.outbox.queued; }
    if (what === "statusget") { return controller?.status.state; }
    if (what === "health") { controller?.healthChanged(); return 1; }
    return undefined;
  },
  produce() { controller?.produce(); },
  addDr(start: number) { dr.add(sampleDrEvent(start)); controller?.produce(); return dr.records.length; },
  setHealth(h: { relayFault?: boolean; ctFault?: boolean; vtnReachable?: boolean }) { health.value = { ...health.value, ...h }; controller?.healthChanged(); },
  async stop(reason?: "stopped" | "disconnected") { await controller?.stop(reason); return controller?.status; },
  logLines(level?: string) { return level ? lines.filter((l) => l.level === level) : lines.slice(); },
  storeBytes(prefix = "") {
    let n = 0;
    for (const k of store.keys()) if (k.startsWith(prefix)) n += new TextEncoder().encode(store.get(k) ?? "").length;
    return n;
  },
  storeKeys() { return store.keys(); },
  /** Benchmark setup: an empty store and a fresh outbox whose link is down (it backs off for an hour). */
  benchSetup(o: { segments?: number; segmentBytes?: number } = {}) {
    controller?.close();
    controller = undefined;
    for (const k of store.keys()) store.delete(k);
    const silent: HttpTransport = { request: (_r, h) => { Promise.resolve().then(() => h.onError(new TransportError("connect", "offline"))); return { abort() {} }; }, close() {} };
    const http = new CiofHttp({ transport: silent, authorizationKey: KEY, log });
    bench.outbox = new Outbox({ store, http, clock, scheduler, random: Math.random, log, idPrefix: DEVICE_ID, backoffInitialMs: 3600_000, backoffMaxMs: 3600_000, ...o });
    bench.outbox.load();
    const structure = checkStructure(deviceConfig(), decodeServiceImplementations(terminalServices()), decodeDataImplementations(terminalData()));
    bench.data = structure.data[0];
    bench.next = Math.floor(clock.now() / 1800_000) * 1800_000;
    return structure.problems.length;
  },
  /** Benchmark: `n` 30-minute slots formatted and queued, one commit each (as the controller does). */
  benchEnqueue(n: number, coalesce: boolean) {
    const ob = bench.outbox!, data = bench.data!;
    for (let i = 0; i < n; i++) {
      const start = bench.next;
      bench.next += 1800_000;
      const wh = 100 + (i % 48) * 7.25;
      const row = buildRow(data, energyField({ start, offsetMinutes: 540, wh, avgKw: wh / 500, peakKw: wh / 300, estimated: true, valid: true }), 540) as string[];
      ob.enqueue([{ kind: "message", contractId: "10001", rows: [row], maxRows: coalesce ? 48 : 1, record: { eventType: "read", timestamp: start + 1800_000, serviceImplementationId: "10501", serviceImplementationLocalId: "svc_dr", processImplementationId: "10601", processImplementationLocalId: "p_meter" } }], { t0: start });
    }
    return ob.state;
  },
  /** Bytes the outbox holds: UTF-8 of its values, and NVS's cost (32-byte entries, one header each). */
  benchStorage() {
    let bytes = 0, nvs = 0, keys = 0;
    for (const k of store.keys()) {
      const v = store.get(k) ?? "";
      const b = new TextEncoder().encode(v).length;
      bytes += b; nvs += 32 * (1 + Math.ceil((b + 1) / 32)); keys++;
    }
    return { bytes, nvs, keys, queued: bench.outbox!.state.queued };
  },
});
