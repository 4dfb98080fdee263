// The CIOF controller API's JSON shapes (reference manual Ver2.2, controller ↔ terminal, /hct/api/v2/):
// every snake_case name the client sends or reads lives here and nowhere else. Decoders validate the
// shape they need and ignore unknown fields; encoders build plain objects for JSON.stringify.
// Shapes beyond what the manual states are assumptions, listed in README.md ("Wire assumptions").

import type {
  CalendarDefinition, ContractParameter, DataImplementation, DataPropertyImplementation, EventImplementation,
  ImplementationStatus, DataStatus, ControllerState, ProcessImplementation, ProcessOperation, ReceivedCell,
  ReceivedMessage, ServiceImplementation, ServiceRecord, TradeContract, TradeRequest,
} from "./types";
import { formatDateTime, parseDateTime } from "./time";

export const API_BASE = "/hct/api/v2";
export const PATHS = Object.freeze({
  controller: "/controller",
  serviceImplementations: "/service_implementations",
  dataImplementations: "/data_implementations",
  tradeContracts: "/trade_contracts",
  calendars: "/calendars",
  messages: "/messages",
  requests: "/requests",
  serviceRecord: "/service_record",
});
export const POLLING_RATE_MIN = 10;
export const POLLING_RATE_MAX = 1000;
/** POST /messages limits (422 beyond). */
export const MESSAGE_MAX_RECORDS = 65536;
export const MESSAGE_MAX_BYTES = 10_000_000;

/** A terminal response that does not have the shape the client needs. */
export class CiofWireError extends Error {
  // A field, not an assignment: on the device Error.prototype is frozen after preload,
  // so `this.name = …` throws "set name: not writable".
  override readonly name = "CiofWireError";
  readonly where: string;
  constructor(where: string, message: string) {
    super(where + ": " + message);
    this.where = where;
  }
}

