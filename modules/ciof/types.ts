// Types of the CIOF controller: the decoded CIOF resources (what wire.ts produces after validating a
// terminal response), the device's own configuration (what main.ts passes in), and the small input
// interfaces metering and the VEN fill. No behaviour here.

// ---------------------------------------------------------------------------------------------
// CIOF enumerations (reference manual §2.7)
export type DataType = "string" | "float" | "integer" | "datetime" | "boolean" | "binary" | "JSON";
export const DATA_TYPES: readonly DataType[] = Object.freeze(["string", "float", "integer", "datetime", "boolean", "binary", "JSON"]);
export type ImplementationStatus = "ready" | "halt" | "failure" | "exception";
export type DataStatus = "valid" | "invalid" | "exception";
export type ControllerState = "ready" | "stopped" | "disconnected";
export type RecordEventType = "read" | "store" | "duplicate" | "revise" | "delete" | "use" | "error";
export const RECORD_EVENT_TYPES: readonly RecordEventType[] = Object.freeze(["read", "store", "duplicate", "revise", "delete", "use", "error"]);

// ---------------------------------------------------------------------------------------------
// Decoded terminal resources (camelCase here; wire.ts owns the snake_case JSON names)
export interface EventImplementation { readonly id: string; readonly localId: string; readonly name: string; readonly eventType?: string }
export interface ProcessOperation { readonly id: string; readonly index: number; readonly dataImplementationId: string; readonly operationType: string }
export interface ProcessImplementation {
  readonly id: string; readonly localId: string; readonly name?: string;
  readonly operations: readonly ProcessOperation[];
  readonly events: readonly EventImplementation[];
}
export interface ServiceImplementation {
  readonly id: string; readonly localId: string; readonly name?: string;
  readonly deviceIds: readonly string[];
  readonly processes: readonly ProcessImplementation[];
}
export interface DataPropertyImplementation {
  readonly id: string; readonly index: number; readonly localId: string; readonly name: string;
  readonly dataType: string; readonly isPrimaryKey: boolean; readonly isRequired: boolean; readonly defaultValue?: string;
}
export interface DataImplementation {
  readonly id: string; readonly localId: string; readonly name: string;
  /** Sorted by `index`. */
  readonly properties: readonly DataPropertyImplementation[];
}
export interface ContractParameter { readonly title: string; readonly content: string }
export interface TradeContract {
  readonly id: string;
  readonly contractType: string;           // "produce" | "consume"
  readonly sendType: string;               // "push" | "pull"
  readonly companionTerminalId?: string;
  readonly dataImplementationId: string;
  readonly dataImplementationLocalId?: string;
  readonly serviceImplementationId?: string;
  readonly serviceImplementationLocalId?: string;
  readonly processImplementationId?: string;
  readonly processImplementationLocalId?: string;
  readonly eventImplementationIds: readonly string[];
  readonly eventImplementationLocalIds: readonly string[];
  /** ms since epoch; undefined = not yet in force (start) / not ended (end). */
  readonly start?: number;
  readonly end?: number;
  readonly parameters: readonly ContractParameter[];
}
export interface TradeRequest {
  readonly tradeContractId: string;
  readonly requestType: string;            // "create" | "delete"
  readonly requestParameterId: string;
  readonly domainId?: string;
  readonly dataId?: string;
  readonly createdAt?: string;
  readonly responseLimit?: string;
  readonly condition?: string;
}
export type ReceivedCell = string | { readonly type: string; readonly value: string };
export interface ReceivedMessage {
  readonly id: string;
  readonly domainId?: string;
  readonly tradeContractId: string;
  readonly requestParameterId?: string;
  readonly headers?: readonly string[];
  readonly contents: readonly (readonly ReceivedCell[])[];
}
export interface CalendarDefinition {
  readonly id: string;
  readonly name?: string;
  readonly start?: number;
  readonly end?: number;
  readonly daysOfWeek?: readonly string[];
  readonly weeksOfMonth?: readonly string[];
  readonly interval: number;
  readonly intervalType: string;           // minute | hour | day | week | month | year
  readonly occurrences?: number;
  readonly timeZone?: string;
}

