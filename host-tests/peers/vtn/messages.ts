// VTN→VEN message templates for the simulator, shaped like the captured OpenLEADR VTN traffic in
// fixtures/openadr/session/ (oadrPayload + oadrSignedObject wrapper, icalendar namespaces, microsecond
// timestamps). Independent of the firmware encoders on purpose: the simulator checks the VEN's codec,
// it must not share its bugs. Every interpolated value is escaped. Leaves out: XML signatures.
import { escapeXml as x, isoDateTime, isoDuration } from "./xml.ts";

export const NS = Object.freeze({
  oadr: "http://openadr.org/oadr-2.0b/2012/07",
  ei: "http://docs.oasis-open.org/ns/energyinterop/201110",
  pyld: "http://docs.oasis-open.org/ns/energyinterop/201110/payloads",
  emix: "http://docs.oasis-open.org/ns/emix/2011/06",
  xcal: "urn:ietf:params:xml:ns:icalendar-2.0",
  strm: "urn:ietf:params:xml:ns:icalendar-2.0:stream",
  power: "http://docs.oasis-open.org/ns/emix/2011/06/power",
  scale: "http://docs.oasis-open.org/ns/emix/2011/06/siscale",
});

export type EventStatus = "none" | "far" | "near" | "active" | "completed" | "cancelled";

export interface SimInterval {
  /** Milliseconds. */
  duration: number;
  value: number;
  uid?: string;
}

export interface SimSignal {
  name: string;
  type: string;
  id: string;
  intervals: SimInterval[];
  currentValue?: number;
  /** Raw itemBase XML (e.g. a power:powerReal element), inserted as is. */
  itemBaseXml?: string;
}

export interface SimTargets {
  venID?: string[];
  resourceID?: string[];
  groupID?: string[];
  partyID?: string[];
}

export interface SimEvent {
  eventID: string;
  modificationNumber: number;
  modificationReason?: string;
  priority?: number;
  marketContext?: string;
  /** Explicit status; when absent the simulator derives far/near/active/completed from its clock. */
  status?: EventStatus;
  testEvent?: boolean | string;
  vtnComment?: string;
  /** Milliseconds since epoch. */
  dtstart: number;
  /** Milliseconds; 0 = open-ended. */
  duration: number;
  startafter?: number;
  notification?: number;
  rampUp?: number;
  recovery?: number;
  signals: SimSignal[];
  targets?: SimTargets;
  responseRequired?: "always" | "never";
  createdDateTime?: number;
  modificationDateTime?: number;
  /** Write a dtstart inside each interval (as OpenLEADR does for some events). */
  intervalDtstart?: boolean;
}

export interface SimReportRequest {
  reportRequestID: string;
  reportSpecifierID: string;
  /** Milliseconds. 0 = one sample per report. */
  granularity: number;
  /** Milliseconds. 0 = one-shot. */
  reportBackDuration: number;
  rIDs: string[];
  readingType?: string;
  /** Overall reporting period; duration 0 = one-shot, absent = until cancelled. */
  reportInterval?: { dtstart: number; duration: number };
}

