// The firmware's configuration: the typed, checked form of the manifest's `config` defaults with the
// site's overrides on top (Preference domain "config", written at provisioning). Pure: main.ts reads
// `mc/config` and the Preference keys and hands both here; nothing in this file touches a platform
// module. Secrets (the CIOF key, Wi-Fi password) are carried but never logged (see `describeConfig`).
// Leaves out: TLS material (DER resources or Preference "prov" blobs, read by main.ts).

import type { LogLevel } from "../platform/types";
import type { DeviceConfig } from "../ciof/types";
import type { ShedRule } from "../control/rules";
import type { XmlLimits } from "../xml/reader";

/** Per-relay control settings, keyed by the board's relay id. Durations in seconds. */
export interface RelayConfig {
  readonly rules: readonly ShedRule[];
  readonly minOn?: number;
  readonly minOff?: number;
  readonly maxShed?: number;
  readonly shedLockout?: number;
  readonly restoreRandom?: number;
  readonly shedRandom?: number;
}

export interface AppConfig {
  readonly venName: string;
  readonly vtnURL: string;
  /** Seconds between polls (the VTN's oadrRequestedOadrPollFreq is a floor). */
  readonly pollInterval: number;
  /** Optional VTN certificate pin (OpenADR fingerprint). */
  readonly vtnFingerprint: string | undefined;
  /** Allows http:// VTNs. Never in the field. */
  readonly development: boolean;
  /** Sign every outgoing OpenADR payload with the VEN's TLS key (XML signature; RSA keys only). */
  readonly signMessages: boolean;
  /** Refuse VTN replies whose XML signature is absent or invalid (checked against vtnFingerprint). */
  readonly verifySignature: boolean;
  /** CIOF terminal base URL ("http://host:port[/base]"); "" disables the CIOF controller. */
  readonly ciofURL: string;
  /** CIOF authorization_key (EdgeControllerAPIKey.yml). Secret. "" disables the CIOF controller. */
  readonly ciofKey: string;
  /** Device id: prefix of CIOF message ids. */
  readonly deviceId: string;
  /** CIOF polling_rate, seconds (10–1000). */
  readonly ciofPollingRate: number;
  /** What this controller trades (matched against the terminal's registered structure). */
  readonly ciof: DeviceConfig | undefined;
  readonly logLevel: LogLevel;
  /** Local time offset, seconds east of UTC (JST 32,400): 30-minute slots, CIOF datetimes. */
  readonly timezone: number;
  /** SNTP server (device). "" = none. */
  readonly sntp: string;
  /** Wi-Fi (device). "" = no Wi-Fi (the network is up already, e.g. lin). */
  readonly ssid: string;
  readonly password: string;
  /** Metering window period, ms (≥ 250). */
  readonly meteringInterval: number;
  /** TELEMETRY_USAGE sampling rate offered to the VTN, ms. */
  readonly telemetryInterval: number;
  /** Board name the build is for (checked against the board the manifest chose). */
  readonly board: string;
  readonly control: {
    readonly relays: Readonly<Record<string, RelayConfig>>;
    /** Boot takeover delay range and restore spacing, seconds. */
    readonly bootDelayMin: number;
    readonly bootDelayMax: number;
    readonly restoreSpacing: number;
    /** Override (button) duration, seconds. */
    readonly override: number;
  };
  readonly certificates: { readonly ca: string; readonly client: string; readonly key: string };
  /** XML reader limits of the OpenADR decoder (they size its preallocated tables); {} = the reader's defaults. */
  readonly xmlLimits: Readonly<Partial<XmlLimits>>;
  /** Rows buffered per VEN report request (RAM; bounds what an outage can backfill). */
  readonly reportBufferRows: number;
  /** Rows per oadrUpdateReport (a backfill or a one-shot history goes out in several messages): bounds
   *  the size of the largest message the VEN encodes, hence its transient memory. */
  readonly maxRowsPerReport: number;
}

