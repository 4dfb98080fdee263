// Simulator scenarios: the JSON format (documented in host-tests/scenarios/README.md), loading by name
// or path, checking, and resolution of the times it contains to absolute milliseconds. Node only.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseDuration } from "../peers/vtn/xml.ts";
import { repoRoot } from "../support/shared.ts";

export const SCENARIO_DIR = path.join(repoRoot, "host-tests/scenarios");

/** A time: "HH:MM[:SS]" (local time of the scenario's zone, first at or after its start), "+<ISO duration>"
 *  (after the start), or an ISO date-time with an offset. */
export type TimeSpec = string;
/** An ISO-8601 duration: "PT1H30M", "P1D", "PT0S". */
export type DurationSpec = string;

export interface EventSpec {
  eventID: string;
  /** Signal name; default "SIMPLE". */
  signal?: string;
  /** Signal type; default "level" for SIMPLE, "price" for ELECTRICITY_PRICE, "setpoint" otherwise. */
  type?: string;
  start: TimeSpec;
  /** Either intervals, or one interval of `duration` at `value`. */
  intervals?: Array<{ duration: DurationSpec; value: number }>;
  duration?: DurationSpec;
  value?: number;
  priority?: number;
  startafter?: DurationSpec;
  notification?: DurationSpec;
  rampUp?: DurationSpec;
  recovery?: DurationSpec;
  responseRequired?: "always" | "never";
  test?: boolean;
  /** Default: the registered VEN's venID. */
  targets?: { venID?: string[]; resourceID?: string[]; groupID?: string[]; partyID?: string[] };
  marketContext?: string;
  comment?: string;
}

export interface ReportSpec {
  /** reportRequestID. */
  id: string;
  /** TELEMETRY_USAGE, HISTORY_USAGE, TELEMETRY_STATUS (the VEN's METADATA_<name>). */
  report: string;
  granularity: DurationSpec;
  /** "PT0S" = one-shot. */
  reportBack: DurationSpec;
  interval?: { start: TimeSpec; duration: DurationSpec };
}

export type Action =
  | { at: TimeSpec; do: "event"; event: EventSpec }
  | { at: TimeSpec; do: "modify"; eventID: string; event: Partial<EventSpec> }
  | { at: TimeSpec; do: "cancel"; eventID: string }
  | { at: TimeSpec; do: "createReport"; report: ReportSpec }
  | { at: TimeSpec; do: "cancelReport"; reportRequestID: string; reportToFollow?: boolean }
  | { at: TimeSpec; do: "ciofRequest"; contract: string; condition?: string; requestType?: "create" | "delete"; dataId?: string }
  | { at: TimeSpec; do: "button"; press?: "short" | "long" }
  | { at: TimeSpec; do: "vtnOffline"; for: DurationSpec }
  | { at: TimeSpec; do: "ciofOutage"; for: DurationSpec; status?: 502 | 503 };

export interface Scenario {
  name: string;
  description?: string;
  /** Wall-clock start with its UTC offset: the offset is the site's time zone. */
  start: string;
  duration: DurationSpec;
  /** Seed of the firmware's random numbers and of the site's load model. */
  seed?: number;
  /** Overrides merged over manifest.json's config (meteringInterval, pollInterval, control, …). */
  firmware?: Record<string, unknown>;
  vtn?: { pollFreq?: DurationSpec; reports?: ReportSpec[] };
  ciof?: { enabled?: boolean };
  actions: Action[];
}

export interface ResolvedScenario extends Scenario {
  file: string;
  startMs: number;
  durationMs: number;
  /** Minutes east of UTC, from `start`. */
  offsetMinutes: number;
}

const ACTIONS = new Set(["event", "modify", "cancel", "createReport", "cancelReport", "ciofRequest", "button", "vtnOffline", "ciofOutage"]);

/** Loads a scenario by name (host-tests/scenarios/<name>.json) or by file path. */
export function loadScenario(nameOrFile: string, base = process.cwd()): ResolvedScenario {
  const candidates = [path.resolve(base, nameOrFile), path.join(SCENARIO_DIR, `${nameOrFile}.json`), path.join(SCENARIO_DIR, nameOrFile)];
  const file = candidates.find((f) => existsSync(f) && f.endsWith(".json"));
  if (!file) throw new Error(`scenario "${nameOrFile}" not found (a file, or a name in ${path.relative(process.cwd(), SCENARIO_DIR) || SCENARIO_DIR})`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`scenario ${file}: not JSON: ${(error as Error).message}`);
  }
  return resolveScenario(raw as Scenario, file);
}

