// Encoders: one template per OpenADR 2.0b payload, named as in the schema, writing through an
// XmlWriter in schema order. Output: `<?xml …?>` + oadr:oadrPayload > oadr:oadrSignedObject > message,
// every value escaped, the signed object already in inclusive C14N 1.0 form (all namespace
// declarations on it, sorted by prefix, then oadr:Id; no self-closing tags; no whitespace), so a
// signing step can hash the bytes of `encodeSignedObject` as they are and splice a ds:Signature
// between PAYLOAD_START and the signed object. No schemaLocation.
// Covers every VEN → VTN payload and the VTN → VEN payloads a VTN simulator sends.
// Leaves out: gml service areas, transport interfaces, Green Button payloads.
import { ITEM_BASES } from "./enums";
import { formatDateTime, formatDuration } from "./iso8601";
import { NS_OADR, PREFIXES } from "./names";
import {
  TARGET_TYPES,
  type ActivePeriod, type CancelReportBody, type EiResponse, type EiTarget, type EventBaseline, type EventDescriptor,
  type EventInterval, type EventResponse, type EventSignal, type ItemBase, type LoadControlStateValue, type OadrEvent,
  type OadrInfo, type OadrMessage, type OadrReport, type Period, type QualifiedEventID, type ReportDescription,
  type ReportInterval, type ReportPayload, type ReportRequest,
} from "./types";
import { XmlWriter, type ByteSink } from "./xmlwriter";

export { XmlWriter, type ByteSink } from "./xmlwriter";

export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';
/** The root's start tag; a ds:Signature goes right after it, before the signed object. */
export const PAYLOAD_START = `<oadr:oadrPayload xmlns:oadr="${NS_OADR}">`;
export const PAYLOAD_END = "</oadr:oadrPayload>";

const XMLNS = Object.freeze(PREFIXES.map(([prefix, uri]) => Object.freeze(["xmlns:" + prefix, uri] as const)));

// ------------------------------------------------------------------ values

function dateTime(w: XmlWriter, name: string, ms: number): void {
  w.leaf(name, formatDateTime(ms));
}

function duration(w: XmlWriter, name: string, ms: number): void {
  w.leaf(name, formatDuration(ms));
}

/** xs:float text: shortest round-trip decimal, INF/-INF/NaN. */
export function formatFloat(value: number): string {
  if (typeof value !== "number") throw new TypeError(`expected a number, got ${typeof value}`);
  if (value !== value) return "NaN";
  if (value === Infinity) return "INF";
  if (value === -Infinity) return "-INF";
  return String(value);
}

function float(w: XmlWriter, name: string, value: number): void {
  if (typeof value !== "number") throw new TypeError(`${name}: expected a number, got ${typeof value}`);
  w.leaf(name, formatFloat(value));
}

function uint(w: XmlWriter, name: string, value: number): void {
  if (!(Number.isInteger(value) && value >= 0 && value <= 4294967295)) throw new RangeError(`${name}: not an unsigned 32-bit integer (${value})`);
  w.leaf(name, String(value));
}

function bool(w: XmlWriter, name: string, value: boolean): void {
  if (typeof value !== "boolean") throw new TypeError(`${name}: expected a boolean, got ${typeof value}`);
  w.leaf(name, value ? "true" : "false");
}

/** An xcal:DurationPropType element: <name><xcal:duration>…</xcal:duration></name>. */
function durationProp(w: XmlWriter, name: string, ms: number): void {
  w.start(name);
  duration(w, "xcal:duration", ms);
  w.end(name);
}

function dtstart(w: XmlWriter, ms: number): void {
  w.start("xcal:dtstart");
  dateTime(w, "xcal:date-time", ms);
  w.end("xcal:dtstart");
}

function uid(w: XmlWriter, value: string): void {
  w.start("xcal:uid");
  w.leaf("xcal:text", value);
  w.end("xcal:uid");
}

