// The OpenADR 2.0b enumerations (oadr_20b.xsd, oadr_ei_20b.xsd, oadr_siscale_20b.xsd) as frozen
// tables, and the meaning of response codes. Values are spelled exactly as on the wire.
// Leaves out: the ISO 4217 currency list (itemUnits of currency items stay plain strings).

export const EVENT_STATUSES = Object.freeze(["none", "far", "near", "active", "completed", "cancelled"] as const);
export type EventStatus = typeof EVENT_STATUSES[number];

export const SIGNAL_TYPES = Object.freeze([
  "delta", "level", "multiplier", "price", "priceMultiplier", "priceRelative", "setpoint",
  "x-loadControlCapacity", "x-loadControlLevelOffset", "x-loadControlPercentOffset", "x-loadControlSetpoint",
] as const);
export type SignalType = typeof SIGNAL_TYPES[number];

/** signalName is this list or any `x-…` extension token. */
export const SIGNAL_NAMES = Object.freeze([
  "SIMPLE", "simple", "ELECTRICITY_PRICE", "ENERGY_PRICE", "DEMAND_CHARGE", "BID_PRICE", "BID_LOAD",
  "BID_ENERGY", "CHARGE_STATE", "LOAD_DISPATCH", "LOAD_CONTROL",
] as const);
export type SignalName = typeof SIGNAL_NAMES[number] | (string & {});

/** SIMPLE signal levels: 0 normal, 1 moderate, 2 high, 3 special. */
export const SIMPLE_LEVELS = Object.freeze(["normal", "moderate", "high", "special"] as const);

/** reportName is this list or any `x-…` extension token. */
export const REPORT_NAMES = Object.freeze([
  "METADATA_HISTORY_USAGE", "HISTORY_USAGE", "METADATA_HISTORY_GREENBUTTON", "HISTORY_GREENBUTTON",
  "METADATA_TELEMETRY_USAGE", "TELEMETRY_USAGE", "METADATA_TELEMETRY_STATUS", "TELEMETRY_STATUS",
] as const);
export type ReportName = typeof REPORT_NAMES[number] | (string & {});

/** reportType is this list or any `x-…` extension token. */
export const REPORT_TYPES = Object.freeze([
  "reading", "usage", "demand", "setPoint", "deltaUsage", "deltaSetPoint", "deltaDemand", "baseline",
  "deviation", "avgUsage", "avgDemand", "operatingState", "upRegulationCapacityAvailable",
  "downRegulationCapacityAvailable", "regulationSetpoint", "storedEnergy", "targetEnergyStorage",
  "availableEnergyStorage", "price", "level", "powerFactor", "percentUsage", "percentDemand", "x-resourceStatus",
] as const);
export type ReportType = typeof REPORT_TYPES[number] | (string & {});

/** readingType is this list or any `x-…` extension token. */
export const READING_TYPES = Object.freeze([
  "Direct Read", "Net", "Allocated", "Estimated", "Summed", "Derived", "Mean", "Peak", "Hybrid",
  "Contract", "Projected", "x-RMS", "x-notApplicable",
] as const);
export type ReadingType = typeof READING_TYPES[number] | (string & {});

export const OPT_TYPES = Object.freeze(["optIn", "optOut"] as const);
export type OptType = typeof OPT_TYPES[number];

/** optReason is this list or any `x-…` extension token. */
export const OPT_REASONS = Object.freeze([
  "economic", "emergency", "mustRun", "notParticipating", "outageRunStatus", "overrideStatus",
  "participating", "x-schedule",
] as const);
export type OptReason = typeof OPT_REASONS[number] | (string & {});

export const RESPONSE_REQUIRED = Object.freeze(["always", "never"] as const);
export type ResponseRequired = typeof RESPONSE_REQUIRED[number];

export const PROFILE_NAMES = Object.freeze(["2.0a", "2.0b"] as const);
export const TRANSPORT_NAMES = Object.freeze(["simpleHttp", "xmpp"] as const);
export const SERVICE_NAMES = Object.freeze(["EiEvent", "EiOpt", "EiReport", "EiRegisterParty", "OadrPoll"] as const);

/** SI scale code → power of ten. */
export const SI_SCALE_CODES: Readonly<Record<string, number>> = Object.freeze({
  p: -12, n: -9, micro: -6, m: -3, c: -2, d: -1, k: 3, M: 6, G: 9, T: 12, none: 0,
});
export type SiScaleCode = "p" | "n" | "micro" | "m" | "c" | "d" | "k" | "M" | "G" | "T" | "none";

export const DATA_QUALITIES = Object.freeze([
  "No Quality - No Value", "No New Value - Previous Value Used", "Quality Bad - Non Specific",
  "Quality Bad - Configuration Error", "Quality Bad - Not Connected", "Quality Bad - Device Failure",
  "Quality Bad - Sensor Failure", "Quality Bad - Last Known Value", "Quality Bad - Comm Failure",
  "Quality Bad - Out of Service", "Quality Uncertain - Non Specific", "Quality Uncertain - Last Usable Value",
  "Quality Uncertain - Sensor Not Accurate", "Quality Uncertain - EU Units Exceeded",
  "Quality Uncertain - Sub Normal", "Quality Good - Non Specific", "Quality Good - Local Override",
  "Quality Limit - Field/Not", "Quality Limit - Field/Low", "Quality Limit - Field/High",
  "Quality Limit - Field/Constant",
] as const);

