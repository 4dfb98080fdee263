// Typed OpenADR 2.0b messages: one interface per payload of oadr_20b.xsd, fields named as the schema's
// elements. Ids and codes stay strings; numbers only where the schema has a numeric type
// (modificationNumber, priority, payload values, confidence, accuracy, hertz, voltage, replyLimit …);
// xs:boolean → boolean; date-times → ms since the epoch (UTC); durations → ms (see iso8601.ts).
// Optional elements are absent properties (never `undefined` values), repeated ones are arrays.
// Leaves out: gml service areas, transport interfaces, Green Button payloads (skipped when decoding).
import type {
  EventStatus, ItemBaseName, OptReason, OptType, ReadingType, ReportName, ReportType, ResponseRequired,
  SignalName, SignalType, SiScaleCode,
} from "./enums";

/** ms since 1970-01-01T00:00:00Z. */
export type DateTime = number;
/** ms; negative for `-P…`. */
export type Duration = number;

// ---------------------------------------------------------------- shared parts

export interface EiResponse {
  /** Three digits, e.g. "200" (see enums.ts RESPONSE_CODES). */
  responseCode: string;
  responseDescription?: string;
  /** May be "" (`<requestID/>`) or the literal "None" in real traffic: kept as received. */
  requestID: string;
}

export interface QualifiedEventID {
  eventID: string;
  modificationNumber: number;
}

/** ei:EiTargetType, grouped by type (OpenLEADR's targets_by_type). Assets and nodes hold their mrid/node text. */
export interface EiTarget {
  aggregatedPnode?: string[];
  endDeviceAsset?: string[];
  meterAsset?: string[];
  pnode?: string[];
  serviceDeliveryPoint?: string[];
  groupID?: string[];
  groupName?: string[];
  resourceID?: string[];
  venID?: string[];
  partyID?: string[];
}
export type TargetType = keyof EiTarget;
/** Target kinds in schema order (the order the encoder writes and `targets` lists them). */
export const TARGET_TYPES: readonly TargetType[] = Object.freeze([
  "aggregatedPnode", "endDeviceAsset", "meterAsset", "pnode", "serviceDeliveryPoint", "groupID",
  "groupName", "resourceID", "venID", "partyID",
] as const);

/** One target of an event, as a flat list entry (OpenLEADR's targets). */
export interface Target {
  type: TargetType;
  value: string;
}

export interface PowerAttributes {
  hertz: number;
  voltage: number;
  ac: boolean;
}

/** A unit (emix:itemBase member): power, energy, voltage, current, currency, custom … */
export interface ItemBase {
  /** The element name: "powerReal", "energyReal", "voltage", "current", "customUnit", … */
  itemBase: ItemBaseName;
  itemDescription: string;
  itemUnits: string;
  siScaleCode?: SiScaleCode;
  powerAttributes?: PowerAttributes;
  /** pulseCount only. */
  pulseFactor?: number;
}

/** An xcal properties block reduced to what 2.0b uses outside events: a start and a length. */
export interface Period {
  dtstart: DateTime;
  duration: Duration;
}

// ---------------------------------------------------------------- events

export interface EventDescriptor {
  eventID: string;
  modificationNumber: number;
  modificationDateTime?: DateTime;
  modificationReason?: string;
  /** Lower is higher priority; 0 = none given. */
  priority?: number;
  /** From ei:eiMarketContext/emix:marketContext. */
  marketContext: string;
  createdDateTime: DateTime;
  eventStatus: EventStatus;
  /** Free text in 2.0b: anything other than "false" is a test (enums.ts isTestEvent). */
  testEvent?: string;
  vtnComment?: string;
}

/** ei:eiActivePeriod: xcal properties. duration 0 = open-ended. */
export interface ActivePeriod {
  dtstart: DateTime;
  duration: Duration;
  /** tolerance/tolerate/startafter: randomise the start within [0, startafter]. */
  startafter?: Duration;
  xEiNotification?: Duration;
  xEiRampUp?: Duration;
  xEiRecovery?: Duration;
}

export interface EventInterval {
  dtstart?: DateTime;
  duration?: Duration;
  /** xcal:uid/xcal:text: a string ("0", "1", …). */
  uid?: string;
  /** signalPayload/payloadFloat/value. */
  signalPayload: number;
}

/**
 * The intervals of an event signal or baseline as columns (OadrDecoder option `intervalColumns`): row k
 * is interval k in document order. 16 bytes an interval (24 with dtstart) instead of an object, a uid
 * string and an array slot each (≈180 bytes an interval on the host, ≈90 on the ESP32).
 */