function payloadFloat(w: XmlWriter, value: number): void {
  w.start("ei:payloadFloat");
  float(w, "ei:value", value);
  w.end("ei:payloadFloat");
}

function period(w: XmlWriter, p: Period): void {
  w.start("xcal:properties");
  dtstart(w, p.dtstart);
  durationProp(w, "xcal:duration", p.duration);
  w.end("xcal:properties");
}

// ------------------------------------------------------------------ shared parts

function eiResponse(w: XmlWriter, r: EiResponse): void {
  w.start("ei:eiResponse");
  w.leaf("ei:responseCode", r.responseCode);
  if (r.responseDescription !== undefined) w.leaf("ei:responseDescription", r.responseDescription);
  w.leaf("pyld:requestID", r.requestID);
  w.end("ei:eiResponse");
}

function qualifiedEventID(w: XmlWriter, q: QualifiedEventID): void {
  w.start("ei:qualifiedEventID");
  w.leaf("ei:eventID", q.eventID);
  uint(w, "ei:modificationNumber", q.modificationNumber);
  w.end("ei:qualifiedEventID");
}

const TARGET_ELEMENTS: Readonly<Record<keyof EiTarget, readonly [string, string]>> = Object.freeze({
  aggregatedPnode: Object.freeze(["power:aggregatedPnode", "power:node"] as const),
  endDeviceAsset: Object.freeze(["power:endDeviceAsset", "power:mrid"] as const),
  meterAsset: Object.freeze(["power:meterAsset", "power:mrid"] as const),
  pnode: Object.freeze(["power:pnode", "power:node"] as const),
  serviceDeliveryPoint: Object.freeze(["power:serviceDeliveryPoint", "power:node"] as const),
  groupID: Object.freeze(["ei:groupID", ""] as const),
  groupName: Object.freeze(["ei:groupName", ""] as const),
  resourceID: Object.freeze(["ei:resourceID", ""] as const),
  venID: Object.freeze(["ei:venID", ""] as const),
  partyID: Object.freeze(["ei:partyID", ""] as const),
});

function eiTarget(w: XmlWriter, name: string, t: EiTarget): void {
  w.start(name);
  for (const type of TARGET_TYPES) {
    const values = t[type];
    if (values === undefined) continue;
    const [outer, inner] = TARGET_ELEMENTS[type];
    for (const value of values) {
      if (inner === "") {
        w.leaf(outer, value);
      } else {
        w.start(outer);
        w.leaf(inner, value);
        w.end(outer);
      }
    }
  }
  w.end(name);
}

function itemBase(w: XmlWriter, item: ItemBase): void {
  const info = ITEM_BASES[item.itemBase];
  if (info === undefined) throw new TypeError(`itemBase: unknown unit element "${item.itemBase}"`);
  const name = info.prefix + ":" + item.itemBase;
  w.start(name);
  w.leaf(info.prefix + ":itemDescription", item.itemDescription);
  w.leaf(info.prefix + ":itemUnits", item.itemUnits);
  if (info.pulseFactor) {
    float(w, "oadr:pulseFactor", item.pulseFactor ?? 1);
  } else {
    w.leaf("scale:siScaleCode", item.siScaleCode ?? "none");
  }
  const pa = item.powerAttributes;
  if (pa !== undefined) {
    w.start("power:powerAttributes");
    float(w, "power:hertz", pa.hertz);
    float(w, "power:voltage", pa.voltage);
    bool(w, "power:ac", pa.ac);
    w.end("power:powerAttributes");
  }
  w.end(name);
}

// ------------------------------------------------------------------ events