/**
 * Units (members of the emix:itemBase substitution group) by element name: the namespace prefix they
 * are written with, the fixed itemDescription/itemUnits where the schema fixes them, and whether they
 * carry power:powerAttributes (power items) or oadr:pulseFactor (pulseCount) instead of a scale code.
 */
export interface ItemBaseInfo {
  readonly prefix: "power" | "oadr";
  readonly itemDescription?: string;
  readonly itemUnits?: string;
  readonly powerAttributes?: true;
  readonly pulseFactor?: true;
}
export const ITEM_BASES = Object.freeze({
  powerReal: Object.freeze({ prefix: "power", itemDescription: "RealPower", powerAttributes: true }),
  powerApparent: Object.freeze({ prefix: "power", itemDescription: "ApparentPower", itemUnits: "VA", powerAttributes: true }),
  powerReactive: Object.freeze({ prefix: "power", itemDescription: "ReactivePower", itemUnits: "VAR", powerAttributes: true }),
  energyReal: Object.freeze({ prefix: "power", itemDescription: "RealEnergy", itemUnits: "Wh" }),
  energyApparent: Object.freeze({ prefix: "power", itemDescription: "ApparentEnergy", itemUnits: "VAh" }),
  energyReactive: Object.freeze({ prefix: "power", itemDescription: "ReactiveEnergy", itemUnits: "VARh" }),
  voltage: Object.freeze({ prefix: "power", itemDescription: "Voltage", itemUnits: "V" }),
  current: Object.freeze({ prefix: "oadr", itemDescription: "Current", itemUnits: "A" }),
  frequency: Object.freeze({ prefix: "oadr", itemDescription: "Frequency", itemUnits: "Hz" }),
  Therm: Object.freeze({ prefix: "oadr", itemDescription: "Therm", itemUnits: "thm" }),
  temperature: Object.freeze({ prefix: "oadr", itemDescription: "temperature" }),
  pulseCount: Object.freeze({ prefix: "oadr", itemDescription: "pulse count", itemUnits: "count", pulseFactor: true }),
  currency: Object.freeze({ prefix: "oadr" }),
  currencyPerKWh: Object.freeze({ prefix: "oadr" }),
  currencyPerKW: Object.freeze({ prefix: "oadr" }),
  currencyPerThm: Object.freeze({ prefix: "oadr" }),
  customUnit: Object.freeze({ prefix: "oadr" }),
} satisfies Record<string, ItemBaseInfo>) as Readonly<Record<ItemBaseName, ItemBaseInfo>>;
export type ItemBaseName =
  | "powerReal" | "powerApparent" | "powerReactive" | "energyReal" | "energyApparent" | "energyReactive"
  | "voltage" | "current" | "frequency" | "Therm" | "temperature" | "pulseCount" | "currency"
  | "currencyPerKWh" | "currencyPerKW" | "currencyPerThm" | "customUnit";
export const ITEM_BASE_NAMES = Object.freeze(Object.keys(ITEM_BASES) as ItemBaseName[]);

/** Response codes of 2.0b (ei:responseCode is three digits, kept as a string) and their meaning. */
export const RESPONSE_CODES: Readonly<Record<string, string>> = Object.freeze({
  "200": "OK",
  "400": "Bad Request",
  "403": "Forbidden",
  "404": "Not Found",
  "405": "Method Not Allowed",
  "408": "Request Timeout",
  "450": "Out of sequence",
  "451": "Not allowed",
  "452": "Invalid ID",
  "453": "Not recognized",
  "454": "Invalid data",
  "459": "Compliance error",
  "460": "Signal not supported",
  "461": "Report not supported",
  "462": "Target mismatch",
  "463": "Not registered or authorized",
  "469": "Deployment error or other error",
  "500": "Internal Server Error",
});
export const RESPONSE_OK = "200";

export type ResponseClass = "informational" | "success" | "pending" | "requester error" | "responder error" | "invalid";

/** The class of a response code by its first digit (1xx … 5xx), as the ei schema defines them. */
export function responseClass(code: string): ResponseClass {
  if (code.length !== 3) return "invalid";
  const c0 = code.charCodeAt(0), c1 = code.charCodeAt(1), c2 = code.charCodeAt(2);
  if (!(c1 >= 48 && c1 <= 57 && c2 >= 48 && c2 <= 57)) return "invalid";
  switch (c0) {
    case 49: return "informational";
    case 50: return "success";
    case 51: return "pending";
    case 52: return "requester error";
    case 53: return "responder error";
    default: return "invalid";
  }
}

/** A short description of a response code: the table's text, else its class. */
export function responseMeaning(code: string): string {
  return RESPONSE_CODES[code] ?? responseClass(code);
}

/** testEvent is a free string in 2.0b: anything present other than "false" marks a test event. */
export function isTestEvent(testEvent: string | undefined): boolean {
  return testEvent !== undefined && testEvent.trim() !== "false";
}