/** One service record as the client sends it (POST /service_record). */
export interface ServiceRecord {
  readonly dataId: string;
  readonly eventType: RecordEventType;
  /** ms since epoch of the fact. */
  readonly timestamp: number;
  readonly serviceImplementationId?: string;
  readonly serviceImplementationLocalId?: string;
  readonly processImplementationId?: string;
  readonly processImplementationLocalId?: string;
  readonly eventImplementationId?: string;
  readonly eventImplementationLocalId?: string;
  readonly result?: string;
  readonly note?: string;
}

// ---------------------------------------------------------------------------------------------
// Device configuration: what this controller really is. Matched against the registered structure.
/** Match rule for each configured element: by `id` when given, else by `localId`, else by `name`. */
export interface EventConfig { readonly localId: string; readonly id?: string; readonly name?: string }
export interface ProcessConfig { readonly localId: string; readonly id?: string; readonly name?: string; readonly events: readonly EventConfig[] }
export type HealthCondition = "relay" | "ct" | "vtn";
export interface ServiceConfig {
  readonly localId: string; readonly id?: string; readonly name?: string;
  readonly processes: readonly ProcessConfig[];
  /** Device faults that degrade this service's reported status. */
  readonly dependsOn?: readonly HealthCondition[];
}
/** Source fields a data property can be filled from (see mapping.ts for the list per source). */
export interface PropertyConfig {
  readonly localId: string; readonly id?: string; readonly name?: string;
  readonly dataType: DataType;
  /** Field of the source record (EnergySlot / DrRecord) that fills this column. */
  readonly field: string;
}
export interface DataConfig {
  readonly localId: string; readonly id?: string; readonly name?: string;
  readonly properties: readonly PropertyConfig[];
  readonly dependsOn?: readonly HealthCondition[];
}
/** What the device trades: one source mapped onto one configured data implementation. */
export interface TradeConfig {
  readonly source: "energy" | "dr";
  /** localId of a DataConfig. */
  readonly data: string;
  /** Service record after each sent message unless the contract says otherwise; false = none. */
  readonly record?: RecordEventType | false;
  /** Rows coalesced into one message while messages wait in the outbox (default 48). */
  readonly maxRowsPerMessage?: number;
}
export interface DeviceConfig {
  readonly services: readonly ServiceConfig[];
  readonly data: readonly DataConfig[];
  readonly trades: readonly TradeConfig[];
}

// ---------------------------------------------------------------------------------------------
// Inputs from metering and the VEN (main.ts wires them)

/** A completed 30-minute energy slot. */
export interface EnergySlot {
  /** Slot start, ms since epoch (aligned to :00/:30 local time). */
  readonly start: number;
  /** UTC offset of the local time the slot is expressed in, minutes east (JST: 540). */
  readonly offsetMinutes: number;
  readonly wh: number;
  readonly avgKw: number;
  readonly peakKw: number;
  /** Apparent-power estimate (no voltage sensing) rather than a true measurement. */
  readonly estimated: boolean;
  /** False when the slot is unusable (CT fault, gap in sampling). */
  readonly valid: boolean;
}
export interface SlotSource {
  /**
   * Completed slots with `start` > `after` (all retained slots when undefined), oldest first, at most
   * `limit`. Must return the same slots again until they age out of retention: the outbox commits
   * its cursor with the queued record, so a slot lost to a power cut is simply asked for again.
   */
  slotsAfter(after: number | undefined, limit: number): readonly EnergySlot[];
}

export interface RelayAction {
  readonly relay: string;
  readonly action: "shed" | "restore";
  /** ms since epoch */
  readonly at: number;
}
/** The outcome of one demand-response event, produced by the VEN once the event has ended. */
export interface DrRecord {
  /** Strictly increasing per device; the outbox cursor. */
  readonly seq: number;
  readonly eventId: string;
  readonly modificationNumber?: number;
  readonly signalName: string;
  readonly signalValue: number;
  readonly opt: "optIn" | "optOut";
  readonly start: number;
  readonly end: number;
  readonly actions: readonly RelayAction[];
  /** Mean kW in the baseline window before the event, and during it. */
  readonly kwBefore: number;
  readonly kwDuring: number;
}
export interface DrRecordSource {
  /** Records with seq > `after` (all retained when undefined), oldest first, at most `limit`. Same contract as SlotSource. */
  recordsAfter(after: number | undefined, limit: number): readonly DrRecord[];
}

export interface DeviceHealth {
  readonly relayFault: boolean;
  readonly ctFault: boolean;
  readonly vtnReachable: boolean;
}
export interface HealthSource { health(): DeviceHealth }