function eventDescriptor(w: XmlWriter, d: EventDescriptor): void {
  w.start("ei:eventDescriptor");
  w.leaf("ei:eventID", d.eventID);
  uint(w, "ei:modificationNumber", d.modificationNumber);
  if (d.modificationDateTime !== undefined) dateTime(w, "ei:modificationDateTime", d.modificationDateTime);
  if (d.modificationReason !== undefined) w.leaf("ei:modificationReason", d.modificationReason);
  if (d.priority !== undefined) uint(w, "ei:priority", d.priority);
  w.start("ei:eiMarketContext");
  w.leaf("emix:marketContext", d.marketContext);
  w.end("ei:eiMarketContext");
  dateTime(w, "ei:createdDateTime", d.createdDateTime);
  w.leaf("ei:eventStatus", d.eventStatus);
  if (d.testEvent !== undefined) w.leaf("ei:testEvent", d.testEvent);
  if (d.vtnComment !== undefined) w.leaf("ei:vtnComment", d.vtnComment);
  w.end("ei:eventDescriptor");
}

function activePeriod(w: XmlWriter, p: ActivePeriod): void {
  w.start("ei:eiActivePeriod");
  w.start("xcal:properties");
  dtstart(w, p.dtstart);
  durationProp(w, "xcal:duration", p.duration);
  if (p.startafter !== undefined) {
    w.start("xcal:tolerance");
    w.start("xcal:tolerate");
    duration(w, "xcal:startafter", p.startafter);
    w.end("xcal:tolerate");
    w.end("xcal:tolerance");
  }
  if (p.xEiNotification !== undefined) durationProp(w, "ei:x-eiNotification", p.xEiNotification);
  if (p.xEiRampUp !== undefined) durationProp(w, "ei:x-eiRampUp", p.xEiRampUp);
  if (p.xEiRecovery !== undefined) durationProp(w, "ei:x-eiRecovery", p.xEiRecovery);
  w.end("xcal:properties");
  w.start("xcal:components");
  w.end("xcal:components");
  w.end("ei:eiActivePeriod");
}

function eventIntervals(w: XmlWriter, intervals: readonly EventInterval[]): void {
  w.start("strm:intervals");
  for (const i of intervals) {
    w.start("ei:interval");
    if (i.dtstart !== undefined) dtstart(w, i.dtstart);
    if (i.duration !== undefined) durationProp(w, "xcal:duration", i.duration);
    if (i.uid !== undefined) uid(w, i.uid);
    w.start("ei:signalPayload");
    payloadFloat(w, i.signalPayload);
    w.end("ei:signalPayload");
    w.end("ei:interval");
  }
  w.end("strm:intervals");
}

function eventSignal(w: XmlWriter, s: EventSignal): void {
  w.start("ei:eiEventSignal");
  eventIntervals(w, s.intervals);
  if (s.eiTarget !== undefined) eiTarget(w, "ei:eiTarget", s.eiTarget);
  w.leaf("ei:signalName", s.signalName);
  w.leaf("ei:signalType", s.signalType);
  w.leaf("ei:signalID", s.signalID);
  if (s.itemBase !== undefined) itemBase(w, s.itemBase);
  if (s.currentValue !== undefined) {
    w.start("ei:currentValue");
    payloadFloat(w, s.currentValue);
    w.end("ei:currentValue");
  }
  w.end("ei:eiEventSignal");
}

function eventBaseline(w: XmlWriter, b: EventBaseline): void {
  w.start("ei:eiEventBaseline");
  dtstart(w, b.dtstart);
  durationProp(w, "xcal:duration", b.duration);
  eventIntervals(w, b.intervals);
  w.leaf("ei:baselineID", b.baselineID);
  if (b.resourceID !== undefined) for (const r of b.resourceID) w.leaf("ei:resourceID", r);
  w.leaf("ei:baselineName", b.baselineName);
  if (b.itemBase !== undefined) itemBase(w, b.itemBase);
  w.end("ei:eiEventBaseline");
}

