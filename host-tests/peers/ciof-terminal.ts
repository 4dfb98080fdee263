// CIOF terminal emulator (連携ターミナル) for host tests: the controller ↔ terminal API under
// /hct/api/v2/ as the reference manual describes it — token check (401), polling_rate range (422),
// local_id registration with scoped uniqueness (422), contract validation of `contents` (400), size
// limits (422), the service_record 422 table, GET /messages deleting what it returns, pull requests —
// plus injectable 500/502/503, timeouts, resets and lost replies. Records every exchange.
// Independent of modules/ciof (it must be able to catch the client's mistakes). Node only.
//
// Use in-process (`handle`, synchronous, for tests that drive a virtual clock) or over HTTP on
// 127.0.0.1 (`listen`). Over HTTP an injected "timeout" holds the response until close(): with the XS
// engine's virtual clock use its network fault instead (xs.network.failNext({kind: "timeout"})). Shapes the manual leaves open are documented in modules/ciof/README.md.
import http from "node:http";
import type { AddressInfo } from "node:net";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export const BASE = "/hct/api/v2";
const DATA_TYPES = ["string", "float", "integer", "datetime", "boolean", "binary", "json"];
const RECORD_TYPES = ["read", "store", "duplicate", "revise", "delete", "use", "error"];
const SERVICE_STATUSES = ["ready", "halt", "failure", "exception"];
const DATA_STATUSES = ["valid", "invalid", "exception"];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export type Fault = 500 | 502 | 503 | 504 | "timeout" | "reset" | "lose-reply";
export interface Request { method: string; path: string; headers: Record<string, string | undefined>; body: string }
export type Reply = { kind: "reply"; status: number; body: string } | { kind: "timeout" } | { kind: "reset" };

export interface LogEntry { seq: number; at: number; method: string; path: string; status: number | string; request: string; response: string }
export interface ReceivedMessage { id: string; tradeContractId: string; requestParameterId?: string; contents: string[][]; at: number; duplicate: boolean; bytes: number }
export interface StoredRecord { id: string; body: Json; at: number; duplicate: boolean }

export interface TerminalOptions {
  authorizationKey: string;
  /** GET /service_implementations, wire shape. local_ids may be anything (the terminal assigns defaults). */
  services: Json[];
  data: Json[];
  contracts: Json[];
  calendars?: Json[];
  domainId?: string;
  ownerId?: string;
  terminalId?: string;
  maxRecords?: number;
  maxBytes?: number;
  /** The manual's 422 `data is_invalid` for unknown data_id; for event_type "error" too? (default false: an
   *  error record may describe data the terminal never accepted). */
  errorRecordsNeedKnownData?: boolean;
  /** Time source for recorded_at and contract validity (default Date.now). */
  now?: () => number;
}

export class CiofTerminal {
  readonly options: TerminalOptions;
  services: Json[];
  data: Json[];
  contracts: Json[];
  calendars: Json[];
  readonly log: LogEntry[] = [];
  readonly messages: ReceivedMessage[] = [];
  readonly records: StoredRecord[] = [];
  readonly controllerStatus: Json[] = [];
  /** Latest status per local path ("svc:<id>", "proc:<id>", "event:<id>", "data:<id>", "prop:<id>"). */
  readonly statuses = new Map<string, { status: string; remarks?: string }>();
  /** Trade data waiting for the controller (GET /messages returns and deletes). */
  readonly inbound: Json[] = [];
  /** Pull requests (GET /requests), removed once answered. */
  readonly requests: Json[] = [];
  /** Fault applied to every request while set. */
  down: Fault | null = null;
  #once: { fault: Fault; filter?: (r: Request) => boolean }[] = [];
  #seq = 0;
  #ids = 980000;
  #server: http.Server | undefined;
  #hanging = new Set<http.ServerResponse>();

  constructor(options: TerminalOptions) {
    this.options = { domainId: "81", ownerId: "2", terminalId: "7P271SMX5M", maxRecords: 65536, maxBytes: 10_000_000, errorRecordsNeedKnownData: false, ...options };
    this.services = structuredClone(options.services);
    this.data = structuredClone(options.data);
    this.contracts = structuredClone(options.contracts);
    this.calendars = structuredClone(options.calendars ?? []);
  }

  #now(): number { return (this.options.now ?? Date.now)(); }

  /** Injects `fault` into the next `count` requests matching `filter`. */
  inject(fault: Fault, count = 1, filter?: (r: Request) => boolean): void {
    for (let i = 0; i < count; i++) this.#once.push({ fault, filter });
  }

