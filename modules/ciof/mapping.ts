// What the device trades and how: checks the device's own configuration (scoped local_id uniqueness,
// known source fields), matches it against the structure registered on the terminal, formats cells
// per data_type in the registered index order, and picks the contracts in force for each trade.
// Wire names are in wire.ts; persistence and sending in outbox.ts.

import type {
  DataConfig, DataImplementation, DeviceConfig, EventConfig, ProcessConfig, PropertyConfig, DrRecord, EnergySlot, RecordEventType, ServiceConfig,
  ServiceImplementation, TradeConfig, TradeContract,
} from "./types";
import { DATA_TYPES, RECORD_EVENT_TYPES } from "./types";
import { formatDateTime, parseDateTime, MINUTE } from "./time";

export const SLOT_MS = 30 * MINUTE;

/** Fields an energy-slot column can be filled from. */
export const ENERGY_FIELDS = Object.freeze(["start", "end", "offsetMinutes", "wh", "kwh", "avgKw", "peakKw", "estimated", "valid"]);
/** Fields a DR-record column can be filled from. `actions` is a JSON array of {relay, action, at}. */
export const DR_FIELDS = Object.freeze(["eventId", "modificationNumber", "signalName", "signalValue", "opt", "start", "end", "actions", "actionCount", "firstShed", "lastRestore", "kwBefore", "kwDuring", "kwReduction"]);

// ---------------------------------------------------------------------------------------------
// Device configuration

const LOCAL_ID_MAX = 64;

function checkLocalId(id: unknown, where: string, problems: string[]): void {
  if (typeof id !== "string" || id === "" || id.length > LOCAL_ID_MAX) problems.push(where + ": localId must be a non-empty string of at most " + LOCAL_ID_MAX + " characters");
}
function unique(ids: readonly string[], scope: string, problems: string[]): void {
  const seen: Record<string, true> = {};
  for (const id of ids) {
    if (seen[id]) problems.push("local_id \"" + id + "\" is used twice in " + scope);
    seen[id] = true;
  }
}