/** Defaults for keys the manifest may not carry. The manifest's `config` comes on top of these. */
export const CONFIG_DEFAULTS: Readonly<Record<string, unknown>> = Object.freeze({
  venName: "ven-esp32",
  vtnURL: "",
  pollInterval: 60,
  development: false,
  signMessages: false,
  verifySignature: false,
  ciofURL: "",
  ciofKey: "",
  deviceId: "ven0001",
  ciofPollingRate: 60,
  logLevel: "info",
  timezone: 32400,
  sntp: "",
  ssid: "",
  password: "",
  meteringInterval: 1000,
  telemetryInterval: 60_000,
  board: "",
  control: Object.freeze({
    relays: Object.freeze({
      relay1: Object.freeze({ rules: Object.freeze([Object.freeze({ signalName: "SIMPLE", when: "atLeast", threshold: 1 })]) }),
      relay2: Object.freeze({ rules: Object.freeze([Object.freeze({ signalName: "SIMPLE", when: "atLeast", threshold: 2 })]) }),
    }),
    bootDelayMin: 2,
    bootDelayMax: 30,
    restoreSpacing: 2,
    override: 7200,
  }),
  certificates: Object.freeze({ ca: "vtn-ca.der", client: "ven-cert.der", key: "ven-key.der" }),
  // The device profile: smaller reader tables than the reader's defaults (384 names, 4 KB text, 1 KB
  // attributes). Measured over the 295 decodable shared fixtures (OpenLEADR, avob, signed sessions), the
  // decoder needs at most 185 distinct names (signed oadrDistributeEvent replies) and 1,199 bytes of text
  // (a base64 X509Certificate): 256 names keep 38 % headroom and halve the hash table (≈3 KB of chunks).
  xmlLimits: Object.freeze({ distinctNames: 256, textBytes: 2048, attributeBytes: 512 }),
  reportBufferRows: 48,
  maxRowsPerReport: 6,
});

/** Keys a site may override from Preference (≤ 15 characters: NVS key names). */
export const OVERRIDABLE = Object.freeze([
  "venName", "vtnURL", "pollInterval", "vtnFingerprint", "development", "signMessages", "verifySignature", "ciofURL", "ciofKey", "deviceId",
  "ciofPollingRate", "ciof", "logLevel", "timezone", "sntp", "ssid", "password", "meteringInterval",
  "telemetryInterval", "control", "xmlLimits", "reportBufferRows", "maxRowsPerReport",
]);

export class ConfigError extends RangeError {
  // A field, not an assignment: on the device Error.prototype is frozen after preload,
  // so `this.name = …` throws "set name: not writable".
  override readonly name = "ConfigError";
  readonly key: string;
  constructor(key: string, message: string) {
    super(`config.${key}: ${message}`);
    this.key = key;
  }
}

type Raw = Record<string, unknown>;

const LEVELS: readonly LogLevel[] = Object.freeze(["error", "warn", "info", "debug"]);

function string(raw: Raw, key: string, allowEmpty = true): string {
  const v = raw[key];
  if (typeof v !== "string") throw new ConfigError(key, `a string is required (${typeof v})`);
  if (!allowEmpty && v === "") throw new ConfigError(key, "must not be empty");
  return v;
}

function number(raw: Raw, key: string, min: number, max: number): number {
  let v = raw[key];
  if (typeof v === "string" && v.trim() !== "") v = Number(v);
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) throw new ConfigError(key, `a number ${min}–${max} is required (${String(raw[key])})`);
  return v;
}

function boolean(raw: Raw, key: string): boolean {
  const v = raw[key];
  if (v === true || v === "true" || v === 1) return true;
  if (v === false || v === "false" || v === 0 || v === undefined) return false;
  throw new ConfigError(key, `true or false is required (${String(v)})`);
}

/** A URL: http(s)://host[:port][/path], no credentials, spaces or control characters, ≤ 256 characters.
 *  The value is never echoed (a URL with credentials in it is a secret). */
function url(raw: Raw, key: string, allowEmpty: boolean): string {
  const v = string(raw, key, allowEmpty);
  if (v === "") return v;
  if (v.length > 256) throw new ConfigError(key, "longer than 256 characters");
  if (!v.startsWith("https://") && !v.startsWith("http://")) throw new ConfigError(key, "must start with https:// (or http://)");
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c <= 32 || c === 127) throw new ConfigError(key, "spaces or control characters (value not shown)");
  }
  const rest = v.slice(v.indexOf("//") + 2);
  const end = rest.indexOf("/");
  if ((end < 0 ? rest : rest.slice(0, end)).includes("@")) throw new ConfigError(key, "credentials in the URL are refused (value not shown)");
  return v;
}