/** One oadr:oadrEvent (the VTN simulator can stream events with this). */
export function oadrEvent(w: XmlWriter, e: OadrEvent): void {
  w.start("oadr:oadrEvent");
  w.start("ei:eiEvent");
  eventDescriptor(w, e.eventDescriptor);
  activePeriod(w, e.eiActivePeriod);
  w.start("ei:eiEventSignals");
  for (const s of e.eiEventSignals) eventSignal(w, s);
  if (e.eiEventBaseline !== undefined) eventBaseline(w, e.eiEventBaseline);
  w.end("ei:eiEventSignals");
  eiTarget(w, "ei:eiTarget", e.eiTarget);
  w.end("ei:eiEvent");
  w.leaf("oadr:oadrResponseRequired", e.oadrResponseRequired);
  w.end("oadr:oadrEvent");
}

function eventResponse(w: XmlWriter, r: EventResponse): void {
  w.start("ei:eventResponse");
  w.leaf("ei:responseCode", r.responseCode);
  if (r.responseDescription !== undefined) w.leaf("ei:responseDescription", r.responseDescription);
  w.leaf("pyld:requestID", r.requestID);
  qualifiedEventID(w, r.qualifiedEventID);
  w.leaf("ei:optType", r.optType);
  w.end("ei:eventResponse");
}

// ------------------------------------------------------------------ reports

function loadControlValue(w: XmlWriter, name: string, v: LoadControlStateValue | undefined): void {
  if (v === undefined) return;
  w.start(name);
  if (v.oadrMin !== undefined) float(w, "oadr:oadrMin", v.oadrMin);
  if (v.oadrMax !== undefined) float(w, "oadr:oadrMax", v.oadrMax);
  float(w, "oadr:oadrCurrent", v.oadrCurrent);
  if (v.oadrNormal !== undefined) float(w, "oadr:oadrNormal", v.oadrNormal);
  w.end(name);
}

function reportPayload(w: XmlWriter, p: ReportPayload): void {
  w.start("oadr:oadrReportPayload");
  w.leaf("ei:rID", p.rID);
  if (p.confidence !== undefined) uint(w, "ei:confidence", p.confidence);
  if (p.accuracy !== undefined) float(w, "ei:accuracy", p.accuracy);
  const status = p.oadrPayloadResourceStatus;
  if (status !== undefined) {
    w.start("oadr:oadrPayloadResourceStatus");
    bool(w, "oadr:oadrOnline", status.oadrOnline);
    bool(w, "oadr:oadrManualOverride", status.oadrManualOverride);
    const lcs = status.oadrLoadControlState;
    if (lcs !== undefined) {
      w.start("oadr:oadrLoadControlState");
      loadControlValue(w, "oadr:oadrCapacity", lcs.oadrCapacity);
      loadControlValue(w, "oadr:oadrLevelOffset", lcs.oadrLevelOffset);
      loadControlValue(w, "oadr:oadrPercentOffset", lcs.oadrPercentOffset);
      loadControlValue(w, "oadr:oadrSetPoint", lcs.oadrSetPoint);
      w.end("oadr:oadrLoadControlState");
    }
    w.end("oadr:oadrPayloadResourceStatus");
  } else if (p.payloadFloat !== undefined) {
    payloadFloat(w, p.payloadFloat);
  } else {
    throw new TypeError(`oadrReportPayload ${p.rID}: needs payloadFloat or oadrPayloadResourceStatus`);
  }
  if (p.oadrDataQuality !== undefined) w.leaf("oadr:oadrDataQuality", p.oadrDataQuality);
  w.end("oadr:oadrReportPayload");
}

function reportInterval(w: XmlWriter, i: ReportInterval): void {
  w.start("ei:interval");
  if (i.dtstart !== undefined) dtstart(w, i.dtstart);
  if (i.duration !== undefined) durationProp(w, "xcal:duration", i.duration);
  if (i.uid !== undefined) uid(w, i.uid);
  for (const p of i.oadrReportPayload) reportPayload(w, p);
  w.end("ei:interval");
}