  /** Distinct message ids received, in first-arrival order. */
  get uniqueMessages(): ReceivedMessage[] { return this.messages.filter((m) => !m.duplicate); }

  // ---------------------------------------------------------------------------------------------

  handle(req: Request): Reply {
    const seq = ++this.#seq;
    const at = this.#now();
    const entry: LogEntry = { seq, at, method: req.method, path: req.path, status: 0, request: req.body.slice(0, 2000), response: "" };
    this.log.push(entry);
    let fault: Fault | null = this.down;
    if (!fault) {
      const i = this.#once.findIndex((f) => !f.filter || f.filter(req));
      if (i >= 0) fault = this.#once.splice(i, 1)[0].fault;
    }
    if (fault === "timeout" || fault === "reset") { entry.status = fault; return { kind: fault }; }
    if (typeof fault === "number") {
      entry.status = fault;
      entry.response = fault === 503 ? "" : `<html><body>${fault}</body></html>`;
      return { kind: "reply", status: fault, body: entry.response };
    }
    const [status, body] = this.#route(req);
    entry.status = fault === "lose-reply" ? "lose-reply(" + status + ")" : status;
    entry.response = body.slice(0, 2000);
    if (fault === "lose-reply") return { kind: "reset" };
    return { kind: "reply", status, body };
  }

