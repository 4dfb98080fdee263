// Types of the fault suite: a fault as data (catalog.ts), what a run records (runner.ts) and what the
// checks conclude (checks.ts). Node only.
import type { NetworkFault, NetworkRequestInfo, WriteFault, XsHost } from "../engine/index.ts";
import type { CiofTerminal } from "../peers/ciof-terminal.ts";
import type { Pki } from "../peers/pki.ts";
import type { SimEvent } from "../peers/vtn/messages.ts";
import type { VtnSimulator } from "../peers/vtn/server.ts";
import type { FaultPki } from "./pki-faults.ts";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What a fault definition can do during a run. Offsets are from the run's start S (true time, ms). */
export interface FaultContext {
  readonly xs: XsHost;
  readonly vtn: VtnSimulator;
  readonly terminal: CiofTerminal;
  readonly pki: Pki;
  readonly faultPki: FaultPki;
  /** Seeded for this run. */
  readonly rng: () => number;
  readonly seed: number;
  readonly S: number;
  /** True time now (ms since epoch). */
  readonly now: number;
  /** Runs `run` when true time reaches S + offset. */
  at(offset: number, label: string, run: () => void | Promise<void>): void;
  note(text: string): void;
  /** Decides a network fault per request to the VTN or the CIOF terminal until the returned function is called (or the fault is healed). */
  inject(label: string, decide: (info: NetworkRequestInfo, peer: "vtn" | "ciof") => NetworkFault | undefined): () => void;
  /** Cuts the power now; `whileOff` runs with the device off (e.g. to damage the store); the power
   *  comes back after `offMs` and the firmware boots again on the same store. */
  powerCut(offMs: number, whileOff?: () => void): Promise<void>;
  /** The n-th store write from now is cut by a power loss (torn/erased/after) or fails ("error"). */
  failWrites(n: number, mode: WriteFault): void;
  /** Sets the device's wall clock to true time + `offsetMs` (0 = right), valid or not. */
  setDeviceClock(offsetMs: number, valid?: boolean): Promise<void>;
  /** A call into the firmware's XS entry (a power cut during it reboots the device). */
  call(name: string, ...args: unknown[]): Promise<Any>;
}

/** What the end state must be, where it differs from the default (everything normal). */
export interface Expectations {
  /** Every event the VTN sent is executed on the pins (default true). */
  eventsExecuted?: boolean;
  /** Every 30-minute slot that closed while the firmware ran with a valid clock was queued (default true). */
  slotsComplete?: boolean;
  /** Control ends in this mode (default "normal"). */
  controlMode?: "normal" | "failNormal";
  /** Log lines that must appear (the specific diagnosis of the fault). */
  logs?: RegExp[];
  /** Further checks: each returned string is a failure. */
  custom?: (records: RunRecords) => string[];
}

export interface FaultDef {
  name: string;
  group: "VTN" | "TLS" | "Clock" | "Power" | "CIOF" | "Hardware" | "Input";
  /** One line for the table's notes column. */
  description: string;
  /** Seeds in the full matrix (npm run faults) and in the reduced CI run. */
  seeds: number;
  reducedSeeds?: number;
  /** Configuration overrides (over workload.ts FIRMWARE). */
  firmware?: Record<string, unknown> | ((ctx: FaultContext) => Record<string, unknown>);
  /** Device clock at boot: valid or not (SNTP late), and its error against true time. */
  clock?: { valid?: boolean; skewMs?: number };
  /** Before the firmware boots (e.g. the VTN's certificate). */
  setup?(ctx: FaultContext): void | Promise<void>;
  /** Schedules the fault over the workload. */
  inject(ctx: FaultContext): void;
  /** After the workload: undo what `inject` changed outside the network deciders and the store faults (removed for you). */
  heal?(ctx: FaultContext): void | Promise<void>;
  expect?: Expectations;
}

export interface RelayWrite {
  relay: string;
  /** Load supplied. */
  on: boolean;
  /** True time. */
  at: number;
  /** "boot": the driver's constructor (safe level); "control": commanded; "powerloss": the coil lost power. */
  cause: "boot" | "control" | "powerloss";
}

export interface QueuedRecord {
  id: string;
  kind: "message" | "record";
  contract?: string;
  /** First cell of each row ("|"-joined): the slot start or the DR event. */
  key?: string;
  rows?: number;
  requestParameterId?: string;
  /** A service record follows the message (data_id = its id). */
  withRecord?: boolean;
  event?: string;
  dataId?: string;
  at: number;
}

export interface RunRecords {
  fault: string;
  seed: number;
  start: number;
  end: number;
  drainedAt: number | undefined;
  relayWrites: RelayWrite[];
  boots: { at: number; ok: boolean }[];
  cuts: { at: number; offMs: number }[];
  /** Device clock − true time, from each true instant on. */
  skews: { at: number; skew: number }[];
  queued: QueuedRecord[];
  log: string[];
  notes: string[];
  injections: string[];
  eventVersions: { at: number; kind: string; event: SimEvent }[];
  finalStatus: Any;
  finalVen: Any;
  finalEvents: Any[];
  finalControl: Any;
  xsErrors: string[];
  /** Preference domains at the end: keys, value bytes, NVS bytes. */
  storage?: Record<string, { keys: number; bytes: number; nvsBytes: number }>;
  /** Largest NVS footprint seen (sampled every 10 simulated minutes), bytes. */
  storagePeak?: number;
  aborted: string | undefined;
  wallSeconds: number;
  vtn: VtnSimulator;
  terminal: CiofTerminal;
}

export interface RunVerdict {
  fault: string;
  seed: number;
  survived: boolean;
  lost: number;
  duplicated: number;
  safetyViolations: number;
  failures: string[];
  notes: string[];
  reboots: number;
  wallSeconds: number;
  storagePeak: number;
}