function payload(body: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<oadr:oadrPayload xmlns:oadr="${NS.oadr}">\n<oadr:oadrSignedObject xmlns:oadr="${NS.oadr}" oadr:Id="oadrSignedObject">${body}</oadr:oadrSignedObject>\n</oadr:oadrPayload>\n`;
}

function open(type: string, extraNs = ""): string {
  return `<oadr:${type} ei:schemaVersion="2.0b" xmlns:ei="${NS.ei}"${extraNs}>`;
}

const requestId = (id: string | undefined) =>
  id === undefined || id === "" ? `<requestID xmlns="${NS.pyld}" />` : `<requestID xmlns="${NS.pyld}">${x(id)}</requestID>`;

export function eiResponse(code: number, description: string, requestID?: string): string {
  return `<ei:eiResponse><ei:responseCode>${code}</ei:responseCode><ei:responseDescription>${x(description)}</ei:responseDescription>${requestId(requestID)}</ei:eiResponse>`;
}

const duration = (ms: number) => `<duration xmlns="${NS.xcal}">${isoDuration(ms)}</duration>`;

export function oadrResponse(code: number, description: string, requestID: string | undefined, venID: string | undefined): string {
  return payload(`${open("oadrResponse")}${eiResponse(code, description, requestID)}${venID ? `<ei:venID>${x(venID)}</ei:venID>` : ""}</oadr:oadrResponse>`);
}

export function oadrCreatedPartyRegistration(o: { code?: number; description?: string; requestID: string; registrationID?: string; venID?: string; vtnID: string; pollFreq: number }): string {
  const reg = o.registrationID ? `<ei:registrationID>${x(o.registrationID)}</ei:registrationID>` : "<ei:registrationID />";
  const ven = o.venID ? `<ei:venID>${x(o.venID)}</ei:venID>` : "<ei:venID />";
  return payload(`${open("oadrCreatedPartyRegistration")}${eiResponse(o.code ?? 200, o.description ?? "OK", o.requestID)}${reg}${ven}<ei:vtnID>${x(o.vtnID)}</ei:vtnID>` +
    `<oadr:oadrProfiles><oadr:oadrProfile><oadr:oadrProfileName>2.0b</oadr:oadrProfileName><oadr:oadrTransports><oadr:oadrTransport><oadr:oadrTransportName>simpleHttp</oadr:oadrTransportName></oadr:oadrTransport></oadr:oadrTransports></oadr:oadrProfile></oadr:oadrProfiles>` +
    `<oadr:oadrRequestedOadrPollFreq>${duration(o.pollFreq)}</oadr:oadrRequestedOadrPollFreq></oadr:oadrCreatedPartyRegistration>`);
}

export function oadrCanceledPartyRegistration(o: { requestID: string; registrationID: string; venID: string; code?: number }): string {
  return payload(`${open("oadrCanceledPartyRegistration")}${eiResponse(o.code ?? 200, "OK", o.requestID)}<ei:registrationID>${x(o.registrationID)}</ei:registrationID><ei:venID>${x(o.venID)}</ei:venID></oadr:oadrCanceledPartyRegistration>`);
}

export function oadrCancelPartyRegistration(o: { requestID: string; registrationID: string; venID: string }): string {
  return payload(`${open("oadrCancelPartyRegistration")}${requestId(o.requestID)}<ei:registrationID>${x(o.registrationID)}</ei:registrationID><ei:venID>${x(o.venID)}</ei:venID></oadr:oadrCancelPartyRegistration>`);
}

export function oadrRequestReregistration(o: { venID: string }): string {
  return payload(`${open("oadrRequestReregistration")}<ei:venID>${x(o.venID)}</ei:venID></oadr:oadrRequestReregistration>`);
}

function targetsXml(t: SimTargets | undefined): string {
  if (!t) return "<ei:eiTarget />";
  let out = "<ei:eiTarget>";
  for (const g of t.groupID ?? []) out += `<ei:groupID>${x(g)}</ei:groupID>`;
  for (const p of t.partyID ?? []) out += `<ei:partyID>${x(p)}</ei:partyID>`;
  for (const r of t.resourceID ?? []) out += `<ei:resourceID>${x(r)}</ei:resourceID>`;
  for (const v of t.venID ?? []) out += `<ei:venID>${x(v)}</ei:venID>`;
  return out + "</ei:eiTarget>";
}

function signalXml(s: SimSignal, e: SimEvent): string {
  let at = e.dtstart;
  let intervals = "";
  s.intervals.forEach((interval, i) => {
    const dtstart = e.intervalDtstart ? `<xcal:dtstart><xcal:date-time>${isoDateTime(at)}</xcal:date-time></xcal:dtstart>` : "";
    intervals += `<ei:interval>${dtstart}<xcal:duration><xcal:duration>${isoDuration(interval.duration)}</xcal:duration></xcal:duration>` +
      `<uid xmlns="${NS.xcal}"><text>${x(interval.uid ?? String(i))}</text></uid>` +
      `<ei:signalPayload><ei:payloadFloat><ei:value>${interval.value}</ei:value></ei:payloadFloat></ei:signalPayload></ei:interval>`;
    at += interval.duration;
  });
  const current = s.currentValue === undefined ? "" : `<ei:currentValue><ei:payloadFloat><ei:value>${s.currentValue}</ei:value></ei:payloadFloat></ei:currentValue>`;
  return `<ei:eiEventSignal><strm:intervals xmlns:strm="${NS.strm}" xmlns:xcal="${NS.xcal}">${intervals}</strm:intervals>` +
    `<ei:signalName>${x(s.name)}</ei:signalName><ei:signalType>${x(s.type)}</ei:signalType><ei:signalID>${x(s.id)}</ei:signalID>${s.itemBaseXml ?? ""}${current}</ei:eiEventSignal>`;
}

export function eventXml(e: SimEvent, status: EventStatus, now: number): string {
  const created = e.createdDateTime ?? now;
  const test = e.testEvent === undefined ? "false" : String(e.testEvent);
  const window = (name: string, ms: number | undefined) => (ms === undefined ? "" : `<ei:${name}>${duration(ms)}</ei:${name}>`);
  const tolerance = e.startafter === undefined ? "" : `<tolerance xmlns="${NS.xcal}"><tolerate><startafter>${isoDuration(e.startafter)}</startafter></tolerate></tolerance>`;
  return `<oadr:oadrEvent><ei:eiEvent><ei:eventDescriptor><ei:eventID>${x(e.eventID)}</ei:eventID><ei:modificationNumber>${e.modificationNumber}</ei:modificationNumber>` +
    `<ei:modificationDateTime>${isoDateTime(e.modificationDateTime ?? created)}</ei:modificationDateTime>` +
    (e.modificationReason ? `<ei:modificationReason>${x(e.modificationReason)}</ei:modificationReason>` : "") +
    `<ei:priority>${e.priority ?? 0}</ei:priority><ei:eiMarketContext><marketContext xmlns="${NS.emix}">${x(e.marketContext ?? "http://MarketContext1")}</marketContext></ei:eiMarketContext>` +
    `<ei:createdDateTime>${isoDateTime(created)}</ei:createdDateTime><ei:eventStatus>${status}</ei:eventStatus><ei:testEvent>${x(test)}</ei:testEvent>` +
    (e.vtnComment ? `<ei:vtnComment>${x(e.vtnComment)}</ei:vtnComment>` : "") + `</ei:eventDescriptor>` +
    `<ei:eiActivePeriod><properties xmlns="${NS.xcal}"><dtstart><date-time>${isoDateTime(e.dtstart)}</date-time></dtstart><duration>${duration(e.duration)}</duration>${tolerance}` +
    window("x-eiNotification", e.notification) + window("x-eiRampUp", e.rampUp) + window("x-eiRecovery", e.recovery) +
    `</properties><components xmlns="${NS.xcal}" /></ei:eiActivePeriod>` +
    `<ei:eiEventSignals>${e.signals.map((s) => signalXml(s, e)).join("")}</ei:eiEventSignals>${targetsXml(e.targets)}</ei:eiEvent>` +
    `<oadr:oadrResponseRequired>${e.responseRequired ?? "always"}</oadr:oadrResponseRequired></oadr:oadrEvent>`;
}

export function oadrDistributeEvent(o: { requestID: string; responseRequestID?: string; vtnID: string; events: Array<{ event: SimEvent; status: EventStatus }>; now: number }): string {
  return payload(`${open("oadrDistributeEvent")}${eiResponse(200, "OK", o.responseRequestID ?? "None")}${requestId(o.requestID)}<ei:vtnID>${x(o.vtnID)}</ei:vtnID>` +
    o.events.map(({ event, status }) => eventXml(event, status, o.now)).join("") + `</oadr:oadrDistributeEvent>`);
}

function reportRequestXml(r: SimReportRequest): string {
  const interval = r.reportInterval
    ? `<ei:reportInterval><xcal:properties><xcal:dtstart><xcal:date-time>${isoDateTime(r.reportInterval.dtstart)}</xcal:date-time></xcal:dtstart><xcal:duration><xcal:duration>${isoDuration(r.reportInterval.duration)}</xcal:duration></xcal:duration></xcal:properties></ei:reportInterval>`
    : "";
  return `<oadr:oadrReportRequest><ei:reportRequestID>${x(r.reportRequestID)}</ei:reportRequestID><ei:reportSpecifier xmlns:xcal="${NS.xcal}"><ei:reportSpecifierID>${x(r.reportSpecifierID)}</ei:reportSpecifierID>` +
    `<xcal:granularity><xcal:duration>${isoDuration(r.granularity)}</xcal:duration></xcal:granularity><ei:reportBackDuration><xcal:duration>${isoDuration(r.reportBackDuration)}</xcal:duration></ei:reportBackDuration>${interval}` +
    r.rIDs.map((rID) => `<ei:specifierPayload><ei:rID>${x(rID)}</ei:rID><ei:readingType>${x(r.readingType ?? "Direct Read")}</ei:readingType></ei:specifierPayload>`).join("") +
    `</ei:reportSpecifier></oadr:oadrReportRequest>`;
}

export function oadrRegisteredReport(o: { requestID: string; venID: string; requests: SimReportRequest[]; code?: number }): string {
  return payload(`${open("oadrRegisteredReport")}${eiResponse(o.code ?? 200, "OK", o.requestID)}${o.requests.map(reportRequestXml).join("")}<ei:venID>${x(o.venID)}</ei:venID></oadr:oadrRegisteredReport>`);
}

export function oadrCreateReport(o: { requestID: string; venID: string; requests: SimReportRequest[] }): string {
  return payload(`${open("oadrCreateReport")}${requestId(o.requestID)}${o.requests.map(reportRequestXml).join("")}<ei:venID>${x(o.venID)}</ei:venID></oadr:oadrCreateReport>`);
}

export function oadrCancelReport(o: { requestID: string; venID: string; reportRequestIDs: string[]; reportToFollow: boolean }): string {
  return payload(`${open("oadrCancelReport")}${requestId(o.requestID)}${o.reportRequestIDs.map((id) => `<ei:reportRequestID>${x(id)}</ei:reportRequestID>`).join("")}` +
    `<reportToFollow xmlns="${NS.pyld}">${o.reportToFollow}</reportToFollow><ei:venID>${x(o.venID)}</ei:venID></oadr:oadrCancelReport>`);
}

/** A VTN-initiated oadrRegisterReport (the VTN's own metadata; none here). */
export function oadrRegisterReport(o: { requestID: string; venID: string }): string {
  return payload(`${open("oadrRegisterReport")}${requestId(o.requestID)}<ei:venID>${x(o.venID)}</ei:venID></oadr:oadrRegisterReport>`);
}

export function oadrUpdatedReport(o: { requestID: string; venID: string; code?: number }): string {
  return payload(`${open("oadrUpdatedReport")}${eiResponse(o.code ?? 200, "OK", o.requestID)}<ei:venID>${x(o.venID)}</ei:venID></oadr:oadrUpdatedReport>`);
}

export function oadrCreatedOpt(o: { requestID: string; optID: string; code?: number }): string {
  return payload(`${open("oadrCreatedOpt")}${eiResponse(o.code ?? 200, "OK", o.requestID)}<ei:optID>${x(o.optID)}</ei:optID></oadr:oadrCreatedOpt>`);
}

export function oadrCanceledOpt(o: { requestID: string; optID: string; code?: number }): string {
  return payload(`${open("oadrCanceledOpt")}${eiResponse(o.code ?? 200, "OK", o.requestID)}<ei:optID>${x(o.optID)}</ei:optID></oadr:oadrCanceledOpt>`);
}