function reportDescription(w: XmlWriter, d: ReportDescription): void {
  w.start("oadr:oadrReportDescription");
  w.leaf("ei:rID", d.rID);
  if (d.reportSubject !== undefined) eiTarget(w, "ei:reportSubject", d.reportSubject);
  if (d.reportDataSource !== undefined) eiTarget(w, "ei:reportDataSource", d.reportDataSource);
  w.leaf("ei:reportType", d.reportType);
  if (d.itemBase !== undefined) itemBase(w, d.itemBase);
  w.leaf("ei:readingType", d.readingType);
  if (d.marketContext !== undefined) w.leaf("emix:marketContext", d.marketContext);
  const rate = d.oadrSamplingRate;
  if (rate !== undefined) {
    w.start("oadr:oadrSamplingRate");
    duration(w, "oadr:oadrMinPeriod", rate.oadrMinPeriod);
    duration(w, "oadr:oadrMaxPeriod", rate.oadrMaxPeriod);
    bool(w, "oadr:oadrOnChange", rate.oadrOnChange);
    w.end("oadr:oadrSamplingRate");
  }
  w.end("oadr:oadrReportDescription");
}

function oadrReport(w: XmlWriter, r: OadrReport): void {
  w.start("oadr:oadrReport");
  if (r.dtstart !== undefined) dtstart(w, r.dtstart);
  if (r.duration !== undefined) durationProp(w, "xcal:duration", r.duration);
  if (r.intervals.length > 0) {
    w.start("strm:intervals");
    for (const i of r.intervals) reportInterval(w, i);
    w.end("strm:intervals");
  }
  if (r.eiReportID !== undefined) w.leaf("ei:eiReportID", r.eiReportID);
  for (const d of r.oadrReportDescription) reportDescription(w, d);
  w.leaf("ei:reportRequestID", r.reportRequestID);
  w.leaf("ei:reportSpecifierID", r.reportSpecifierID);
  if (r.reportName !== undefined) w.leaf("ei:reportName", r.reportName);
  dateTime(w, "ei:createdDateTime", r.createdDateTime);
  w.end("oadr:oadrReport");
}

function reportRequest(w: XmlWriter, r: ReportRequest): void {
  w.start("oadr:oadrReportRequest");
  w.leaf("ei:reportRequestID", r.reportRequestID);
  const s = r.reportSpecifier;
  w.start("ei:reportSpecifier");
  w.leaf("ei:reportSpecifierID", s.reportSpecifierID);
  durationProp(w, "xcal:granularity", s.granularity);
  durationProp(w, "ei:reportBackDuration", s.reportBackDuration);
  if (s.reportInterval !== undefined) {
    w.start("ei:reportInterval");
    period(w, s.reportInterval);
    w.end("ei:reportInterval");
  }
  for (const p of s.specifierPayload) {
    w.start("ei:specifierPayload");
    w.leaf("ei:rID", p.rID);
    if (p.itemBase !== undefined) itemBase(w, p.itemBase);
    w.leaf("ei:readingType", p.readingType);
    w.end("ei:specifierPayload");
  }
  w.end("ei:reportSpecifier");
  w.end("oadr:oadrReportRequest");
}

function pendingReports(w: XmlWriter, ids: readonly string[]): void {
  w.start("oadr:oadrPendingReports");
  for (const id of ids) w.leaf("ei:reportRequestID", id);
  w.end("oadr:oadrPendingReports");
}

function cancelReportBody(w: XmlWriter, m: CancelReportBody): void {
  w.leaf("pyld:requestID", m.requestID);
  if (m.reportRequestID.length === 0) throw new TypeError("oadrCancelReport: needs at least one reportRequestID");
  for (const id of m.reportRequestID) w.leaf("ei:reportRequestID", id);
  bool(w, "pyld:reportToFollow", m.reportToFollow);
  if (m.venID !== undefined) w.leaf("ei:venID", m.venID);
}

function info(w: XmlWriter, items: readonly OadrInfo[]): void {
  for (const i of items) {
    w.start("oadr:oadrInfo");
    w.leaf("oadr:oadrKey", i.oadrKey);
    w.leaf("oadr:oadrValue", i.oadrValue);
    w.end("oadr:oadrInfo");
  }
}

