// The decoder's grammar: which elements the OadrDecoder recognises under which parent, and what each
// one does (assign a converted text to a field, push onto a list, create an object, pass through).
// Written as a tree of nodes and compiled once, at module load, into flat frozen tables of numeric
// states, so that decoding an element is a short scan of its parent's children with === on interned
// names. Fragments (eiResponse, eiTarget, units, intervals) are shared, so their states are too.
// Leaves out: element order (any order is accepted), gml/transport-interface targets, Green Button.
import { ITEM_BASE_NAMES, ITEM_BASES } from "./enums";
import { NS_DS, NS_EI, NS_EMIX, NS_OADR, NS_POWER, NS_PYLD, NS_SCALE, NS_STRM, NS_XCAL } from "./names";

// kinds
export const K_LEAF = 0;      // obj[field] = convert(text)
export const K_LEAF_LIST = 1; // obj[field].push(convert(text))
export const K_PASS = 2;      // transparent container: children write into the enclosing object
export const K_LIST = 3;      // transparent container whose direct children make up obj[field]
export const K_OBJ = 4;       // obj[field] = {} (or not attached when field is "")
export const K_OBJ_LIST = 5;  // obj[field].push({})
export const K_SIGNATURE = 6; // ds:Signature: skipped, or forwarded to the verification hook

// conversions of leaf text
export const C_STR = 0;
export const C_FLOAT = 1;
export const C_DURATION = 2;
export const C_DATETIME = 3;
export const C_TOKEN = 4;
export const C_UINT = 5;
export const C_BOOL = 6;
export const C_EVENT_STATUS = 7;
export const C_SIGNAL_TYPE = 8;
export const C_OPT_TYPE = 9;
export const C_RESPONSE_REQUIRED = 10;

// hooks (the few places with behaviour beyond the table)
export const H_NONE = 0;
export const H_MESSAGE = 1;      // start: this is the message; end: it is the result
export const H_DISTRIBUTE = 2;   // H_MESSAGE + event counting / collecting
export const H_EVENT = 3;        // end: hand the oadrEvent over (onEvent) and forget it
export const H_EVENT_TARGET = 4; // end: the flat target list of the event
export const H_STRICT = 5;       // unknown children are an error (document, oadrSignedObject)
export const H_INTERVAL = 6;     // end of an event/baseline interval: a row of the columns (intervalColumns)
export const H_INTERVALS = 7;    // strm:intervals of an event signal/baseline: columns instead of objects (intervalColumns)

interface Node {
  readonly ns: string;
  readonly local: string;
  readonly kind: number;
  readonly field: string;
  readonly conv: number;
  readonly tag: string;
  readonly init: readonly string[] | null;
  readonly required: readonly string[] | null;
  readonly hook: number;
  readonly children: readonly Node[];
}

interface ObjOptions {
  required?: readonly string[];
  init?: readonly string[];
  tag?: string;
  hook?: number;
}

function node(ns: string, local: string, kind: number, field: string, conv: number, children: readonly Node[], o: ObjOptions = {}): Node {
  return {
    ns, local, kind, field, conv, children,
    tag: o.tag ?? "", init: o.init ?? null, required: o.required ?? null, hook: o.hook ?? H_NONE,
  };
}
const leaf = (ns: string, local: string, field: string, conv = C_STR): Node => node(ns, local, K_LEAF, field, conv, []);
const leafList = (ns: string, local: string, field: string, conv = C_STR): Node => node(ns, local, K_LEAF_LIST, field, conv, []);
const pass = (ns: string, local: string, children: readonly Node[], hook = H_NONE): Node => node(ns, local, K_PASS, "", C_STR, children, { hook });
const list = (ns: string, local: string, field: string, children: readonly Node[]): Node => node(ns, local, K_LIST, field, C_STR, children);
const obj = (ns: string, local: string, field: string, children: readonly Node[], o: ObjOptions = {}): Node => node(ns, local, K_OBJ, field, C_STR, children, o);
const objList = (ns: string, local: string, field: string, children: readonly Node[], o: ObjOptions = {}): Node => node(ns, local, K_OBJ_LIST, field, C_STR, children, o);