  #route(req: Request): [number, string] {
    if (req.headers["authorization"] !== "Bearer token=" + this.options.authorizationKey) return [401, JSON.stringify({ error: "Unauthorized" })];
    const q = req.path.indexOf("?");
    const path = q < 0 ? req.path : req.path.slice(0, q);
    const params = new URLSearchParams(q < 0 ? "" : req.path.slice(q + 1));
    if (!path.startsWith(BASE + "/")) return [404, JSON.stringify({ error: "Not Found" })];
    const name = path.slice(BASE.length);
    let body: Json = undefined;
    if (req.method === "PUT" || req.method === "POST") {
      if (!(req.headers["content-type"] ?? "").startsWith("application/json")) return [400, JSON.stringify({ error: "Content-Type must be application/json" })];
      if (Buffer.byteLength(req.body) > (this.options.maxBytes ?? 10_000_000) + 1024) return [422, JSON.stringify({ error: "message too large" })];
      try { body = JSON.parse(req.body); } catch { return [400, JSON.stringify({ error: "invalid JSON" })]; }
    }
    const key = req.method + " " + name;
    switch (key) {
      case "PUT /controller": return this.#putController(body);
      case "GET /service_implementations": return [200, JSON.stringify(this.services)];
      case "PUT /service_implementations": return this.#putServices(body);
      case "GET /data_implementations": return [200, JSON.stringify(this.data)];
      case "PUT /data_implementations": return this.#putData(body);
      case "GET /trade_contracts": return [200, JSON.stringify(this.contracts)];
      case "GET /calendars": return [200, JSON.stringify(this.calendars)];
      case "GET /messages": return this.#getMessages(params);
      case "POST /messages": return this.#postMessage(body, Buffer.byteLength(req.body));
      case "GET /requests": return [200, JSON.stringify(this.requests)];
      case "POST /service_record": return this.#postRecord(body);
      case "GET /service_record": return this.#getRecords(params);
      default: return [404, JSON.stringify({ error: "Not Found" })];
    }
  }

  #putController(b: Json): [number, string] {
    if (!b || typeof b !== "object" || !["ready", "disconnected", "stopped"].includes(b.status)) return [400, JSON.stringify({ error: "status" })];
    if (b.polling_rate !== undefined && !(typeof b.polling_rate === "number" && b.polling_rate >= 10 && b.polling_rate <= 1000)) return [422, JSON.stringify({ polling_rate: ["is_out_of_range"] })];
    this.controllerStatus.push({ ...b, at: this.#now() });
    return [200, JSON.stringify(b)];
  }

  /** Registers local_ids and statuses, all or nothing. Scopes: service in site, process in service, event in process. */
  #putServices(list: Json): [number, string] {
    if (!Array.isArray(list)) return [400, JSON.stringify({ error: "expected an array" })];
    const next = structuredClone(this.services);
    const updates: [string, Json][] = [];
    const err = (p: string, code: string): [number, string] => [422, JSON.stringify({ errors: [{ parameter: p, code }] })];
    for (const s of list) {
      const svc = resolve(next, s);
      if (!svc) return err("service_implementation", "is_invalid");
      if (!SERVICE_STATUSES.includes(s.status)) return err("status", "is_invalid");
      if (typeof s.local_id !== "string" || s.local_id === "") return err("local_id", "is_required");
      if (next.some((x: Json) => x !== svc && x.local_id === s.local_id)) return err("local_id", "is_duplicated");
      svc.local_id = s.local_id;
      updates.push(["svc:" + svc.id, s]);
      for (const p of s.process_implementations ?? []) {
        const proc = resolve(svc.process_implementations, p);
        if (!proc) return err("process_implementation", "is_invalid");
        if (!SERVICE_STATUSES.includes(p.status)) return err("status", "is_invalid");
        if (svc.process_implementations.some((x: Json) => x !== proc && x.local_id === p.local_id)) return err("local_id", "is_duplicated");
        proc.local_id = p.local_id;
        updates.push(["proc:" + proc.id, p]);
        for (const e of p.event_implementations ?? []) {
          const ev = resolve(proc.event_implementations, e);
          if (!ev) return err("event_implementation", "is_invalid");
          if (!SERVICE_STATUSES.includes(e.status)) return err("status", "is_invalid");
          if (proc.event_implementations.some((x: Json) => x !== ev && x.local_id === e.local_id)) return err("local_id", "is_duplicated");
          ev.local_id = e.local_id;
          updates.push(["event:" + ev.id, e]);
        }
      }
    }
    this.services = next;
    for (const [k, v] of updates) this.statuses.set(k, { status: v.status, remarks: v.remarks });
    return [200, ""];
  }

  #putData(list: Json): [number, string] {
    if (!Array.isArray(list)) return [400, JSON.stringify({ error: "expected an array" })];
    const next = structuredClone(this.data);
    const updates: [string, Json][] = [];
    const err = (p: string, code: string): [number, string] => [422, JSON.stringify({ errors: [{ parameter: p, code }] })];
    for (const d of list) {
      const di = resolve(next, d);
      if (!di) return err("data_implementation", "is_invalid");
      if (!DATA_STATUSES.includes(d.status)) return err("status", "is_invalid");
      if (next.some((x: Json) => x !== di && x.local_id === d.local_id)) return err("local_id", "is_duplicated");
      di.local_id = d.local_id;
      updates.push(["data:" + di.id, d]);
      for (const p of d.data_property_implementations ?? []) {
        if (typeof p.index !== "number") return err("index", "is_required");
        const prop = resolve(di.data_property_implementations, p);
        if (!prop || prop.index !== p.index) return err("data_property_implementation", "is_invalid");
        if (!DATA_STATUSES.includes(p.status)) return err("status", "is_invalid");
        if (di.data_property_implementations.some((x: Json) => x !== prop && x.local_id === p.local_id)) return err("local_id", "is_duplicated");
        prop.local_id = p.local_id;
        updates.push(["prop:" + prop.id, p]);
      }
    }
    this.data = next;
    for (const [k, v] of updates) this.statuses.set(k, { status: v.status, remarks: v.remarks });
    return [200, ""];
  }

  #inForce(c: Json): boolean {
    const now = this.#now();
    const s = c.start_datetime ? Date.parse(c.start_datetime) : NaN;
    const e = c.end_datetime ? Date.parse(c.end_datetime) : NaN;
    return !Number.isNaN(s) && s <= now && (Number.isNaN(e) || now < e);
  }

  #postMessage(b: Json, bytes: number): [number, string] {
    if (!b || typeof b !== "object" || typeof b.trade_contract_id !== "string") return [400, JSON.stringify({ error: "trade_contract_id is required" })];
    const c = this.contracts.find((x) => x.id === b.trade_contract_id);
    if (!c) return [422, JSON.stringify({ trade_contract_id: ["is_invalid"] })];
    if (c.contract_type !== "produce" || !this.#inForce(c)) return [422, JSON.stringify({ trade_contract_id: ["is_not_in_force"] })];
    const contents = b.contents ?? [];
    if (!Array.isArray(contents)) return [400, JSON.stringify({ contents: ["is_invalid"] })];
    if (contents.length > (this.options.maxRecords ?? 65536) || bytes > (this.options.maxBytes ?? 10_000_000)) return [422, JSON.stringify({ contents: ["is_too_large"] })];
    const data = this.data.find((d) => d.id === c.data_implementation_id);
    const props = [...(data?.data_property_implementations ?? [])].sort((x: Json, y: Json) => x.index - y.index);
    for (let r = 0; r < contents.length; r++) {
      const row = contents[r];
      if (!Array.isArray(row) || row.length !== props.length) return [400, JSON.stringify({ contents: ["row " + r + ": " + (Array.isArray(row) ? row.length : "?") + " columns, contract has " + props.length] })];
      for (let i = 0; i < row.length; i++) {
        const problem = checkCell(row[i], props[i]);
        if (problem) return [400, JSON.stringify({ contents: ["row " + r + " column " + (i + 1) + " (" + props[i].name + "): " + problem] })];
      }
    }
    if (b.request_parameter_id !== undefined) {
      const i = this.requests.findIndex((x) => x.request_type === "create" && x.request_parameter_id === b.request_parameter_id);
      if (i < 0 && !this.messages.some((m) => m.requestParameterId === b.request_parameter_id)) return [422, JSON.stringify({ request_parameter_id: ["is_invalid"] })];
      if (i >= 0) this.requests.splice(i, 1);
    }
    const id = typeof b.id === "string" && b.id !== "" ? b.id : String(++this.#ids);
    const duplicate = this.messages.some((m) => m.id === id);
    this.messages.push({ id, tradeContractId: c.id, requestParameterId: b.request_parameter_id, contents, at: this.#now(), duplicate, bytes });
    return [200, JSON.stringify({ id })];
  }

  /** The manual's 422 table for POST /service_record. */
  #postRecord(b: Json): [number, string] {
    if (!b || typeof b !== "object") return [400, JSON.stringify({ error: "expected an object" })];
    const errors: { parameter: string; code: string }[] = [];
    const e = (parameter: string, code: string) => errors.push({ parameter, code });
    if (typeof b.data_id !== "string" || b.data_id === "" || !RECORD_TYPES.includes(b.event_type) || typeof b.timestamp !== "string" || !ISO.test(b.timestamp)) {
      return [400, JSON.stringify({ error: "data_id, event_type and timestamp are required" })];
    }
    const known = this.messages.some((m) => m.id === b.data_id) || this.#delivered.has(b.data_id);
    if (!known && (b.event_type !== "error" || this.options.errorRecordsNeedKnownData)) e("data", "is_invalid");
    const use = b.event_type === "use";
    if (use && b.event_implementation_id === undefined && b.event_implementation_local_id === undefined) e("event_implementation_id", "is_required");
    if (use && b.process_implementation_id === undefined && b.event_implementation_local_id !== undefined && b.process_implementation_local_id === undefined) e("process_implementation_local_id", "is_required");
    if (use && b.service_implementation_id === undefined && b.process_implementation_local_id !== undefined && b.event_implementation_local_id !== undefined && b.service_implementation_local_id === undefined) e("service_implementation_local_id", "is_required");
    let svc: Json, proc: Json;
    if (b.service_implementation_id !== undefined || b.service_implementation_local_id !== undefined) {
      svc = this.services.find((s) => (b.service_implementation_id === undefined || s.id === b.service_implementation_id) && (b.service_implementation_local_id === undefined || s.local_id === b.service_implementation_local_id));
      if (!svc) e("service_implementation", "is_invalid");
    }
    if (b.process_implementation_id !== undefined || b.process_implementation_local_id !== undefined) {
      const pool = svc ? svc.process_implementations : this.services.flatMap((s) => s.process_implementations);
      proc = pool.find((p: Json) => (b.process_implementation_id === undefined || p.id === b.process_implementation_id) && (b.process_implementation_local_id === undefined || p.local_id === b.process_implementation_local_id));
      if (!proc) e("process_implementation", "is_invalid");
    }
    if (use || b.event_implementation_id !== undefined || b.event_implementation_local_id !== undefined) {
      const pool = proc ? proc.event_implementations : this.services.flatMap((s) => s.process_implementations.flatMap((p: Json) => p.event_implementations));
      const ev = pool.find((x: Json) => (b.event_implementation_id === undefined || x.id === b.event_implementation_id) && (b.event_implementation_local_id === undefined || x.local_id === b.event_implementation_local_id));
      if (!ev && (b.event_implementation_id !== undefined || b.event_implementation_local_id !== undefined)) e("event_implementation", "is_invalid");
    }
    if (b.event_type === "error" && (typeof b.result !== "string" || b.result === "")) e("result", "is_invalid");
    if (b.event_type === "error" && (typeof b.note !== "string" || b.note === "")) e("note", "is_invalid");
    if (errors.length) return [422, JSON.stringify({ errors })];
    if (b.event_type === "delete") {
      const i = this.requests.findIndex((x) => x.request_type === "delete" && x.data_id === b.data_id);
      if (i >= 0) this.requests.splice(i, 1);
    }
    const duplicate = this.records.some((r) => r.body.data_id === b.data_id && r.body.event_type === b.event_type && r.body.timestamp === b.timestamp);
    const id = String(++this.#ids);
    this.records.push({ id, body: b, at: this.#now(), duplicate });
    return [200, JSON.stringify({ id, domain_id: this.options.domainId, owner_id: this.options.ownerId, ...b })];
  }

  /** ids of trade data delivered to the controller (GET /messages): records may refer to them. */
  #delivered = new Set<string>();

  #getRecords(p: URLSearchParams): [number, string] {
    let rows = this.records.slice();
    const dataId = p.get("data_id"), type = p.get("event_type"), sid = p.get("service_implementation_id"), slid = p.get("service_implementation_local_id");
    if (dataId !== null) rows = rows.filter((r) => r.body.data_id === dataId);
    if (type !== null) rows = rows.filter((r) => r.body.event_type === type);
    if (sid !== null) rows = rows.filter((r) => r.body.service_implementation_id === sid);
    if (slid !== null) rows = rows.filter((r) => r.body.service_implementation_local_id === slid);
    const start = p.get("start_datetime"), end = p.get("end_datetime");
    if (start !== null) rows = rows.filter((r) => r.at >= Date.parse(start));
    if (end !== null) rows = rows.filter((r) => r.at < Date.parse(end));
    const tail = Number(p.get("tail") ?? "100");
    rows = rows.slice(-Math.max(1, Number.isFinite(tail) ? tail : 100));
    return [200, JSON.stringify(rows.map((r) => ({
      id: r.id, event_type: r.body.event_type, recorded_at: new Date(r.at).toISOString(),
      service_implementation_id: r.body.service_implementation_id ?? "", service_implementation_local_id: r.body.service_implementation_local_id ?? "",
      owner_id: this.options.ownerId, terminal_id: this.options.terminalId, result: r.body.result, note: r.body.note,
    })))];
  }

  #getMessages(p: URLSearchParams): [number, string] {
    const contract = p.getAll("trade_contract_id");
    const out: Json[] = [];
    for (let i = 0; i < this.inbound.length;) {
      const m = this.inbound[i];
      if (contract.length === 0 || contract.includes(m.trade_contract_id)) { out.push(m); this.inbound.splice(i, 1); this.#delivered.add(m.id); }
      else i++;
    }
    return [200, JSON.stringify(out)];
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP on loopback

  async listen(port = 0): Promise<{ port: number; url: string }> {
    if (this.#server) { const a = this.#server.address() as AddressInfo; return { port: a.port, url: `http://127.0.0.1:${a.port}` }; }
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const headers: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(",") : v;
        const reply = this.handle({ method: req.method ?? "GET", path: req.url ?? "/", headers, body: Buffer.concat(chunks).toString("utf8") });
        if (reply.kind === "reset") { req.socket.destroy(); return; }
        if (reply.kind === "timeout") { this.#hanging.add(res); res.on("close", () => this.#hanging.delete(res)); return; }
        const body = Buffer.from(reply.body, "utf8");
        res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8", "content-length": String(body.length) });
        res.end(body);
      });
    });
    this.#server = server;
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    const a = server.address() as AddressInfo;
    return { port: a.port, url: `http://127.0.0.1:${a.port}` };
  }

  async close(): Promise<void> {
    const s = this.#server;
    this.#server = undefined;
    if (!s) return;
    for (const r of this.#hanging) r.socket?.destroy();
    s.closeAllConnections?.();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

function resolve(list: Json[], item: Json): Json | undefined {
  if (!Array.isArray(list) || !item || typeof item !== "object") return undefined;
  if (item.id !== undefined) return list.find((x) => x.id === item.id);
  return list.find((x) => x.local_id === item.local_id);
}

function checkCell(cell: Json, prop: Json): string | undefined {
  if (typeof cell !== "string") return "cells must be strings";
  if (cell === "") return prop.is_required && (prop.default_value === null || prop.default_value === undefined) ? "required" : undefined;
  const t = String(prop.data_type).toLowerCase();
  if (!DATA_TYPES.includes(t)) return undefined;
  switch (t) {
    case "float": return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(cell) ? undefined : "not a float";
    case "integer": return /^-?\d+$/.test(cell) ? undefined : "not an integer";
    case "boolean": return cell === "true" || cell === "false" ? undefined : "not a boolean";
    case "datetime": return ISO.test(cell) && !Number.isNaN(Date.parse(cell)) ? undefined : "not an ISO-8601 datetime";
    case "json": try { JSON.parse(cell); return undefined; } catch { return "not JSON"; }
    default: return undefined;
  }
}