/** A secret token: printable ASCII without spaces (it goes into an HTTP header), ≤ 128 characters. Never echoed. */
function token(raw: Raw, key: string): string {
  const v = string(raw, key);
  if (v.length > 128) throw new ConfigError(key, "longer than 128 characters (value not shown)");
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) throw new ConfigError(key, "printable ASCII without spaces or line breaks is required (value not shown)");
  }
  return v;
}

/** A short printable name (no control characters), 1–`max` characters. */
function name(raw: Raw, key: string, max: number): string {
  const v = string(raw, key, false);
  if (v.length > max) throw new ConfigError(key, `1–${max} characters`);
  for (let i = 0; i < v.length; i++) if (v.charCodeAt(i) < 32 || v.charCodeAt(i) === 127) throw new ConfigError(key, "control characters");
  return v;
}

/** An object-valued key: an object, or its JSON text (as stored in Preference). */
function object(raw: Raw, key: string): Raw | undefined {
  const v = raw[key];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "string") {
    try {
      const parsed = JSON.parse(v);
      if (parsed && typeof parsed === "object") return parsed as Raw;
    } catch {
      // reported below
    }
    throw new ConfigError(key, "JSON object text is required");
  }
  if (typeof v !== "object") throw new ConfigError(key, "an object is required");
  return v as Raw;
}

function rules(key: string, list: unknown): ShedRule[] {
  if (!Array.isArray(list)) throw new ConfigError(key, "rules must be an array");
  return list.map((r, i) => {
    const rule = r as Raw;
    if (!rule || typeof rule.signalName !== "string" || rule.signalName === "") throw new ConfigError(`${key}[${i}]`, "signalName is required");
    if (!["atLeast", "above", "atMost", "below"].includes(rule.when as string)) throw new ConfigError(`${key}[${i}]`, "when must be atLeast, above, atMost or below");
    if (typeof rule.threshold !== "number" || !Number.isFinite(rule.threshold)) throw new ConfigError(`${key}[${i}]`, "threshold must be a number");
    const out: { signalName: string; signalType?: string; when: ShedRule["when"]; threshold: number } = { signalName: rule.signalName as string, when: rule.when as ShedRule["when"], threshold: rule.threshold as number };
    if (typeof rule.signalType === "string") out.signalType = rule.signalType;
    return Object.freeze(out);
  });
}

function control(raw: Raw): AppConfig["control"] {
  const c = object(raw, "control") ?? {};
  const base = CONFIG_DEFAULTS.control as Raw;
  const merged: Raw = { ...base, ...c };
  const relaysRaw = (merged.relays ?? {}) as Raw;
  if (typeof relaysRaw !== "object") throw new ConfigError("control.relays", "an object keyed by relay id is required");
  const relays: Record<string, RelayConfig> = {};
  for (const id of Object.keys(relaysRaw)) {
    const r = relaysRaw[id] as Raw;
    if (!r || typeof r !== "object") throw new ConfigError(`control.relays.${id}`, "an object is required");
    const out: { -readonly [K in keyof RelayConfig]: RelayConfig[K] } = { rules: Object.freeze(rules(`control.relays.${id}.rules`, r.rules ?? [])) };
    for (const k of ["minOn", "minOff", "maxShed", "shedLockout", "restoreRandom", "shedRandom"] as const) {
      if (r[k] !== undefined) out[k] = number(r, k, 0, 7 * 86_400);
    }
    relays[id] = Object.freeze(out);
  }
  const bootDelayMin = number(merged, "bootDelayMin", 0, 3600);
  const bootDelayMax = number(merged, "bootDelayMax", bootDelayMin, 3600);
  return Object.freeze({
    relays: Object.freeze(relays),
    bootDelayMin, bootDelayMax,
    restoreSpacing: number(merged, "restoreSpacing", 1, 600),
    override: number(merged, "override", 60, 86_400),
  });
}

const XML_LIMIT_KEYS = Object.freeze(["documentBytes", "depth", "nameBytes", "textBytes", "attributeBytes", "attributes", "distinctNames"] as const);

function xmlLimits(raw: Raw): Partial<XmlLimits> {
  const o = object(raw, "xmlLimits") ?? {};
  const out: Partial<XmlLimits> = {};
  for (const k of XML_LIMIT_KEYS) if (o[k] !== undefined) out[k] = number(o, k, 1, 1 << 24);
  return Object.freeze(out);
}