export interface IntervalColumns {
  length: number;
  /** xcal:duration in ms; NaN where absent. */
  duration: Float64Array;
  /** signalPayload/payloadFloat/value. */
  value: Float64Array;
  /** xcal:dtstart in ms; NaN where absent. Present only when some interval has one. */
  dtstart?: Float64Array;
  /** xcal:uid/xcal:text. Present only when some uid is not String(k) (absent uids are then undefined). */
  uid?: (string | undefined)[];
}

export interface EventSignal {
  /** Empty (a shared frozen array) when the decoder ran with `intervalColumns`: see `columns`. */
  intervals: EventInterval[];
  columns?: IntervalColumns;
  eiTarget?: EiTarget;
  signalName: SignalName;
  signalType: SignalType;
  signalID: string;
  itemBase?: ItemBase;
  /** currentValue/payloadFloat/value. */
  currentValue?: number;
}

export interface EventBaseline {
  dtstart: DateTime;
  duration: Duration;
  /** Empty (a shared frozen array) when the decoder ran with `intervalColumns`: see `columns`. */
  intervals: EventInterval[];
  columns?: IntervalColumns;
  baselineID: string;
  resourceID?: string[];
  baselineName: string;
  itemBase?: ItemBase;
}

/** oadrEvent: ei:eiEvent plus oadrResponseRequired. */
export interface OadrEvent {
  eventDescriptor: EventDescriptor;
  eiActivePeriod: ActivePeriod;
  eiEventSignals: EventSignal[];
  eiEventBaseline?: EventBaseline;
  /** Targets grouped by type (the ei:eiTarget element). */
  eiTarget: EiTarget;
  /** The same targets as a list, in schema order. */
  targets: Target[];
  oadrResponseRequired: ResponseRequired;
}

export interface EventResponse {
  responseCode: string;
  responseDescription?: string;
  /** The requestID of the oadrDistributeEvent being answered. */
  requestID: string;
  qualifiedEventID: QualifiedEventID;
  optType: OptType;
}

// ---------------------------------------------------------------- reports

export interface SamplingRate {
  oadrMinPeriod: Duration;
  oadrMaxPeriod: Duration;
  oadrOnChange: boolean;
}

export interface ReportDescription {
  rID: string;
  reportSubject?: EiTarget;
  reportDataSource?: EiTarget;
  reportType: ReportType;
  itemBase?: ItemBase;
  readingType: ReadingType;
  marketContext?: string;
  oadrSamplingRate?: SamplingRate;
}

export interface LoadControlStateValue {
  oadrMin?: number;
  oadrMax?: number;
  oadrCurrent: number;
  oadrNormal?: number;
}

export interface LoadControlState {
  oadrCapacity?: LoadControlStateValue;
  oadrLevelOffset?: LoadControlStateValue;
  oadrPercentOffset?: LoadControlStateValue;
  oadrSetPoint?: LoadControlStateValue;
}

export interface ResourceStatus {
  oadrOnline: boolean;
  oadrManualOverride: boolean;
  oadrLoadControlState?: LoadControlState;
}

/** oadrReportPayload: one value of one data point (rID). Exactly one of payloadFloat / oadrPayloadResourceStatus. */
export interface ReportPayload {
  rID: string;
  confidence?: number;
  accuracy?: number;
  payloadFloat?: number;
  oadrPayloadResourceStatus?: ResourceStatus;
  oadrDataQuality?: string;
}

export interface ReportInterval {
  dtstart?: DateTime;
  duration?: Duration;
  uid?: string;
  oadrReportPayload: ReportPayload[];
}

/** oadrReport: metadata (oadrReportDescription, reportName METADATA_…) or data (intervals). */
export interface OadrReport {
  dtstart?: DateTime;
  duration?: Duration;
  /** Empty for metadata reports. */
  intervals: ReportInterval[];
  eiReportID?: string;
  /** Empty for data reports. */
  oadrReportDescription: ReportDescription[];
  reportRequestID: string;
  reportSpecifierID: string;
  reportName?: ReportName;
  createdDateTime: DateTime;
}

export interface SpecifierPayload {
  rID: string;
  itemBase?: ItemBase;
  readingType: ReadingType;
}