const venID = (w: XmlWriter, id: string | undefined): void => { if (id !== undefined) w.leaf("ei:venID", id); };

// ------------------------------------------------------------------ message templates (content only)

type Template<T extends OadrMessage["type"]> = (w: XmlWriter, m: Extract<OadrMessage, { type: T }>) => void;

/** One template per payload, named as in the schema: writes the message element's content. */
export const TEMPLATES: { readonly [T in OadrMessage["type"]]: Template<T> } = Object.freeze({
  oadrQueryRegistration(w, m) {
    w.leaf("pyld:requestID", m.requestID);
  },
  oadrCreatePartyRegistration(w, m) {
    w.leaf("pyld:requestID", m.requestID);
    if (m.registrationID !== undefined) w.leaf("ei:registrationID", m.registrationID);
    venID(w, m.venID);
    w.leaf("oadr:oadrProfileName", m.oadrProfileName);
    w.leaf("oadr:oadrTransportName", m.oadrTransportName);
    if (m.oadrTransportAddress !== undefined) w.leaf("oadr:oadrTransportAddress", m.oadrTransportAddress);
    bool(w, "oadr:oadrReportOnly", m.oadrReportOnly);
    bool(w, "oadr:oadrXmlSignature", m.oadrXmlSignature);
    if (m.oadrVenName !== undefined) w.leaf("oadr:oadrVenName", m.oadrVenName);
    if (m.oadrHttpPullModel !== undefined) bool(w, "oadr:oadrHttpPullModel", m.oadrHttpPullModel);
  },
  oadrCreatedPartyRegistration(w, m) {
    eiResponse(w, m.eiResponse);
    if (m.registrationID !== undefined) w.leaf("ei:registrationID", m.registrationID);
    venID(w, m.venID);
    w.leaf("ei:vtnID", m.vtnID);
    w.start("oadr:oadrProfiles");
    for (const p of m.oadrProfiles) {
      w.start("oadr:oadrProfile");
      w.leaf("oadr:oadrProfileName", p.oadrProfileName);
      w.start("oadr:oadrTransports");
      for (const t of p.oadrTransports) {
        w.start("oadr:oadrTransport");
        w.leaf("oadr:oadrTransportName", t);
        w.end("oadr:oadrTransport");
      }
      w.end("oadr:oadrTransports");
      w.end("oadr:oadrProfile");
    }
    w.end("oadr:oadrProfiles");
    if (m.oadrRequestedOadrPollFreq !== undefined) durationProp(w, "oadr:oadrRequestedOadrPollFreq", m.oadrRequestedOadrPollFreq);
    if (m.oadrServiceSpecificInfo !== undefined) {
      w.start("oadr:oadrServiceSpecificInfo");
      for (const s of m.oadrServiceSpecificInfo) {
        w.start("oadr:oadrService");
        w.leaf("oadr:oadrServiceName", s.oadrServiceName);
        info(w, s.oadrInfo);
        w.end("oadr:oadrService");
      }
      w.end("oadr:oadrServiceSpecificInfo");
    }
    if (m.oadrExtensions !== undefined) {
      w.start("oadr:oadrExtensions");
      for (const x of m.oadrExtensions) {
        w.start("oadr:oadrExtension");
        w.leaf("oadr:oadrExtensionName", x.oadrExtensionName);
        info(w, x.oadrInfo);
        w.end("oadr:oadrExtension");
      }
      w.end("oadr:oadrExtensions");
    }
  },
  oadrCancelPartyRegistration(w, m) {
    w.leaf("pyld:requestID", m.requestID);
    w.leaf("ei:registrationID", m.registrationID);
    venID(w, m.venID);
  },
  oadrCanceledPartyRegistration(w, m) {
    eiResponse(w, m.eiResponse);
    if (m.registrationID !== undefined) w.leaf("ei:registrationID", m.registrationID);
    venID(w, m.venID);
  },
  oadrRequestReregistration(w, m) {
    w.leaf("ei:venID", m.venID);
  },
  oadrResponse(w, m) {
    eiResponse(w, m.eiResponse);
    venID(w, m.venID);
  },
  oadrPoll(w, m) {
    w.leaf("ei:venID", m.venID);
  },
  oadrRequestEvent(w, m) {
    w.start("pyld:eiRequestEvent");
    w.leaf("pyld:requestID", m.requestID);
    w.leaf("ei:venID", m.venID);
    if (m.replyLimit !== undefined) uint(w, "pyld:replyLimit", m.replyLimit);
    w.end("pyld:eiRequestEvent");
  },
  oadrDistributeEvent(w, m) {
    if (m.eiResponse !== undefined) eiResponse(w, m.eiResponse);
    w.leaf("pyld:requestID", m.requestID);
    w.leaf("ei:vtnID", m.vtnID);
    if (m.events !== undefined) for (const e of m.events) oadrEvent(w, e);
  },
  oadrCreatedEvent(w, m) {
    w.start("pyld:eiCreatedEvent");
    eiResponse(w, m.eiResponse);
    if (m.eventResponses.length > 0) {
      w.start("ei:eventResponses");
      for (const r of m.eventResponses) eventResponse(w, r);
      w.end("ei:eventResponses");
    }
    w.leaf("ei:venID", m.venID);
    w.end("pyld:eiCreatedEvent");
  },
  oadrRegisterReport(w, m) {
    w.leaf("pyld:requestID", m.requestID);
    for (const r of m.oadrReport) oadrReport(w, r);
    venID(w, m.venID);
    if (m.reportRequestID !== undefined) w.leaf("ei:reportRequestID", m.reportRequestID);
  },
  oadrRegisteredReport(w, m) {
    eiResponse(w, m.eiResponse);
    for (const r of m.oadrReportRequest) reportRequest(w, r);
    venID(w, m.venID);
  },
  oadrCreateReport(w, m) {
    w.leaf("pyld:requestID", m.requestID);
    if (m.oadrReportRequest.length === 0) throw new TypeError("oadrCreateReport: needs at least one oadrReportRequest");
    for (const r of m.oadrReportRequest) reportRequest(w, r);
    venID(w, m.venID);
  },
  oadrCreatedReport(w, m) {
    eiResponse(w, m.eiResponse);
    pendingReports(w, m.oadrPendingReports);
    venID(w, m.venID);
  },
  oadrUpdateReport(w, m) {
    w.leaf("pyld:requestID", m.requestID);
    for (const r of m.oadrReport) oadrReport(w, r);
    venID(w, m.venID);
  },
  oadrUpdatedReport(w, m) {
    eiResponse(w, m.eiResponse);
    if (m.oadrCancelReport !== undefined) {
      w.start("oadr:oadrCancelReport");
      cancelReportBody(w, m.oadrCancelReport);
      w.end("oadr:oadrCancelReport");
    }
    venID(w, m.venID);
  },
  oadrCancelReport(w, m) {
    cancelReportBody(w, m);
  },
  oadrCanceledReport(w, m) {
    eiResponse(w, m.eiResponse);
    pendingReports(w, m.oadrPendingReports);
    venID(w, m.venID);
  },
  oadrCreateOpt(w, m) {
    w.leaf("ei:optID", m.optID);
    w.leaf("ei:optType", m.optType);
    w.leaf("ei:optReason", m.optReason);
    if (m.marketContext !== undefined) w.leaf("emix:marketContext", m.marketContext);
    w.leaf("ei:venID", m.venID);
    if (m.vavailability !== undefined) {
      w.start("xcal:vavailability");
      w.start("xcal:components");
      for (const p of m.vavailability) {
        w.start("xcal:available");
        period(w, p);
        w.end("xcal:available");
      }
      w.end("xcal:components");
      w.end("xcal:vavailability");
    }
    dateTime(w, "ei:createdDateTime", m.createdDateTime);
    w.leaf("pyld:requestID", m.requestID);
    if (m.qualifiedEventID !== undefined) qualifiedEventID(w, m.qualifiedEventID);
    eiTarget(w, "ei:eiTarget", m.eiTarget);
    if (m.oadrDeviceClass !== undefined) eiTarget(w, "oadr:oadrDeviceClass", m.oadrDeviceClass);
  },
  oadrCreatedOpt(w, m) {
    eiResponse(w, m.eiResponse);
    w.leaf("ei:optID", m.optID);
  },
  oadrCancelOpt(w, m) {
    w.leaf("pyld:requestID", m.requestID);
    w.leaf("ei:optID", m.optID);
    w.leaf("ei:venID", m.venID);
  },
  oadrCanceledOpt(w, m) {
    eiResponse(w, m.eiResponse);
    if (m.optID !== undefined) w.leaf("ei:optID", m.optID);
  },
});