function ciofDevice(raw: Raw): DeviceConfig | undefined {
  const c = object(raw, "ciof");
  if (!c) return undefined;
  if (!Array.isArray(c.services) || !Array.isArray(c.data) || !Array.isArray(c.trades)) throw new ConfigError("ciof", "services, data and trades arrays are required");
  return c as unknown as DeviceConfig;
}

/**
 * The configuration in force: CONFIG_DEFAULTS, then the manifest's config (`mc/config`), then the
 * site's overrides (only OVERRIDABLE keys; others are ignored, so a stale key cannot break a boot).
 * Throws ConfigError naming the first bad key.
 */
export function resolveConfig(manifest: Readonly<Raw>, overrides: Readonly<Raw> = {}): AppConfig {
  const raw: Raw = { ...CONFIG_DEFAULTS, ...manifest };
  for (const key of OVERRIDABLE) if (overrides[key] !== undefined) raw[key] = overrides[key];
  const logLevel = string(raw, "logLevel") as LogLevel;
  if (!LEVELS.includes(logLevel)) throw new ConfigError("logLevel", `one of ${LEVELS.join(", ")}`);
  const development = boolean(raw, "development");
  const vtnURL = url(raw, "vtnURL", false);
  if (vtnURL.startsWith("http://") && !development) throw new ConfigError("vtnURL", "http:// is refused unless development is true (TLS is required in the field)");
  const fingerprint = raw.vtnFingerprint;
  if (fingerprint !== undefined && fingerprint !== "" && (typeof fingerprint !== "string" || !/^([0-9A-F]{2}:){9}[0-9A-F]{2}$/.test(fingerprint))) {
    throw new ConfigError("vtnFingerprint", "10 bytes, upper-case hex with colons");
  }
  const ciofURL = url(raw, "ciofURL", true);
  const deviceId = string(raw, "deviceId", false);
  if (!/^[A-Za-z0-9_.-]{1,32}$/.test(deviceId)) throw new ConfigError("deviceId", "1–32 of [A-Za-z0-9_.-]");
  const timezone = number(raw, "timezone", -43_200, 50_400);
  if (timezone % 60 !== 0) throw new ConfigError("timezone", "whole minutes (seconds east of UTC)");
  const certificates = (object(raw, "certificates") ?? {}) as Raw;
  return Object.freeze({
    venName: name(raw, "venName", 64),
    vtnURL,
    pollInterval: number(raw, "pollInterval", 1, 86_400),
    vtnFingerprint: typeof fingerprint === "string" && fingerprint !== "" ? fingerprint : undefined,
    development,
    signMessages: boolean(raw, "signMessages"),
    verifySignature: boolean(raw, "verifySignature"),
    ciofURL,
    ciofKey: token(raw, "ciofKey"),
    deviceId,
    ciofPollingRate: number(raw, "ciofPollingRate", 10, 1000),
    ciof: ciofDevice(raw),
    logLevel,
    timezone,
    sntp: string(raw, "sntp"),
    ssid: string(raw, "ssid"),
    password: string(raw, "password"),
    meteringInterval: number(raw, "meteringInterval", 250, 3_600_000),
    telemetryInterval: number(raw, "telemetryInterval", 1000, 86_400_000),
    board: typeof raw.board === "string" ? raw.board : "",
    control: control(raw),
    certificates: Object.freeze({
      ca: typeof certificates.ca === "string" ? certificates.ca : "vtn-ca.der",
      client: typeof certificates.client === "string" ? certificates.client : "ven-cert.der",
      key: typeof certificates.key === "string" ? certificates.key : "ven-key.der",
    }),
    xmlLimits: xmlLimits(raw),
    reportBufferRows: number(raw, "reportBufferRows", 4, 4096),
    maxRowsPerReport: number(raw, "maxRowsPerReport", 1, 1024),
  });
}

/** Log fields describing the configuration, secrets left out. */
export function describeConfig(c: AppConfig): Record<string, string | number | boolean> {
  return {
    venName: c.venName, vtnURL: c.vtnURL, pollInterval: c.pollInterval, pinned: c.vtnFingerprint !== undefined,
    ciof: c.ciofURL !== "" && c.ciofKey !== "" && c.ciof !== undefined ? c.ciofURL : "off",
    deviceId: c.deviceId, timezone: c.timezone, board: c.board, logLevel: c.logLevel,
    wifi: c.ssid !== "" ? c.ssid : "none", sntp: c.sntp !== "" ? c.sntp : "none",
  };
}