export interface ReportSpecifier {
  reportSpecifierID: string;
  granularity: Duration;
  reportBackDuration: Duration;
  reportInterval?: Period;
  specifierPayload: SpecifierPayload[];
}

export interface ReportRequest {
  reportRequestID: string;
  reportSpecifier: ReportSpecifier;
}

// ---------------------------------------------------------------- registration

export interface OadrProfile {
  oadrProfileName: string;
  /** oadrTransports/oadrTransport/oadrTransportName values. */
  oadrTransports: string[];
}

export interface OadrInfo {
  oadrKey: string;
  oadrValue: string;
}

export interface OadrService {
  oadrServiceName: string;
  oadrInfo: OadrInfo[];
}

export interface OadrExtension {
  oadrExtensionName: string;
  oadrInfo: OadrInfo[];
}

// ---------------------------------------------------------------- messages

export interface OadrDistributeEvent {
  type: "oadrDistributeEvent";
  eiResponse?: EiResponse;
  requestID: string;
  vtnID: string;
  /** Number of oadrEvent elements (each handed to the decoder's onEvent as it completes). */
  eventCount: number;
  /** The events, only when the decoder has no onEvent (tools, tests, the VTN simulator); always set for encoding. */
  events?: OadrEvent[];
}

export interface OadrCreatedEvent {
  type: "oadrCreatedEvent";
  /** pyld:eiCreatedEvent, flattened. */
  eiResponse: EiResponse;
  eventResponses: EventResponse[];
  venID: string;
}

export interface OadrRequestEvent {
  type: "oadrRequestEvent";
  /** pyld:eiRequestEvent, flattened. */
  requestID: string;
  venID: string;
  replyLimit?: number;
}

export interface OadrResponse {
  type: "oadrResponse";
  eiResponse: EiResponse;
  venID?: string;
}

export interface OadrCancelOpt {
  type: "oadrCancelOpt";
  requestID: string;
  optID: string;
  venID: string;
}

export interface OadrCanceledOpt {
  type: "oadrCanceledOpt";
  eiResponse: EiResponse;
  optID?: string;
}

export interface OadrCreateOpt {
  type: "oadrCreateOpt";
  optID: string;
  optType: OptType;
  optReason: OptReason;
  marketContext?: string;
  venID: string;
  /** xcal:vavailability/components/available/properties: the periods the opt applies to. */
  vavailability?: Period[];
  createdDateTime: DateTime;
  requestID: string;
  qualifiedEventID?: QualifiedEventID;
  eiTarget: EiTarget;
  oadrDeviceClass?: EiTarget;
}

export interface OadrCreatedOpt {
  type: "oadrCreatedOpt";
  eiResponse: EiResponse;
  optID: string;
}

export interface OadrCancelReport {
  type: "oadrCancelReport";
  requestID: string;
  reportRequestID: string[];
  reportToFollow: boolean;
  venID?: string;
}

export interface OadrCanceledReport {
  type: "oadrCanceledReport";
  eiResponse: EiResponse;
  /** oadrPendingReports/reportRequestID values. */
  oadrPendingReports: string[];
  venID?: string;
}

export interface OadrCreateReport {
  type: "oadrCreateReport";
  requestID: string;
  oadrReportRequest: ReportRequest[];
  venID?: string;
}

export interface OadrCreatedReport {
  type: "oadrCreatedReport";
  eiResponse: EiResponse;
  oadrPendingReports: string[];
  venID?: string;
}

export interface OadrRegisterReport {
  type: "oadrRegisterReport";
  requestID: string;
  oadrReport: OadrReport[];
  venID?: string;
  reportRequestID?: string;
}

export interface OadrRegisteredReport {
  type: "oadrRegisteredReport";
  eiResponse: EiResponse;
  oadrReportRequest: ReportRequest[];
  venID?: string;
}

export interface OadrUpdateReport {
  type: "oadrUpdateReport";
  requestID: string;
  oadrReport: OadrReport[];
  venID?: string;
}

/** The oadrCancelReport that may ride inside an oadrUpdatedReport. */
export interface CancelReportBody {
  requestID: string;
  reportRequestID: string[];
  reportToFollow: boolean;
  venID?: string;
}

export interface OadrUpdatedReport {
  type: "oadrUpdatedReport";
  eiResponse: EiResponse;
  oadrCancelReport?: CancelReportBody;
  venID?: string;
}

export interface OadrCancelPartyRegistration {
  type: "oadrCancelPartyRegistration";
  requestID: string;
  registrationID: string;
  venID?: string;
}