/**
 * The grammar as a tree. Built inside a function so its ~60 fragments are locals of one call, not
 * module bindings (an IIFE bundle puts every module binding of the host tests in one stack frame).
 */
function grammar(): { document: Node; messages: readonly Node[] } {
  // ------------------------------------------------------------------ shared fragments

  const REQUEST_ID = leaf(NS_PYLD, "requestID", "requestID");
  const VEN_ID = leaf(NS_EI, "venID", "venID");
  const VTN_ID = leaf(NS_EI, "vtnID", "vtnID");
  const REGISTRATION_ID = leaf(NS_EI, "registrationID", "registrationID");
  const OPT_ID = leaf(NS_EI, "optID", "optID");
  const CREATED_DATE_TIME = leaf(NS_EI, "createdDateTime", "createdDateTime", C_DATETIME);
  const MARKET_CONTEXT = leaf(NS_EMIX, "marketContext", "marketContext");
  const REPORT_REQUEST_ID = leaf(NS_EI, "reportRequestID", "reportRequestID");
  const RID = leaf(NS_EI, "rID", "rID");
  const READING_TYPE = leaf(NS_EI, "readingType", "readingType", C_TOKEN);
  const DTSTART = pass(NS_XCAL, "dtstart", [leaf(NS_XCAL, "date-time", "dtstart", C_DATETIME)]);
  const XCAL_DURATION_VALUE = leaf(NS_XCAL, "duration", "duration", C_DURATION);
  const DURATION = pass(NS_XCAL, "duration", [XCAL_DURATION_VALUE]);
  const UID = pass(NS_XCAL, "uid", [leaf(NS_XCAL, "text", "uid")]);
  /** An xcal:DurationPropType element named `local` whose value goes to `field`. */
  const durationProp = (ns: string, local: string, field: string): Node => pass(ns, local, [leaf(NS_XCAL, "duration", field, C_DURATION)]);

  const EI_RESPONSE = obj(NS_EI, "eiResponse", "eiResponse", [
    leaf(NS_EI, "responseCode", "responseCode", C_TOKEN),
    leaf(NS_EI, "responseDescription", "responseDescription"),
    REQUEST_ID,
  ], { required: ["responseCode", "requestID"] });

  const QUALIFIED_EVENT_ID = obj(NS_EI, "qualifiedEventID", "qualifiedEventID", [
    leaf(NS_EI, "eventID", "eventID"),
    leaf(NS_EI, "modificationNumber", "modificationNumber", C_UINT),
  ], { required: ["eventID", "modificationNumber"] });

  const TARGET_CHILDREN: readonly Node[] = [
    leafList(NS_EI, "venID", "venID"),
    leafList(NS_EI, "resourceID", "resourceID"),
    leafList(NS_EI, "groupID", "groupID"),
    leafList(NS_EI, "partyID", "partyID"),
    leafList(NS_EI, "groupName", "groupName"),
    pass(NS_POWER, "endDeviceAsset", [leafList(NS_POWER, "mrid", "endDeviceAsset")]),
    pass(NS_POWER, "meterAsset", [leafList(NS_POWER, "mrid", "meterAsset")]),
    pass(NS_POWER, "aggregatedPnode", [leafList(NS_POWER, "node", "aggregatedPnode")]),
    pass(NS_POWER, "pnode", [leafList(NS_POWER, "node", "pnode")]),
    pass(NS_POWER, "serviceDeliveryPoint", [leafList(NS_POWER, "node", "serviceDeliveryPoint")]),
  ];
  const target = (ns: string, local: string, field: string, hook = H_NONE): Node => obj(ns, local, field, TARGET_CHILDREN, { hook });
  const EI_TARGET = target(NS_EI, "eiTarget", "eiTarget");

  function unitChildren(ns: string): readonly Node[] {
    return [
      leaf(ns, "itemDescription", "itemDescription"),
      leaf(ns, "itemUnits", "itemUnits"),
      leaf(NS_SCALE, "siScaleCode", "siScaleCode", C_TOKEN),
      obj(NS_POWER, "powerAttributes", "powerAttributes", [
        leaf(NS_POWER, "hertz", "hertz", C_FLOAT),
        leaf(NS_POWER, "voltage", "voltage", C_FLOAT),
        leaf(NS_POWER, "ac", "ac", C_BOOL),
      ], { required: ["hertz", "voltage", "ac"] }),
      leaf(NS_OADR, "pulseFactor", "pulseFactor", C_FLOAT),
    ];
  }
  const POWER_UNIT_CHILDREN = unitChildren(NS_POWER);
  const OADR_UNIT_CHILDREN = unitChildren(NS_OADR);
  const ITEM_BASE: readonly Node[] = ITEM_BASE_NAMES.map((name) => {
    const power = ITEM_BASES[name].prefix === "power";
    return obj(power ? NS_POWER : NS_OADR, name, "itemBase", power ? POWER_UNIT_CHILDREN : OADR_UNIT_CHILDREN,
      { tag: "itemBase", required: ["itemDescription", "itemUnits"] });
  });

  const PROPERTIES_PERIOD = pass(NS_XCAL, "properties", [DTSTART, DURATION]);

  // ------------------------------------------------------------------ events

  const EVENT_INTERVAL = objList(NS_EI, "interval", "intervals", [
    DTSTART,
    DURATION,
    UID,
    pass(NS_EI, "signalPayload", [pass(NS_EI, "payloadFloat", [leaf(NS_EI, "value", "signalPayload", C_FLOAT)])]),
  ], { required: ["signalPayload"], hook: H_INTERVAL });
  const EVENT_INTERVALS = node(NS_STRM, "intervals", K_LIST, "intervals", C_STR, [EVENT_INTERVAL], { hook: H_INTERVALS });

  const EVENT_SIGNAL = objList(NS_EI, "eiEventSignal", "eiEventSignals", [
    EVENT_INTERVALS,
    leaf(NS_EI, "signalName", "signalName", C_TOKEN),
    leaf(NS_EI, "signalType", "signalType", C_SIGNAL_TYPE),
    leaf(NS_EI, "signalID", "signalID"),
    pass(NS_EI, "currentValue", [pass(NS_EI, "payloadFloat", [leaf(NS_EI, "value", "currentValue", C_FLOAT)])]),
    EI_TARGET,
  ].concat(ITEM_BASE), { init: ["intervals"], required: ["signalName", "signalType", "signalID"] });

  const EVENT_BASELINE = obj(NS_EI, "eiEventBaseline", "eiEventBaseline", [
    DTSTART,
    DURATION,
    EVENT_INTERVALS,
    leaf(NS_EI, "baselineID", "baselineID"),
    leafList(NS_EI, "resourceID", "resourceID"),
    leaf(NS_EI, "baselineName", "baselineName"),
  ].concat(ITEM_BASE), { init: ["intervals"], required: ["dtstart", "duration", "baselineID", "baselineName"] });

  const EVENT_DESCRIPTOR = obj(NS_EI, "eventDescriptor", "eventDescriptor", [
    leaf(NS_EI, "eventID", "eventID"),
    leaf(NS_EI, "modificationNumber", "modificationNumber", C_UINT),
    leaf(NS_EI, "modificationDateTime", "modificationDateTime", C_DATETIME),
    leaf(NS_EI, "modificationReason", "modificationReason"),
    leaf(NS_EI, "priority", "priority", C_UINT),
    pass(NS_EI, "eiMarketContext", [MARKET_CONTEXT]),
    CREATED_DATE_TIME,
    leaf(NS_EI, "eventStatus", "eventStatus", C_EVENT_STATUS),
    leaf(NS_EI, "testEvent", "testEvent"),
    leaf(NS_EI, "vtnComment", "vtnComment"),
  ], { required: ["eventID", "modificationNumber", "marketContext", "createdDateTime", "eventStatus"] });

  const ACTIVE_PERIOD = obj(NS_EI, "eiActivePeriod", "eiActivePeriod", [
    pass(NS_XCAL, "properties", [
      DTSTART,
      DURATION,
      pass(NS_XCAL, "tolerance", [pass(NS_XCAL, "tolerate", [leaf(NS_XCAL, "startafter", "startafter", C_DURATION)])]),
      durationProp(NS_EI, "x-eiNotification", "xEiNotification"),
      durationProp(NS_EI, "x-eiRampUp", "xEiRampUp"),
      durationProp(NS_EI, "x-eiRecovery", "xEiRecovery"),
    ]),
    pass(NS_XCAL, "components", []),
  ], { required: ["dtstart", "duration"] });

  const OADR_EVENT = obj(NS_OADR, "oadrEvent", "", [
    pass(NS_EI, "eiEvent", [
      EVENT_DESCRIPTOR,
      ACTIVE_PERIOD,
      list(NS_EI, "eiEventSignals", "eiEventSignals", [EVENT_SIGNAL, EVENT_BASELINE]),
      target(NS_EI, "eiTarget", "eiTarget", H_EVENT_TARGET),
    ]),
    leaf(NS_OADR, "oadrResponseRequired", "oadrResponseRequired", C_RESPONSE_REQUIRED),
  ], { init: ["eiEventSignals"], required: ["eventDescriptor", "eiActivePeriod", "oadrResponseRequired"], hook: H_EVENT });

  const EVENT_RESPONSE = objList(NS_EI, "eventResponse", "eventResponses", [
    leaf(NS_EI, "responseCode", "responseCode", C_TOKEN),
    leaf(NS_EI, "responseDescription", "responseDescription"),
    REQUEST_ID,
    QUALIFIED_EVENT_ID,
    leaf(NS_EI, "optType", "optType", C_OPT_TYPE),
  ], { required: ["responseCode", "requestID", "qualifiedEventID", "optType"] });

  // ------------------------------------------------------------------ reports

  const SAMPLING_RATE = obj(NS_OADR, "oadrSamplingRate", "oadrSamplingRate", [
    leaf(NS_OADR, "oadrMinPeriod", "oadrMinPeriod", C_DURATION),
    leaf(NS_OADR, "oadrMaxPeriod", "oadrMaxPeriod", C_DURATION),
    leaf(NS_OADR, "oadrOnChange", "oadrOnChange", C_BOOL),
  ], { required: ["oadrMinPeriod", "oadrMaxPeriod", "oadrOnChange"] });

  const REPORT_DESCRIPTION = objList(NS_OADR, "oadrReportDescription", "oadrReportDescription", [
    RID,
    target(NS_EI, "reportSubject", "reportSubject"),
    target(NS_EI, "reportDataSource", "reportDataSource"),
    leaf(NS_EI, "reportType", "reportType", C_TOKEN),
    READING_TYPE,
    MARKET_CONTEXT,
    SAMPLING_RATE,
  ].concat(ITEM_BASE), { required: ["rID", "reportType", "readingType"] });

  const LOAD_CONTROL_VALUE_CHILDREN: readonly Node[] = [
    leaf(NS_OADR, "oadrMin", "oadrMin", C_FLOAT),
    leaf(NS_OADR, "oadrMax", "oadrMax", C_FLOAT),
    leaf(NS_OADR, "oadrCurrent", "oadrCurrent", C_FLOAT),
    leaf(NS_OADR, "oadrNormal", "oadrNormal", C_FLOAT),
  ];
  const loadControlValue = (local: string): Node => obj(NS_OADR, local, local, LOAD_CONTROL_VALUE_CHILDREN, { required: ["oadrCurrent"] });

  const RESOURCE_STATUS = obj(NS_OADR, "oadrPayloadResourceStatus", "oadrPayloadResourceStatus", [
    leaf(NS_OADR, "oadrOnline", "oadrOnline", C_BOOL),
    leaf(NS_OADR, "oadrManualOverride", "oadrManualOverride", C_BOOL),
    obj(NS_OADR, "oadrLoadControlState", "oadrLoadControlState", [
      loadControlValue("oadrCapacity"), loadControlValue("oadrLevelOffset"),
      loadControlValue("oadrPercentOffset"), loadControlValue("oadrSetPoint"),
    ]),
  ], { required: ["oadrOnline", "oadrManualOverride"] });

  const REPORT_PAYLOAD = objList(NS_OADR, "oadrReportPayload", "oadrReportPayload", [
    RID,
    pass(NS_EI, "payloadFloat", [leaf(NS_EI, "value", "payloadFloat", C_FLOAT)]),
    RESOURCE_STATUS,
    leaf(NS_EI, "confidence", "confidence", C_UINT),
    leaf(NS_EI, "accuracy", "accuracy", C_FLOAT),
    leaf(NS_OADR, "oadrDataQuality", "oadrDataQuality", C_TOKEN),
  ], { required: ["rID"] });

  const REPORT_INTERVAL = objList(NS_EI, "interval", "intervals", [
    DTSTART, DURATION, UID, REPORT_PAYLOAD,
  ], { init: ["oadrReportPayload"] });

  const OADR_REPORT = objList(NS_OADR, "oadrReport", "oadrReport", [
    list(NS_STRM, "intervals", "intervals", [REPORT_INTERVAL]),
    REPORT_DESCRIPTION,
    DTSTART,
    DURATION,
    leaf(NS_EI, "eiReportID", "eiReportID"),
    REPORT_REQUEST_ID,
    leaf(NS_EI, "reportSpecifierID", "reportSpecifierID"),
    leaf(NS_EI, "reportName", "reportName", C_TOKEN),
    CREATED_DATE_TIME,
  ], { init: ["intervals", "oadrReportDescription"], required: ["reportRequestID", "reportSpecifierID", "createdDateTime"] });

  const REPORT_REQUEST = objList(NS_OADR, "oadrReportRequest", "oadrReportRequest", [
    REPORT_REQUEST_ID,
    obj(NS_EI, "reportSpecifier", "reportSpecifier", [
      leaf(NS_EI, "reportSpecifierID", "reportSpecifierID"),
      durationProp(NS_XCAL, "granularity", "granularity"),
      durationProp(NS_EI, "reportBackDuration", "reportBackDuration"),
      obj(NS_EI, "reportInterval", "reportInterval", [PROPERTIES_PERIOD], { required: ["dtstart", "duration"] }),
      objList(NS_EI, "specifierPayload", "specifierPayload", [RID, READING_TYPE].concat(ITEM_BASE), { required: ["rID", "readingType"] }),
    ], { init: ["specifierPayload"], required: ["reportSpecifierID", "granularity", "reportBackDuration"] }),
  ], { required: ["reportRequestID", "reportSpecifier"] });

  const PENDING_REPORTS = list(NS_OADR, "oadrPendingReports", "oadrPendingReports", [leafList(NS_EI, "reportRequestID", "oadrPendingReports")]);
  const REPORT_REQUEST_IDS = leafList(NS_EI, "reportRequestID", "reportRequestID");
  const REPORT_TO_FOLLOW = leaf(NS_PYLD, "reportToFollow", "reportToFollow", C_BOOL);

  // ------------------------------------------------------------------ registration

  const INFO = objList(NS_OADR, "oadrInfo", "oadrInfo", [
    leaf(NS_OADR, "oadrKey", "oadrKey"),
    leaf(NS_OADR, "oadrValue", "oadrValue"),
  ], { required: ["oadrKey", "oadrValue"] });

  const PROFILES = list(NS_OADR, "oadrProfiles", "oadrProfiles", [
    objList(NS_OADR, "oadrProfile", "oadrProfiles", [
      leaf(NS_OADR, "oadrProfileName", "oadrProfileName", C_TOKEN),
      list(NS_OADR, "oadrTransports", "oadrTransports", [
        pass(NS_OADR, "oadrTransport", [leafList(NS_OADR, "oadrTransportName", "oadrTransports", C_TOKEN)]),
      ]),
    ], { init: ["oadrTransports"], required: ["oadrProfileName"] }),
  ]);

  // ------------------------------------------------------------------ messages

  function message(local: string, children: readonly Node[], required: readonly string[], init?: readonly string[], hook = H_MESSAGE): Node {
    return obj(NS_OADR, local, "", children, { tag: "type", required, init, hook });
  }

  // one statement per message: an array literal of them all would hold every finished message on the
  // evaluation stack while the next is built (XS stack slots are few on a device)
  const MESSAGES: Node[] = [];
  MESSAGES.push(message("oadrDistributeEvent", [EI_RESPONSE, REQUEST_ID, VTN_ID, OADR_EVENT], ["requestID", "vtnID"], undefined, H_DISTRIBUTE));
  MESSAGES.push(message("oadrCreatedEvent", [pass(NS_PYLD, "eiCreatedEvent", [
      EI_RESPONSE, list(NS_EI, "eventResponses", "eventResponses", [EVENT_RESPONSE]), VEN_ID,
    ])], ["eiResponse", "venID"], ["eventResponses"]));
  MESSAGES.push(message("oadrRequestEvent", [pass(NS_PYLD, "eiRequestEvent", [
      REQUEST_ID, VEN_ID, leaf(NS_PYLD, "replyLimit", "replyLimit", C_UINT),
    ])], ["requestID", "venID"]));
  MESSAGES.push(message("oadrResponse", [EI_RESPONSE, VEN_ID], ["eiResponse"]));
  MESSAGES.push(message("oadrCancelOpt", [REQUEST_ID, OPT_ID, VEN_ID], ["requestID", "optID", "venID"]));
  MESSAGES.push(message("oadrCanceledOpt", [EI_RESPONSE, OPT_ID], ["eiResponse"]));
  MESSAGES.push(message("oadrCreateOpt", [
      OPT_ID,
      leaf(NS_EI, "optType", "optType", C_OPT_TYPE),
      leaf(NS_EI, "optReason", "optReason", C_TOKEN),
      MARKET_CONTEXT,
      VEN_ID,
      list(NS_XCAL, "vavailability", "vavailability", [
        pass(NS_XCAL, "components", [
          objList(NS_XCAL, "available", "vavailability", [PROPERTIES_PERIOD], { required: ["dtstart", "duration"] }),
        ]),
      ]),
      CREATED_DATE_TIME,
      REQUEST_ID,
      QUALIFIED_EVENT_ID,
      EI_TARGET,
      target(NS_OADR, "oadrDeviceClass", "oadrDeviceClass"),
    ], ["optID", "optType", "optReason", "venID", "createdDateTime", "requestID", "eiTarget"]));
  MESSAGES.push(message("oadrCreatedOpt", [EI_RESPONSE, OPT_ID], ["eiResponse", "optID"]));
  MESSAGES.push(message("oadrCancelReport", [REQUEST_ID, REPORT_REQUEST_IDS, REPORT_TO_FOLLOW, VEN_ID],
      ["requestID", "reportRequestID", "reportToFollow"]));
  MESSAGES.push(message("oadrCanceledReport", [EI_RESPONSE, PENDING_REPORTS, VEN_ID], ["eiResponse"], ["oadrPendingReports"]));
  MESSAGES.push(message("oadrCreateReport", [REQUEST_ID, REPORT_REQUEST, VEN_ID], ["requestID"], ["oadrReportRequest"]));
  MESSAGES.push(message("oadrCreatedReport", [EI_RESPONSE, PENDING_REPORTS, VEN_ID], ["eiResponse"], ["oadrPendingReports"]));
  MESSAGES.push(message("oadrRegisterReport", [REQUEST_ID, OADR_REPORT, VEN_ID, REPORT_REQUEST_ID], ["requestID"], ["oadrReport"]));
  MESSAGES.push(message("oadrRegisteredReport", [EI_RESPONSE, REPORT_REQUEST, VEN_ID], ["eiResponse"], ["oadrReportRequest"]));
  MESSAGES.push(message("oadrUpdateReport", [REQUEST_ID, OADR_REPORT, VEN_ID], ["requestID"], ["oadrReport"]));
  MESSAGES.push(message("oadrUpdatedReport", [
      EI_RESPONSE,
      obj(NS_OADR, "oadrCancelReport", "oadrCancelReport", [REQUEST_ID, REPORT_REQUEST_IDS, REPORT_TO_FOLLOW, VEN_ID],
        { required: ["requestID", "reportRequestID", "reportToFollow"] }),
      VEN_ID,
    ], ["eiResponse"]));
  MESSAGES.push(message("oadrCancelPartyRegistration", [REQUEST_ID, REGISTRATION_ID, VEN_ID], ["requestID", "registrationID"]));
  MESSAGES.push(message("oadrCanceledPartyRegistration", [EI_RESPONSE, REGISTRATION_ID, VEN_ID], ["eiResponse"]));
  MESSAGES.push(message("oadrCreatePartyRegistration", [
      REQUEST_ID, REGISTRATION_ID, VEN_ID,
      leaf(NS_OADR, "oadrProfileName", "oadrProfileName", C_TOKEN),
      leaf(NS_OADR, "oadrTransportName", "oadrTransportName", C_TOKEN),
      leaf(NS_OADR, "oadrTransportAddress", "oadrTransportAddress"),
      leaf(NS_OADR, "oadrReportOnly", "oadrReportOnly", C_BOOL),
      leaf(NS_OADR, "oadrXmlSignature", "oadrXmlSignature", C_BOOL),
      leaf(NS_OADR, "oadrVenName", "oadrVenName"),
      leaf(NS_OADR, "oadrHttpPullModel", "oadrHttpPullModel", C_BOOL),
    ], ["requestID", "oadrProfileName", "oadrTransportName", "oadrReportOnly", "oadrXmlSignature"]));
  MESSAGES.push(message("oadrCreatedPartyRegistration", [
      EI_RESPONSE, REGISTRATION_ID, VEN_ID, VTN_ID, PROFILES,
      durationProp(NS_OADR, "oadrRequestedOadrPollFreq", "oadrRequestedOadrPollFreq"),
      list(NS_OADR, "oadrServiceSpecificInfo", "oadrServiceSpecificInfo", [
        objList(NS_OADR, "oadrService", "oadrServiceSpecificInfo", [
          leaf(NS_OADR, "oadrServiceName", "oadrServiceName", C_TOKEN), INFO,
        ], { init: ["oadrInfo"], required: ["oadrServiceName"] }),
      ]),
      list(NS_OADR, "oadrExtensions", "oadrExtensions", [
        objList(NS_OADR, "oadrExtension", "oadrExtensions", [
          leaf(NS_OADR, "oadrExtensionName", "oadrExtensionName"), INFO,
        ], { init: ["oadrInfo"], required: ["oadrExtensionName"] }),
      ]),
    ], ["eiResponse", "vtnID"], ["oadrProfiles"]));
  MESSAGES.push(message("oadrRequestReregistration", [VEN_ID], ["venID"]));
  MESSAGES.push(message("oadrQueryRegistration", [REQUEST_ID], ["requestID"]));
  MESSAGES.push(message("oadrPoll", [VEN_ID], ["venID"]));

  const SIGNATURE = node(NS_DS, "Signature", K_SIGNATURE, "", C_STR, []);
  const SIGNED_OBJECT = pass(NS_OADR, "oadrSignedObject", MESSAGES, H_STRICT);
  const PAYLOAD = pass(NS_OADR, "oadrPayload", [SIGNED_OBJECT, SIGNATURE]);
  /** State 0: the document; its children are the accepted roots (the payload, or a bare message). */
  const DOCUMENT = pass("", "", [PAYLOAD].concat(MESSAGES), H_STRICT);
  return { document: DOCUMENT, messages: MESSAGES };
}