// ------------------------------------------------------------------ entry points

/**
 * Writes `<oadr:oadrSignedObject …>message</oadr:oadrSignedObject>` — the part a signature covers —
 * through `w` (not flushed).
 */
export function writeSignedObject(w: XmlWriter, message: OadrMessage): void {
  const template = TEMPLATES[message?.type] as ((w: XmlWriter, m: OadrMessage) => void) | undefined;
  if (template === undefined) throw new TypeError(`encode: unknown message type "${(message as { type?: unknown })?.type}"`);
  w.start("oadr:oadrSignedObject");
  for (const [name, uri] of XMLNS) w.attribute(name, uri);
  w.attribute("oadr:Id", "oadrSignedObject");
  const name = "oadr:" + message.type;
  w.start(name);
  w.attribute("ei:schemaVersion", "2.0b");
  template(w, message);
  w.end(name);
  w.end("oadr:oadrSignedObject");
}

export interface EncodeOptions {
  /** Writer buffer size (default 1024): the sink receives pieces of at most this size. */
  bufferSize?: number;
}

/** Writes the whole payload (declaration, oadrPayload, signed object) to `sink` in pieces. */
export function encodeMessage(message: OadrMessage, sink: ByteSink, options: EncodeOptions = {}): void {
  const w = new XmlWriter({ sink, bufferSize: options.bufferSize });
  w.raw(XML_DECLARATION);
  w.raw(PAYLOAD_START);
  writeSignedObject(w, message);
  w.raw(PAYLOAD_END);
  w.flush();
}