export function resolveScenario(s: Scenario, file = "(inline)"): ResolvedScenario {
  const where = (what: string) => `scenario ${path.basename(file)}: ${what}`;
  if (!s || typeof s !== "object") throw new Error(where("not an object"));
  if (typeof s.name !== "string" || !s.name) throw new Error(where("name is required"));
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:\d{2})$/.exec(s.start ?? "");
  if (!m) throw new Error(where(`start must be an ISO date-time with an offset, e.g. 2026-11-22T00:00:00+09:00 (${s.start})`));
  const startMs = Date.parse(s.start);
  const offsetMinutes = m[2] === "Z" ? 0 : (m[2][0] === "-" ? -1 : 1) * (Number(m[2].slice(1, 3)) * 60 + Number(m[2].slice(4, 6)));
  const durationMs = duration(s.duration, where("duration"));
  if (!(durationMs > 0)) throw new Error(where("duration must be > 0"));
  if (!Array.isArray(s.actions)) throw new Error(where("actions must be an array"));
  const r: ResolvedScenario = { ...s, file, startMs, durationMs, offsetMinutes };
  s.actions.forEach((a, i) => {
    if (!a || !ACTIONS.has(a.do)) throw new Error(where(`actions[${i}].do must be one of ${[...ACTIONS].join(", ")}`));
    timeOf(r, a.at, where(`actions[${i}].at`));
    if (a.do === "event") checkEvent(r, a.event, where(`actions[${i}].event`));
    if ((a.do === "modify" || a.do === "cancel") && typeof a.eventID !== "string") throw new Error(where(`actions[${i}].eventID is required`));
    if (a.do === "createReport") checkReport(r, a.report, where(`actions[${i}].report`));
    if (a.do === "vtnOffline" || a.do === "ciofOutage") duration(a.for, where(`actions[${i}].for`));
  });
  for (const [i, rep] of (s.vtn?.reports ?? []).entries()) checkReport(r, rep, where(`vtn.reports[${i}]`));
  if (s.vtn?.pollFreq) duration(s.vtn.pollFreq, where("vtn.pollFreq"));
  return r;
}

export function duration(text: unknown, where = "duration"): number {
  if (typeof text !== "string") throw new Error(`${where}: an ISO-8601 duration is required (e.g. PT1H)`);
  try {
    return parseDuration(text);
  } catch {
    throw new Error(`${where}: bad ISO-8601 duration "${text}"`);
  }
}

/** Absolute ms of a TimeSpec within the scenario. */
export function timeOf(s: ResolvedScenario, spec: unknown, where = "time"): number {
  if (typeof spec !== "string" || spec === "") throw new Error(`${where}: a time is required ("HH:MM", "+PT1H" or an ISO date-time)`);
  if (spec.startsWith("+")) return s.startMs + duration(spec.slice(1), where);
  const hm = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(spec);
  if (hm) {
    const h = Number(hm[1]), mi = Number(hm[2]), sec = Number(hm[3] ?? 0);
    if (h > 23 || mi > 59 || sec > 59) throw new Error(`${where}: bad time of day "${spec}"`);
    const offset = s.offsetMinutes * 60_000;
    const localStart = s.startMs + offset;
    const day = Math.floor(localStart / 86_400_000) * 86_400_000;
    let t = day + ((h * 60 + mi) * 60 + sec) * 1000 - offset;
    if (t < s.startMs) t += 86_400_000;
    return t;
  }
  const ms = Date.parse(spec);
  if (Number.isNaN(ms) || !/([+-]\d{2}:\d{2}|Z)$/.test(spec)) throw new Error(`${where}: "${spec}" is not "HH:MM", "+<duration>" or an ISO date-time with an offset`);
  return ms;
}

function checkEvent(s: ResolvedScenario, e: EventSpec, where: string): void {
  if (!e || typeof e.eventID !== "string" || !e.eventID) throw new Error(`${where}.eventID is required`);
  timeOf(s, e.start, `${where}.start`);
  if (e.intervals) {
    if (!Array.isArray(e.intervals) || e.intervals.length === 0) throw new Error(`${where}.intervals must be a non-empty array`);
    e.intervals.forEach((iv, i) => {
      duration(iv.duration, `${where}.intervals[${i}].duration`);
      if (typeof iv.value !== "number") throw new Error(`${where}.intervals[${i}].value must be a number`);
    });
  } else {
    duration(e.duration, `${where}.duration`);
    if (typeof e.value !== "number") throw new Error(`${where}: value (or intervals) is required`);
  }
  for (const k of ["startafter", "notification", "rampUp", "recovery"] as const) if (e[k] !== undefined) duration(e[k], `${where}.${k}`);
}

function checkReport(s: ResolvedScenario, r: ReportSpec, where: string): void {
  if (!r || typeof r.id !== "string" || typeof r.report !== "string") throw new Error(`${where}: id and report are required`);
  duration(r.granularity, `${where}.granularity`);
  duration(r.reportBack, `${where}.reportBack`);
  if (r.interval) {
    timeOf(s, r.interval.start, `${where}.interval.start`);
    duration(r.interval.duration, `${where}.interval.duration`);
  }
}

/** The signal type a signal name gets when the scenario does not say. */
export function defaultSignalType(signal: string): string {
  if (signal === "SIMPLE") return "level";
  if (signal === "ELECTRICITY_PRICE") return "price";
  return "setpoint";
}