/** Names a root may have; with another namespace they mean "wrong namespace", not "wrong root". */
export let ROOT_NAMES: readonly string[];

// ------------------------------------------------------------------ compile

export interface Tables {
  readonly kind: Uint8Array;
  readonly conv: Uint8Array;
  readonly hook: Uint8Array;
  readonly field: readonly string[];
  /** The element's local name (for error paths). */
  readonly local: readonly string[];
  readonly tag: readonly string[];
  readonly init: readonly (readonly string[] | null)[];
  readonly required: readonly (readonly string[] | null)[];
  /** Children of state s are entries first[s] … first[s + 1] - 1. */
  readonly first: Uint16Array;
  readonly childLocal: readonly string[];
  readonly childNs: readonly string[];
  readonly childState: Uint16Array;
  /** Every local name and namespace the grammar mentions (to intern in the XML reader). */
  readonly names: readonly string[];
  /** Per state: child local name → child state (null-prototype, frozen). */
  readonly children: readonly Readonly<Record<string, number>>[];
  /** Per state: the element's namespace URI. */
  readonly ns: readonly string[];
}

function compile(root: Node): Tables {
  const states: Node[] = [];
  const ids = new Map<Node, number>();
  const queue: Node[] = [root];
  ids.set(root, 0);
  states.push(root);
  for (let q = 0; q < queue.length; q++) {
    for (const child of queue[q].children) {
      if (ids.has(child)) continue;
      ids.set(child, states.length);
      states.push(child);
      queue.push(child);
    }
  }
  const n = states.length;
  const kind = new Uint8Array(n), conv = new Uint8Array(n), hook = new Uint8Array(n);
  const first = new Uint16Array(n + 1);
  const field: string[] = [], local: string[] = [], tag: string[] = [], nsOf: string[] = [];
  const children: Readonly<Record<string, number>>[] = [];
  const NONE: Readonly<Record<string, number>> = Object.freeze(Object.create(null));
  const init: (readonly string[] | null)[] = [], required: (readonly string[] | null)[] = [];
  const childLocal: string[] = [], childNs: string[] = [], childStates: number[] = [];
  const names = new Set<string>();
  for (let s = 0; s < n; s++) {
    const st = states[s];
    kind[s] = st.kind; conv[s] = st.conv; hook[s] = st.hook;
    field.push(st.field); local.push(st.local); tag.push(st.tag); nsOf.push(st.ns);
    let map: Record<string, number> | undefined;
    init.push(st.init ? Object.freeze(st.init.slice()) : null);
    required.push(st.required ? Object.freeze(st.required.slice()) : null);
    first[s] = childLocal.length;
    for (const child of st.children) {
      childLocal.push(child.local);
      childNs.push(child.ns);
      childStates.push(ids.get(child)!);
      names.add(child.local);
      names.add(child.ns);
      map ??= Object.create(null) as Record<string, number>;
      if (map[child.local] !== undefined) throw new Error(`decode-schema: two children named ${child.local} under ${st.local}`);
      map[child.local] = ids.get(child)!;
    }
    children.push(map ? Object.freeze(map) : NONE);
  }
  first[n] = childLocal.length;
  return Object.freeze({
    kind, conv, hook, first,
    field: Object.freeze(field), local: Object.freeze(local), tag: Object.freeze(tag),
    init: Object.freeze(init), required: Object.freeze(required),
    childLocal: Object.freeze(childLocal), childNs: Object.freeze(childNs),
    childState: Uint16Array.from(childStates),
    names: Object.freeze(Array.from(names)),
    children: Object.freeze(children), ns: Object.freeze(nsOf),
  });
}

export const TABLES: Tables = (() => {
  const { document, messages } = grammar();
  ROOT_NAMES = Object.freeze(["oadrPayload", "oadrSignedObject"].concat(messages.map((m) => m.local)));
  return compile(document);
})();