/** Writes only the signed object (for a signing step: hash these bytes as they are). */
export function encodeSignedObject(message: OadrMessage, sink: ByteSink, options: EncodeOptions = {}): void {
  const w = new XmlWriter({ sink, bufferSize: options.bufferSize });
  writeSignedObject(w, message);
  w.flush();
}

/** The whole payload as one Uint8Array of exactly its size. A message that fits the writer's buffer
 *  (an oadrPoll, most answers) is one flush: its copy is the result. A longer one takes a second pass
 *  (the first only counts), so the transient memory is the message plus the writer's buffer, not twice
 *  the message (pieces + joined). */
export function encodeToBytes(message: OadrMessage, options: EncodeOptions = {}): Uint8Array {
  let total = 0;
  let pieces = 0;
  let first: Uint8Array | undefined;
  encodeMessage(message, (bytes) => {
    // a view of this encode's own writer buffer, which nothing writes to after the last flush: copied
    // only if it turns out to be the whole message
    if (pieces++ === 0) first = bytes;
    total += bytes.length;
  }, options);
  if (pieces === 1) return first!.slice();
  const out = new Uint8Array(total);
  let at = 0;
  encodeMessage(message, (bytes) => {
    if (at + bytes.length > total) throw new Error("encodeToBytes: the message changed while it was encoded");
    out.set(bytes, at);
    at += bytes.length;
  }, options);
  if (at !== total) throw new Error("encodeToBytes: the message changed while it was encoded");
  return out;
}