/** Problems with the configuration itself (empty = usable). Scopes as in the manual's uniqueness table. */
export function checkDeviceConfig(config: DeviceConfig): string[] {
  const problems: string[] = [];
  if (!config || !Array.isArray(config.services) || !Array.isArray(config.data) || !Array.isArray(config.trades)) return ["config: services, data and trades must be arrays"];
  unique(config.services.map((s) => s.localId), "the controller's service implementations", problems);
  for (const s of config.services) {
    checkLocalId(s.localId, "service", problems);
    if (!Array.isArray(s.processes)) { problems.push("service " + s.localId + ": processes must be an array"); continue; }
    const processes: readonly ProcessConfig[] = s.processes;
    unique(processes.map((p) => p.localId), "service " + s.localId, problems);
    for (const p of processes) {
      checkLocalId(p.localId, "service " + s.localId + " process", problems);
      if (!Array.isArray(p.events)) { problems.push("process " + p.localId + ": events must be an array"); continue; }
      const events: readonly EventConfig[] = p.events;
      unique(events.map((e) => e.localId), "process " + p.localId, problems);
      for (const e of events) checkLocalId(e.localId, "process " + p.localId + " event", problems);
    }
  }
  unique(config.data.map((d) => d.localId), "the controller's data implementations", problems);
  for (const d of config.data) {
    checkLocalId(d.localId, "data", problems);
    if (!Array.isArray(d.properties) || d.properties.length === 0) { problems.push("data " + d.localId + ": properties must be a non-empty array"); continue; }
    const props: readonly PropertyConfig[] = d.properties;
    unique(props.map((p) => p.localId), "data " + d.localId, problems);
    for (const p of props) {
      checkLocalId(p.localId, "data " + d.localId + " property", problems);
      if (DATA_TYPES.indexOf(p.dataType) < 0) problems.push("data " + d.localId + " property " + p.localId + ": unknown dataType " + p.dataType);
    }
  }
  for (const t of config.trades) {
    const d = config.data.find((x) => x.localId === t.data);
    if (!d) { problems.push("trade " + t.source + ": no data configuration with localId " + t.data); continue; }
    const fields = t.source === "energy" ? ENERGY_FIELDS : t.source === "dr" ? DR_FIELDS : undefined;
    if (!fields) { problems.push("trade: unknown source " + t.source); continue; }
    for (const p of d.properties) if (fields.indexOf(p.field) < 0) problems.push("data " + d.localId + " property " + p.localId + ": field " + p.field + " is not a field of " + t.source + " records");
    if (t.record !== undefined && t.record !== false && RECORD_EVENT_TYPES.indexOf(t.record) < 0) problems.push("trade " + t.data + ": unknown record event type " + t.record);
    if (t.maxRowsPerMessage !== undefined && !(t.maxRowsPerMessage >= 1 && t.maxRowsPerMessage <= 1000)) problems.push("trade " + t.data + ": maxRowsPerMessage must be 1..1000");
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Structure check: configuration vs what the terminal has registered

export interface ResolvedEvent { readonly id: string; readonly localId: string }
export interface ResolvedProcess { readonly id: string; readonly localId: string; readonly events: readonly ResolvedEvent[] }
export interface ResolvedService { readonly id: string; readonly localId: string; readonly config: ServiceConfig; readonly processes: readonly ResolvedProcess[] }
export interface ResolvedProperty {
  readonly id: string; readonly index: number; readonly localId: string; readonly dataType: string;
  readonly isRequired: boolean; readonly defaultValue?: string;
  /** Source field; undefined for a registered optional property the device does not fill. */
  readonly field?: string;
}
export interface ResolvedData { readonly id: string; readonly localId: string; readonly config: DataConfig; readonly properties: readonly ResolvedProperty[] }
export interface Structure {
  readonly services: readonly ResolvedService[];
  readonly data: readonly ResolvedData[];
  /** Mismatches: the device must not trade while any exist. */
  readonly problems: readonly string[];
  /** Registered elements the device does not know (reported, not fatal). */
  readonly notes: readonly string[];
}

interface Matchable { readonly id: string; readonly localId: string; readonly name?: string }
function match<T extends Matchable>(c: { id?: string; localId: string; name?: string }, list: readonly T[], taken: Set<T>): T | undefined {
  let found: T | undefined;
  if (c.id !== undefined) found = list.find((x) => x.id === c.id);
  else found = list.find((x) => x.localId === c.localId && !taken.has(x)) ?? (c.name !== undefined ? list.find((x) => x.name === c.name && !taken.has(x)) : undefined);
  if (found && taken.has(found)) return undefined;
  if (found) taken.add(found);
  return found;
}
function label(c: { id?: string; localId: string; name?: string }): string {
  return "\"" + c.localId + "\"" + (c.id !== undefined ? " (id " + c.id + ")" : c.name !== undefined ? " (name " + c.name + ")" : "");
}

export function checkStructure(config: DeviceConfig, services: readonly ServiceImplementation[], data: readonly DataImplementation[]): Structure {
  const problems: string[] = [];
  const notes: string[] = [];
  const takenS = new Set<ServiceImplementation>();
  const rs: ResolvedService[] = [];
  for (const sc of config.services) {
    const s = match(sc, services, takenS);
    if (!s) { problems.push("service implementation " + label(sc) + " is not registered on the terminal"); continue; }
    const takenP = new Set<(typeof s.processes)[number]>();
    const rp: ResolvedProcess[] = [];
    for (const pc of sc.processes) {
      const p = match(pc, s.processes, takenP);
      if (!p) { problems.push("process implementation " + label(pc) + " of service " + label(sc) + " is not registered"); continue; }
      const takenE = new Set<(typeof p.events)[number]>();
      const re: ResolvedEvent[] = [];
      for (const ec of pc.events) {
        const e = match(ec, p.events, takenE);
        if (!e) { problems.push("event implementation " + label(ec) + " of process " + label(pc) + " is not registered"); continue; }
        re.push({ id: e.id, localId: ec.localId });
      }
      for (const e of p.events) if (!takenE.has(e)) notes.push("registered event " + e.id + " (" + e.name + ") of process " + p.id + " is not configured on the device");
      rp.push({ id: p.id, localId: pc.localId, events: re });
    }
    for (const p of s.processes) if (!takenP.has(p)) notes.push("registered process " + p.id + " of service " + s.id + " is not configured on the device");
    rs.push({ id: s.id, localId: sc.localId, config: sc, processes: rp });
  }
  for (const s of services) if (!takenS.has(s)) notes.push("registered service " + s.id + " (" + (s.name ?? "") + ") is not configured on the device");

  const takenD = new Set<DataImplementation>();
  const rd: ResolvedData[] = [];
  for (const dc of config.data) {
    const d = match(dc, data, takenD);
    if (!d) { problems.push("data implementation " + label(dc) + " is not registered on the terminal"); continue; }
    const takenP = new Set<(typeof d.properties)[number]>();
    const byReg = new Map<(typeof d.properties)[number], (typeof dc.properties)[number]>();
    for (const pc of dc.properties) {
      const p = match(pc, d.properties, takenP);
      if (!p) { problems.push("data property " + label(pc) + " of data implementation " + label(dc) + " is not registered"); continue; }
      if (p.dataType.toLowerCase() !== pc.dataType.toLowerCase()) problems.push("data property " + label(pc) + " of " + label(dc) + ": registered data_type " + p.dataType + ", device has " + pc.dataType);
      byReg.set(p, pc);
    }
    const props: ResolvedProperty[] = [];
    for (const p of d.properties) {
      const pc = byReg.get(p);
      if (!pc && p.isRequired && p.defaultValue === undefined) problems.push("registered property " + p.id + " (index " + p.index + ", " + p.name + ") of data " + d.id + " is required but the device does not fill it");
      else if (!pc) notes.push("registered property " + p.id + " of data " + d.id + " is not filled by the device (sent as its default)");
      // held for as long as the structure: the device's own strings where they are the same, and no
      // property for an absent default or field (each property is a slot)
      const rp: { -readonly [K in keyof ResolvedProperty]: ResolvedProperty[K] } = { id: p.id, index: p.index, localId: pc ? pc.localId : p.localId, dataType: pc && pc.dataType === p.dataType ? pc.dataType : p.dataType, isRequired: p.isRequired };
      if (p.defaultValue !== undefined) rp.defaultValue = p.defaultValue;
      if (pc) rp.field = pc.field;
      props.push(rp);
    }
    rd.push({ id: d.id, localId: dc.localId, config: dc, properties: props });
  }
  return { services: rs, data: rd, problems, notes };
}

// ---------------------------------------------------------------------------------------------
// Cells and rows

function round(v: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
}
function formatFloat(v: number): string {
  const r = round(v, 6);
  return String(Object.is(r, -0) ? 0 : r);
}

/** One cell as a string per data_type, or undefined when the value does not fit the type. */
export function formatCell(value: unknown, dataType: string, offsetMinutes: number): string | undefined {
  switch (dataType.toLowerCase()) {
    case "string":
      if (typeof value === "string") return value;
      if (typeof value === "number" || typeof value === "boolean") return String(value);
      if (typeof value === "object" && value !== null) return JSON.stringify(value);
      return undefined;
    case "float":
      return typeof value === "number" && Number.isFinite(value) ? formatFloat(value) : undefined;
    case "integer":
      return typeof value === "number" && Number.isFinite(value) ? String(Math.round(value)) : typeof value === "boolean" ? (value ? "1" : "0") : undefined;
    case "boolean":
      return typeof value === "boolean" ? (value ? "true" : "false") : undefined;
    case "datetime":
      if (typeof value === "number" && Number.isFinite(value)) return formatDateTime(value, offsetMinutes);
      if (typeof value === "string" && parseDateTime(value) !== undefined) return value;
      return undefined;
    case "json":
      return value === undefined ? undefined : JSON.stringify(value);
    case "binary":
      return typeof value === "string" ? value : undefined;
    default:
      return undefined;
  }
}

export type FieldReader = (field: string) => unknown;

export function energyField(slot: EnergySlot): FieldReader {
  return (f) => {
    switch (f) {
      case "end": return slot.start + SLOT_MS;
      case "kwh": return slot.wh / 1000;
      default: return (slot as unknown as Record<string, unknown>)[f];
    }
  };
}

export function drField(r: DrRecord, offsetMinutes: number): FieldReader {
  return (f) => {
    switch (f) {
      case "actions": return r.actions.map((a) => ({ relay: a.relay, action: a.action, at: formatDateTime(a.at, offsetMinutes) }));
      case "actionCount": return r.actions.length;
      case "firstShed": { const a = r.actions.find((x) => x.action === "shed"); return a ? a.at : undefined; }
      case "lastRestore": { for (let i = r.actions.length - 1; i >= 0; i--) if (r.actions[i].action === "restore") return r.actions[i].at; return undefined; }
      case "kwReduction": return r.kwBefore - r.kwDuring;
      default: return (r as unknown as Record<string, unknown>)[f];
    }
  };
}

/** The row in registered index order, or a problem string. */
export function buildRow(data: ResolvedData, read: FieldReader, offsetMinutes: number): string[] | string {
  const row: string[] = [];
  for (const p of data.properties) {
    const v = p.field === undefined ? undefined : read(p.field);
    let cell = v === undefined || v === null ? undefined : formatCell(v, p.dataType, offsetMinutes);
    if (cell === undefined && v !== undefined && v !== null) return "property " + p.localId + " (" + p.dataType + "): value " + String(v).slice(0, 40) + " does not fit";
    if (cell === undefined) {
      if (p.defaultValue !== undefined) cell = p.defaultValue;
      else if (p.isRequired) return "property " + p.localId + " is required and has no value";
      else cell = "";
    }
    row.push(cell);
  }
  return row;
}

// ---------------------------------------------------------------------------------------------
// Contracts

export function inForce(c: TradeContract, now: number): boolean {
  return c.start !== undefined && c.start <= now && (c.end === undefined || now < c.end);
}

/** Produce contracts in force for a data implementation (optionally of one send_type). */
export function produceContracts(contracts: readonly TradeContract[], data: ResolvedData, now: number, sendType?: string): TradeContract[] {
  return contracts.filter((c) => c.contractType === "produce" && inForce(c, now) && (sendType === undefined || c.sendType === sendType) &&
    (c.dataImplementationId === data.id || (c.dataImplementationId === "" && c.dataImplementationLocalId === data.localId)));
}

/** Contract parameter naming the service record a contract needs (assumption, see README). */
export const RECORD_PARAMETER = "service_record";

/** The event_type of the record that follows each message under this contract, or undefined for none. */
export function recordTypeFor(c: TradeContract, trade: TradeConfig): RecordEventType | undefined {
  const p = c.parameters.find((x) => x.title === RECORD_PARAMETER);
  if (p) {
    const v = p.content.trim();
    if (v === "" || v === "none") return undefined;
    if (RECORD_EVENT_TYPES.indexOf(v as RecordEventType) >= 0) return v as RecordEventType;
  }
  return trade.record === false ? undefined : trade.record ?? "read";
}

// ---------------------------------------------------------------------------------------------
// Pull requests: the `condition` grammar the device understands (assumption, see README)

export interface Selection { readonly latest?: number; readonly from?: number; readonly to?: number }

const CONDITION_SEPARATORS = /[&;,]/;

/** `latest=N`, `from=<datetime>`, `to=<datetime>` joined by `&`, `;` or `,`; empty = latest=1. */
export function parseCondition(condition: string | undefined, offsetMinutes: number): Selection | string {
  if (condition === undefined || condition.trim() === "") return { latest: 1 };
  if (condition.length > 200) return "condition longer than 200 characters";
  let latest: number | undefined, from: number | undefined, to: number | undefined;
  for (const part of condition.split(CONDITION_SEPARATORS)) {
    const t = part.trim();
    if (t === "") continue;
    const eq = t.indexOf("=");
    if (eq < 0) return "condition term without '=': " + t.slice(0, 40);
    const k = t.slice(0, eq).trim(), v = t.slice(eq + 1).trim();
    if (k === "latest") {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 1000) return "latest must be 1..1000";
      latest = n;
    } else if (k === "from" || k === "to") {
      const ms = parseDateTime(v, offsetMinutes);
      if (ms === undefined) return k + " is not a datetime";
      if (k === "from") from = ms; else to = ms;
    } else return "unknown condition term " + k.slice(0, 20);
  }
  if (latest === undefined && from === undefined && to === undefined) return { latest: 1 };
  return { latest, from, to };
}