export interface OadrCanceledPartyRegistration {
  type: "oadrCanceledPartyRegistration";
  eiResponse: EiResponse;
  registrationID?: string;
  venID?: string;
}

export interface OadrCreatePartyRegistration {
  type: "oadrCreatePartyRegistration";
  requestID: string;
  registrationID?: string;
  venID?: string;
  oadrProfileName: string;
  oadrTransportName: string;
  oadrTransportAddress?: string;
  oadrReportOnly: boolean;
  oadrXmlSignature: boolean;
  oadrVenName?: string;
  oadrHttpPullModel?: boolean;
}

export interface OadrCreatedPartyRegistration {
  type: "oadrCreatedPartyRegistration";
  eiResponse: EiResponse;
  registrationID?: string;
  venID?: string;
  vtnID: string;
  oadrProfiles: OadrProfile[];
  oadrRequestedOadrPollFreq?: Duration;
  oadrServiceSpecificInfo?: OadrService[];
  oadrExtensions?: OadrExtension[];
}

export interface OadrRequestReregistration {
  type: "oadrRequestReregistration";
  venID: string;
}

export interface OadrQueryRegistration {
  type: "oadrQueryRegistration";
  requestID: string;
}

export interface OadrPoll {
  type: "oadrPoll";
  venID: string;
}

/** An empty HTTP body (a legal reply to a VEN's oadrResponse). */
export interface EmptyPayload {
  type: "empty";
}

export type OadrMessage =
  | OadrDistributeEvent | OadrCreatedEvent | OadrRequestEvent | OadrResponse
  | OadrCancelOpt | OadrCanceledOpt | OadrCreateOpt | OadrCreatedOpt
  | OadrCancelReport | OadrCanceledReport | OadrCreateReport | OadrCreatedReport
  | OadrRegisterReport | OadrRegisteredReport | OadrUpdateReport | OadrUpdatedReport
  | OadrCancelPartyRegistration | OadrCanceledPartyRegistration | OadrCreatePartyRegistration
  | OadrCreatedPartyRegistration | OadrRequestReregistration | OadrQueryRegistration | OadrPoll;

export type OadrMessageType = OadrMessage["type"];
export type DecodedPayload = OadrMessage | EmptyPayload;

/** Payloads a VEN sends. */
export type VenMessage =
  | OadrQueryRegistration | OadrCreatePartyRegistration | OadrCancelPartyRegistration
  | OadrCanceledPartyRegistration | OadrResponse | OadrPoll | OadrRequestEvent | OadrCreatedEvent
  | OadrRegisterReport | OadrRegisteredReport | OadrCreatedReport | OadrUpdateReport | OadrCanceledReport
  | OadrCreateOpt | OadrCancelOpt;

/** Payloads a VTN sends. */
export type VtnMessage =
  | OadrCreatedPartyRegistration | OadrCanceledPartyRegistration | OadrCancelPartyRegistration
  | OadrRequestReregistration | OadrResponse | OadrDistributeEvent | OadrRegisterReport
  | OadrRegisteredReport | OadrCreateReport | OadrCreatedReport | OadrCancelReport | OadrCanceledReport
  | OadrUpdateReport | OadrUpdatedReport | OadrCreatedOpt | OadrCanceledOpt;

export const VEN_MESSAGE_TYPES: readonly VenMessage["type"][] = Object.freeze([
  "oadrQueryRegistration", "oadrCreatePartyRegistration", "oadrCancelPartyRegistration",
  "oadrCanceledPartyRegistration", "oadrResponse", "oadrPoll", "oadrRequestEvent", "oadrCreatedEvent",
  "oadrRegisterReport", "oadrRegisteredReport", "oadrCreatedReport", "oadrUpdateReport",
  "oadrCanceledReport", "oadrCreateOpt", "oadrCancelOpt",
] as const);

export const VTN_MESSAGE_TYPES: readonly VtnMessage["type"][] = Object.freeze([
  "oadrCreatedPartyRegistration", "oadrCanceledPartyRegistration", "oadrCancelPartyRegistration",
  "oadrRequestReregistration", "oadrResponse", "oadrDistributeEvent", "oadrRegisterReport",
  "oadrRegisteredReport", "oadrCreateReport", "oadrCreatedReport", "oadrCancelReport", "oadrCanceledReport",
  "oadrUpdateReport", "oadrUpdatedReport", "oadrCreatedOpt", "oadrCanceledOpt",
] as const);