type Obj = Record<string, unknown>;
function isObj(v: unknown): v is Obj { return typeof v === "object" && v !== null && !Array.isArray(v); }
function obj(v: unknown, where: string): Obj {
  if (!isObj(v)) throw new CiofWireError(where, "expected an object");
  return v;
}
function arr(v: unknown, where: string, max = 10_000): unknown[] {
  if (!Array.isArray(v)) throw new CiofWireError(where, "expected an array");
  if (v.length > max) throw new CiofWireError(where, "more than " + max + " items");
  return v;
}
/** Ids arrive as strings; a number is accepted and turned into its decimal string. */
function str(o: Obj, key: string, where: string): string {
  const v = o[key];
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  throw new CiofWireError(where + "." + key, "expected a string");
}
function optStr(o: Obj, key: string): string | undefined {
  const v = o[key];
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}
function strList(v: unknown, where: string): string[] {
  if (v === null || v === undefined) return [];
  return arr(v, where).map((x, i) => {
    if (typeof x === "string") return x;
    if (typeof x === "number") return String(x);
    throw new CiofWireError(where + "[" + i + "]", "expected a string");
  });
}
function optNum(o: Obj, key: string): number | undefined {
  const v = o[key];
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Decoders

export function decodeServiceImplementations(json: unknown): ServiceImplementation[] {
  return arr(json, "service_implementations", 256).map((s, i) => {
    const w = "service_implementations[" + i + "]";
    const o = obj(s, w);
    return {
      id: str(o, "id", w), localId: str(o, "local_id", w), name: optStr(o, "name"),
      deviceIds: strList(o.device_id, w + ".device_id"),
      processes: arr(o.process_implementations ?? [], w + ".process_implementations", 256).map((p, j): ProcessImplementation => {
        const pw = w + ".process_implementations[" + j + "]";
        const po = obj(p, pw);
        return {
          id: str(po, "id", pw), localId: str(po, "local_id", pw), name: optStr(po, "name"),
          operations: arr(po.process_operation_implementations ?? [], pw + ".process_operation_implementations", 256).map((q, k): ProcessOperation => {
            const qw = pw + ".process_operation_implementations[" + k + "]";
            const qo = obj(q, qw);
            return { id: str(qo, "id", qw), index: optNum(qo, "index") ?? k + 1, dataImplementationId: str(qo, "data_implementation_id", qw), operationType: str(qo, "operation_type", qw) };
          }),
          events: arr(po.event_implementations ?? [], pw + ".event_implementations", 256).map((e, k): EventImplementation => {
            const ew = pw + ".event_implementations[" + k + "]";
            const eo = obj(e, ew);
            return { id: str(eo, "id", ew), localId: str(eo, "local_id", ew), name: optStr(eo, "name") ?? "", eventType: optStr(eo, "event_type") };
          }),
        };
      }),
    };
  });
}

export function decodeDataImplementations(json: unknown): DataImplementation[] {
  return arr(json, "data_implementations", 256).map((d, i) => {
    const w = "data_implementations[" + i + "]";
    const o = obj(d, w);
    const props = arr(o.data_property_implementations ?? [], w + ".data_property_implementations", 1024).map((p, j): DataPropertyImplementation => {
      const pw = w + ".data_property_implementations[" + j + "]";
      const po = obj(p, pw);
      const def = po.default_value;
      return {
        id: str(po, "id", pw), index: optNum(po, "index") ?? j + 1, localId: str(po, "local_id", pw), name: optStr(po, "name") ?? "",
        dataType: str(po, "data_type", pw), isPrimaryKey: po.is_primary_key === true, isRequired: po.is_required === true,
        defaultValue: def === null || def === undefined ? undefined : typeof def === "string" ? def : JSON.stringify(def),
      };
    });
    props.sort((a, b) => a.index - b.index);
    return { id: str(o, "id", w), localId: str(o, "local_id", w), name: optStr(o, "name") ?? "", properties: props };
  });
}

/**
 * Trade contracts, kept as the controller holds them for hours (every property is a slot, every string
 * a chunk on the device): the whole contract is validated as before, but only what the client uses is
 * kept — the first event implementation (the one a `use` record names), the `service_record`
 * parameter (RECORD_PARAMETER in mapping.ts: the only one it reads), no companion terminal, no
 * property for an absent value, and one string for each value repeated across contracts.
 */
export function decodeTradeContracts(json: unknown, localOffsetMinutes: number): TradeContract[] {
  const pool: string[] = [];
  return arr(json, "trade_contracts", 512).map((c, i) => {
    const w = "trade_contracts[" + i + "]";
    const o = obj(c, w);
    let parameters: readonly ContractParameter[] = NO_PARAMETERS;
    for (const p of arr(o.contract_parameters ?? [], w + ".contract_parameters", 256)) {
      if (parameters === NO_PARAMETERS && isObj(p) && optStr(p, "title") === "service_record") parameters = [{ title: "service_record", content: optStr(p, "content") ?? "" }];
    }
    const start = o.start_datetime === null || o.start_datetime === undefined ? undefined : parseDateTime(o.start_datetime, localOffsetMinutes);
    const end = o.end_datetime === null || o.end_datetime === undefined ? undefined : parseDateTime(o.end_datetime, localOffsetMinutes);
    if (o.start_datetime !== null && o.start_datetime !== undefined && start === undefined) throw new CiofWireError(w + ".start_datetime", "not an ISO-8601 datetime");
    if (o.end_datetime !== null && o.end_datetime !== undefined && end === undefined) throw new CiofWireError(w + ".end_datetime", "not an ISO-8601 datetime");
    const events = strList(o.event_implementations_id, w + ".event_implementations_id");
    const eventLocals = strList(o.event_implementations_local_id, w + ".event_implementations_local_id");
    const t: { -readonly [K in keyof TradeContract]: TradeContract[K] } = {
      id: str(o, "id", w), contractType: known(str(o, "contract_type", w)), sendType: known(str(o, "send_type", w)),
      dataImplementationId: pooled(str(o, "data_implementation_id", w), pool),
      eventImplementationIds: events.length ? [pooled(events[0], pool)] : NO_STRINGS,
      eventImplementationLocalIds: eventLocals.length ? [pooled(eventLocals[0], pool)] : NO_STRINGS,
      parameters,
    };
    const dl = optStr(o, "data_implementation_local_id"); if (dl !== undefined) t.dataImplementationLocalId = pooled(dl, pool);
    const si = optStr(o, "service_implementation_id"); if (si !== undefined) t.serviceImplementationId = pooled(si, pool);
    const sl = optStr(o, "service_implementation_local_id"); if (sl !== undefined) t.serviceImplementationLocalId = pooled(sl, pool);
    const pi = optStr(o, "process_implementation_id"); if (pi !== undefined) t.processImplementationId = pooled(pi, pool);
    const pl = optStr(o, "process_implementation_local_id"); if (pl !== undefined) t.processImplementationLocalId = pooled(pl, pool);
    if (start !== undefined) t.start = start;
    if (end !== undefined) t.end = end;
    return t;
  });
}
const NO_PARAMETERS: readonly ContractParameter[] = Object.freeze([]);
const NO_STRINGS: readonly string[] = Object.freeze([]);
/** The enumerated values as the module's own (constant) strings. */
function known(v: string): string {
  return v === "produce" ? "produce" : v === "consume" ? "consume" : v === "push" ? "push" : v === "pull" ? "pull" : v;
}
/** Up to 32 distinct values shared: ids that repeat across contracts (service, process, data, event) are held once. */
function pooled(v: string, pool: string[]): string {
  for (const x of pool) if (x === v) return x;
  if (pool.length < 32) pool.push(v);
  return v;
}

export function decodeRequests(json: unknown): TradeRequest[] {
  return arr(json, "requests", 1024).map((r, i) => {
    const w = "requests[" + i + "]";
    const o = obj(r, w);
    return {
      tradeContractId: str(o, "trade_contract_id", w), requestType: str(o, "request_type", w), requestParameterId: str(o, "request_parameter_id", w),
      domainId: optStr(o, "domain_id"), dataId: optStr(o, "data_id"), createdAt: optStr(o, "created_at"),
      responseLimit: optStr(o, "response_limit"), condition: optStr(o, "condition"),
    };
  });
}

export function decodeReceivedMessages(json: unknown): ReceivedMessage[] {
  return arr(json, "messages", 4096).map((m, i) => {
    const w = "messages[" + i + "]";
    const o = obj(m, w);
    const contents = arr(o.contents ?? [], w + ".contents", MESSAGE_MAX_RECORDS).map((row, j) => arr(row, w + ".contents[" + j + "]", 1024).map((cell, k): ReceivedCell => {
      if (typeof cell === "string") return cell;
      if (typeof cell === "number" || typeof cell === "boolean") return String(cell);
      if (cell === null) return "";
      if (isObj(cell)) return { type: optStr(cell, "type") ?? "", value: optStr(cell, "value") ?? "" };
      throw new CiofWireError(w + ".contents[" + j + "][" + k + "]", "expected a string or a blob object");
    }));
    return {
      id: str(o, "id", w), domainId: optStr(o, "domain_id"), tradeContractId: str(o, "trade_contract_id", w),
      requestParameterId: optStr(o, "request_parameter_id"), headers: o.headers === undefined || o.headers === null ? undefined : strList(o.headers, w + ".headers"),
      contents,
    };
  });
}

export function decodeCalendars(json: unknown, localOffsetMinutes: number): CalendarDefinition[] {
  return arr(json, "calendars", 256).map((c, i) => {
    const w = "calendars[" + i + "]";
    const o = obj(c, w);
    return {
      id: str(o, "id", w), name: optStr(o, "name"),
      start: parseDateTime(o.start_date, localOffsetMinutes), end: parseDateTime(o.end_date, localOffsetMinutes),
      daysOfWeek: o.days_of_week ? strList(o.days_of_week, w + ".days_of_week") : undefined,
      weeksOfMonth: o.weeks_of_month ? strList(o.weeks_of_month, w + ".weeks_of_month") : undefined,
      interval: optNum(o, "interval") ?? 1, intervalType: optStr(o, "interval_type") ?? "day",
      occurrences: optNum(o, "number_of_occurrences"), timeZone: optStr(o, "recurrence_time_zone"),
    };
  });
}

/** POST /messages answers `{id}`; an absent or odd body yields undefined (the client then uses its own id). */
export function decodePostedMessageId(json: unknown): string | undefined {
  return isObj(json) ? optStr(json, "id") : undefined;
}

/** GET /service_record rows: only what reconciliation needs. */
export interface RecordedServiceRecord { readonly id?: string; readonly eventType: string; readonly dataId?: string; readonly recordedAt?: string; readonly note?: string }
export function decodeServiceRecords(json: unknown): RecordedServiceRecord[] {
  return arr(json, "service_record", 1000).filter(isObj).map((o) => ({
    id: optStr(o, "id"), eventType: optStr(o, "event_type") ?? "", dataId: optStr(o, "data_id"),
    recordedAt: optStr(o, "recorded_at"), note: optStr(o, "note"),
  }));
}

// ---------------------------------------------------------------------------------------------
// Encoders

export function encodeControllerStatus(status: ControllerState, pollingRate?: number): Obj {
  return pollingRate === undefined ? { status } : { status, polling_rate: pollingRate };
}

export interface EventStatus { readonly id?: string; readonly localId: string; readonly status: ImplementationStatus; readonly remarks?: string }
export interface ProcessStatus extends EventStatus { readonly events: readonly EventStatus[] }
export interface ServiceStatus extends EventStatus { readonly processes: readonly ProcessStatus[] }
export interface PropertyStatus { readonly id?: string; readonly index: number; readonly localId: string; readonly status: DataStatus; readonly remarks?: string }
export interface DataImplStatus { readonly id?: string; readonly localId: string; readonly status: DataStatus; readonly remarks?: string; readonly properties: readonly PropertyStatus[] }

function common(s: { id?: string; localId: string; status: string; remarks?: string }): Obj {
  const o: Obj = {};
  if (s.id !== undefined) o.id = s.id;
  o.local_id = s.localId;
  o.status = s.status;
  if (s.remarks !== undefined) o.remarks = s.remarks;
  return o;
}
export function encodeServiceStatuses(list: readonly ServiceStatus[]): Obj[] {
  return list.map((s) => {
    const o = common(s);
    o.process_implementations = s.processes.map((p) => {
      const po = common(p);
      po.event_implementations = p.events.map(common);
      return po;
    });
    return o;
  });
}
export function encodeDataStatuses(list: readonly DataImplStatus[]): Obj[] {
  return list.map((d) => {
    const o = common(d);
    o.data_property_implementations = d.properties.map((p) => {
      const po: Obj = {};
      if (p.id !== undefined) po.id = p.id;
      po.index = p.index;
      po.local_id = p.localId;
      po.status = p.status;
      if (p.remarks !== undefined) po.remarks = p.remarks;
      return po;
    });
    return o;
  });
}

export interface OutgoingMessage { readonly id: string; readonly tradeContractId: string; readonly requestParameterId?: string; readonly rows: readonly (readonly string[])[] }
export function encodeMessage(m: OutgoingMessage): Obj {
  const o: Obj = { id: m.id };
  if (m.requestParameterId !== undefined) o.request_parameter_id = m.requestParameterId;
  o.trade_contract_id = m.tradeContractId;
  o.contents = m.rows;
  return o;
}

export function encodeServiceRecord(r: ServiceRecord, offsetMinutes: number): Obj {
  const o: Obj = {};
  if (r.serviceImplementationId !== undefined) o.service_implementation_id = r.serviceImplementationId;
  if (r.serviceImplementationLocalId !== undefined) o.service_implementation_local_id = r.serviceImplementationLocalId;
  if (r.processImplementationId !== undefined) o.process_implementation_id = r.processImplementationId;
  if (r.processImplementationLocalId !== undefined) o.process_implementation_local_id = r.processImplementationLocalId;
  if (r.eventImplementationId !== undefined) o.event_implementation_id = r.eventImplementationId;
  if (r.eventImplementationLocalId !== undefined) o.event_implementation_local_id = r.eventImplementationLocalId;
  o.data_id = r.dataId;
  o.event_type = r.eventType;
  o.timestamp = formatDateTime(r.timestamp, offsetMinutes);
  if (r.result !== undefined) o.result = r.result;
  if (r.note !== undefined) o.note = r.note;
  return o;
}

/** `?a=1&b=2` from defined values, percent-encoded. */
export function query(params: Record<string, string | undefined>): string {
  let q = "";
  for (const k of Object.keys(params)) {
    const v = params[k];
    if (v === undefined) continue;
    q += (q ? "&" : "?") + encodeURIComponent(k) + "=" + encodeURIComponent(v);
  }
  return q;
}

export function serviceRecordQuery(p: { dataId?: string; eventType?: string; tail?: number; start?: number; end?: number }, offsetMinutes: number): string {
  return PATHS.serviceRecord + query({
    data_id: p.dataId, event_type: p.eventType, tail: p.tail === undefined ? undefined : String(p.tail),
    start_datetime: p.start === undefined ? undefined : formatDateTime(p.start, offsetMinutes),
    end_datetime: p.end === undefined ? undefined : formatDateTime(p.end, offsetMinutes),
  });
}
