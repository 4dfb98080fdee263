// Realistic OpenADR 2.0b messages for the codec's tests and tools: every VEN → VTN payload and the
// VTN → VEN payloads the simulator sends. Runs on XS (bundled into xs-entry.ts) and on Node. Values are
// shaped like the captured session (OpenLEADR VTN) and like what this firmware sends: a venID and
// registrationID from registration, event responses that reuse the distribute requestID, a
// TELEMETRY_USAGE report with several intervals and rIDs, a TELEMETRY_STATUS report.
import type { OadrMessage, VenMessage, VtnMessage } from "../../../modules/openadr/types";

const T0 = Date.UTC(2026, 10, 22, 2, 0, 0); // 2026-11-22T02:00:00Z
const MIN = 60_000;
const VEN_ID = "VEN-ESP32-3C71BF";
const VTN_ID = "TEST_VTN";
const REGISTRATION_ID = "reg-5a1c9e2f-8d3b-4e7a-9f10-2b6c4d8e0a13";
const DISTRIBUTE_REQUEST = "5f5ffbd9-0a48-417b-ab08-7e39976dc809";
const RID_POWER = "rid-power-ct1";
const RID_ENERGY = "rid-energy-ct1";
const RID_POWER_2 = "rid-power-ct2";
const RID_STATUS = "rid-status-relay1";

type ByType<T extends OadrMessage> = { [K in T["type"]]: Extract<T, { type: K }> };

/** One message per VEN → VTN payload type. */
export function venSamples(): ByType<VenMessage> {
  return {
    oadrQueryRegistration: { type: "oadrQueryRegistration", requestID: "req-query-0001" },
    oadrCreatePartyRegistration: {
      type: "oadrCreatePartyRegistration",
      requestID: "req-register-0002",
      registrationID: REGISTRATION_ID,
      venID: VEN_ID,
      oadrProfileName: "2.0b",
      oadrTransportName: "simpleHttp",
      oadrReportOnly: false,
      oadrXmlSignature: false,
      oadrVenName: "Lab VEN – relays & CT <ESP32> \"bench 1\"",
      oadrHttpPullModel: true,
    },
    oadrCancelPartyRegistration: {
      type: "oadrCancelPartyRegistration", requestID: "req-cancel-reg-0003", registrationID: REGISTRATION_ID, venID: VEN_ID,
    },
    oadrCanceledPartyRegistration: {
      type: "oadrCanceledPartyRegistration",
      eiResponse: { responseCode: "200", responseDescription: "OK", requestID: "4a3c0e88-1c1d-4d0e-9b4e-0c8f0a1b2c3d" },
      registrationID: REGISTRATION_ID,
      venID: VEN_ID,
    },
    oadrResponse: {
      type: "oadrResponse",
      eiResponse: { responseCode: "200", responseDescription: "OK", requestID: "" },
      venID: VEN_ID,
    },
    oadrPoll: { type: "oadrPoll", venID: VEN_ID },
    oadrRequestEvent: { type: "oadrRequestEvent", requestID: "req-events-0004", venID: VEN_ID, replyLimit: 20 },
    oadrCreatedEvent: {
      type: "oadrCreatedEvent",
      eiResponse: { responseCode: "200", responseDescription: "OK", requestID: "" },
      eventResponses: [
        {
          responseCode: "200", responseDescription: "OK", requestID: DISTRIBUTE_REQUEST,
          qualifiedEventID: { eventID: "EVT-1", modificationNumber: 0 }, optType: "optIn",
        },
        {
          responseCode: "200", responseDescription: "OK", requestID: DISTRIBUTE_REQUEST,
          qualifiedEventID: { eventID: "EVT-2", modificationNumber: 3 }, optType: "optOut",
        },
      ],
      venID: VEN_ID,
    },
    oadrRegisterReport: {
      type: "oadrRegisterReport",
      requestID: "req-register-report-0005",
      oadrReport: [
        {
          duration: 60 * MIN,
          intervals: [],
          oadrReportDescription: [
            {
              rID: RID_POWER,
              reportDataSource: { resourceID: ["relay1"] },
              reportType: "reading",
              itemBase: {
                itemBase: "powerApparent", itemDescription: "ApparentPower", itemUnits: "VA", siScaleCode: "none",
                powerAttributes: { hertz: 50, voltage: 100, ac: true },
              },
              readingType: "Estimated",
              marketContext: "http://MarketContext1",
              oadrSamplingRate: { oadrMinPeriod: 10_000, oadrMaxPeriod: 60_000, oadrOnChange: false },
            },
            {
              rID: RID_POWER_2,
              reportDataSource: { resourceID: ["relay2"] },
              reportType: "reading",
              itemBase: {
                itemBase: "powerApparent", itemDescription: "ApparentPower", itemUnits: "VA", siScaleCode: "none",
                powerAttributes: { hertz: 50, voltage: 100, ac: true },
              },
              readingType: "Estimated",
              oadrSamplingRate: { oadrMinPeriod: 10_000, oadrMaxPeriod: 60_000, oadrOnChange: false },
            },
            {
              rID: RID_ENERGY,
              reportDataSource: { resourceID: ["relay1"] },
              reportType: "usage",
              itemBase: { itemBase: "energyApparent", itemDescription: "ApparentEnergy", itemUnits: "VAh", siScaleCode: "k" },
              readingType: "Estimated",
              oadrSamplingRate: { oadrMinPeriod: 30 * MIN, oadrMaxPeriod: 30 * MIN, oadrOnChange: false },
            },
          ],
          reportRequestID: "0",
          reportSpecifierID: "TELEMETRY_USAGE-ESP32",
          reportName: "METADATA_TELEMETRY_USAGE",
          createdDateTime: T0 + 5_250,
        },
        {
          duration: 60 * MIN,
          intervals: [],
          oadrReportDescription: [
            {
              rID: RID_STATUS,
              reportDataSource: { resourceID: ["relay1"] },
              reportType: "x-resourceStatus",
              readingType: "x-notApplicable",
              oadrSamplingRate: { oadrMinPeriod: 60_000, oadrMaxPeriod: 60_000, oadrOnChange: true },
            },
          ],
          reportRequestID: "0",
          reportSpecifierID: "TELEMETRY_STATUS-ESP32",
          reportName: "METADATA_TELEMETRY_STATUS",
          createdDateTime: T0 + 5_250,
        },
      ],
      venID: VEN_ID,
    },
    oadrRegisteredReport: {
      type: "oadrRegisteredReport",
      eiResponse: { responseCode: "200", responseDescription: "OK", requestID: "vtn-register-report-77" },
      oadrReportRequest: [],
      venID: VEN_ID,
    },
    oadrCreatedReport: {
      type: "oadrCreatedReport",
      eiResponse: { responseCode: "200", responseDescription: "OK", requestID: "8473c8f6-efee-4627-b492-afe27cbbaa76" },
      oadrPendingReports: ["RR-TELEMETRY_USAGE-13075a86", "RR-TELEMETRY_STATUS-9d2f"],
      venID: VEN_ID,
    },
    oadrUpdateReport: {
      type: "oadrUpdateReport",
      requestID: "req-update-0006",
      oadrReport: [
        {
          dtstart: T0,
          duration: 3 * MIN,
          intervals: [0, 1, 2].map((k) => ({
            dtstart: T0 + k * MIN,
            duration: MIN,
            uid: String(k),
            oadrReportPayload: [
              { rID: RID_POWER, confidence: 90, accuracy: 0.06, payloadFloat: 812.5 + k * 10.25, oadrDataQuality: "Quality Good - Non Specific" },
              { rID: RID_POWER_2, payloadFloat: k === 1 ? 0 : 1450.75 },
              { rID: RID_ENERGY, payloadFloat: 13.5417 + k * 0.01 },
            ],
          })),
          eiReportID: "RPT-USAGE-20261122T0200Z",
          oadrReportDescription: [],
          reportRequestID: "RR-TELEMETRY_USAGE-13075a86",
          reportSpecifierID: "TELEMETRY_USAGE-ESP32",
          reportName: "TELEMETRY_USAGE",
          createdDateTime: T0 + 3 * MIN + 250,
        },
        {
          dtstart: T0 + 3 * MIN,
          duration: 0,
          intervals: [{
            dtstart: T0 + 3 * MIN,
            duration: 0,
            uid: "0",
            oadrReportPayload: [{
              rID: RID_STATUS,
              oadrPayloadResourceStatus: {
                oadrOnline: true,
                oadrManualOverride: false,
                oadrLoadControlState: { oadrLevelOffset: { oadrMin: 0, oadrMax: 3, oadrCurrent: 1, oadrNormal: 0 } },
              },
            }],
          }],
          eiReportID: "RPT-STATUS-20261122T0203Z",
          oadrReportDescription: [],
          reportRequestID: "RR-TELEMETRY_STATUS-9d2f",
          reportSpecifierID: "TELEMETRY_STATUS-ESP32",
          reportName: "TELEMETRY_STATUS",
          createdDateTime: T0 + 3 * MIN + 250,
        },
      ],
      venID: VEN_ID,
    },
    oadrCanceledReport: {
      type: "oadrCanceledReport",
      eiResponse: { responseCode: "200", responseDescription: "OK", requestID: "req-cancel-report-vtn-11" },
      oadrPendingReports: ["RR-TELEMETRY_STATUS-9d2f"],
      venID: VEN_ID,
    },
    oadrCreateOpt: {
      type: "oadrCreateOpt",
      optID: "opt-override-0001",
      optType: "optOut",
      optReason: "overrideStatus",
      marketContext: "http://MarketContext1",
      venID: VEN_ID,
      vavailability: [{ dtstart: T0 + 60 * MIN, duration: 120 * MIN }],
      createdDateTime: T0 + 38_008,
      requestID: "req-opt-0007",
      qualifiedEventID: { eventID: "EVT-1", modificationNumber: 1 },
      eiTarget: { resourceID: ["relay1"], venID: [VEN_ID] },
    },
    oadrCancelOpt: { type: "oadrCancelOpt", requestID: "req-cancel-opt-0008", optID: "opt-override-0001", venID: VEN_ID },
  };
}

/** VTN → VEN payloads (what the VTN simulator sends). */
export function vtnSamples(): ByType<VtnMessage> {
  const ven = venSamples();
  return {
    oadrCreatedPartyRegistration: {
      type: "oadrCreatedPartyRegistration",
      eiResponse: { responseCode: "200", responseDescription: "OK", requestID: "req-register-0002" },
      registrationID: REGISTRATION_ID,
      venID: VEN_ID,
      vtnID: VTN_ID,
      oadrProfiles: [{ oadrProfileName: "2.0b", oadrTransports: ["simpleHttp"] }],
      oadrRequestedOadrPollFreq: 10_000,
      oadrServiceSpecificInfo: [{ oadrServiceName: "EiEvent", oadrInfo: [{ oadrKey: "region", oadrValue: "JP-Kanto" }] }],
    },
    oadrCanceledPartyRegistration: ven.oadrCanceledPartyRegistration,
    oadrCancelPartyRegistration: { type: "oadrCancelPartyRegistration", requestID: "vtn-cancel-reg-31", registrationID: REGISTRATION_ID, venID: VEN_ID },
    oadrRequestReregistration: { type: "oadrRequestReregistration", venID: VEN_ID },
    oadrResponse: { type: "oadrResponse", eiResponse: { responseCode: "200", responseDescription: "OK", requestID: "req-update-0006" }, venID: VEN_ID },
    oadrDistributeEvent: {
      type: "oadrDistributeEvent",
      eiResponse: { responseCode: "200", responseDescription: "OK", requestID: "None" },
      requestID: DISTRIBUTE_REQUEST,
      vtnID: VTN_ID,
      eventCount: 2,
      events: [
        {
          eventDescriptor: {
            eventID: "EVT-1", modificationNumber: 1, modificationDateTime: T0 + 36_007, modificationReason: "price update",
            priority: 1, marketContext: "http://MarketContext1", createdDateTime: T0 + 36_007, eventStatus: "far",
            testEvent: "false", vtnComment: "two signals & three intervals",
          },
          eiActivePeriod: { dtstart: T0 + 3600_000, duration: 90 * MIN, startafter: 5 * MIN, xEiNotification: 60 * MIN, xEiRampUp: 5 * MIN, xEiRecovery: 5 * MIN },
          eiEventSignals: [
            {
              intervals: [0, 1, 2].map((k) => ({ duration: 30 * MIN, uid: String(k), signalPayload: [1, 2, 1][k] })),
              signalName: "SIMPLE", signalType: "level", signalID: "SIG-SIMPLE", currentValue: 0,
            },
            {
              intervals: [0, 1, 2].map((k) => ({ dtstart: T0 + 3600_000 + k * 30 * MIN, duration: 30 * MIN, uid: String(k), signalPayload: [0.15, 0.3, 0.15][k] })),
              eiTarget: { resourceID: ["relay1"] },
              signalName: "ELECTRICITY_PRICE", signalType: "price", signalID: "SIG-PRICE",
              itemBase: { itemBase: "currencyPerKWh", itemDescription: "currencyPerKWh", itemUnits: "JPY", siScaleCode: "none" },
            },
          ],
          eiTarget: { groupID: ["GROUP-A"], resourceID: ["relay1", "relay2"], venID: [VEN_ID] },
          targets: [
            { type: "groupID", value: "GROUP-A" }, { type: "resourceID", value: "relay1" },
            { type: "resourceID", value: "relay2" }, { type: "venID", value: VEN_ID },
          ],
          oadrResponseRequired: "always",
        },
        {
          eventDescriptor: {
            eventID: "EVT-2", modificationNumber: 3, priority: 2, marketContext: "http://MarketContext1",
            createdDateTime: T0, eventStatus: "cancelled",
          },
          eiActivePeriod: { dtstart: T0 + 7200_000, duration: 0 },
          eiEventSignals: [{ intervals: [{ duration: 0, uid: "0", signalPayload: 3 }], signalName: "SIMPLE", signalType: "level", signalID: "SIG-1" }],
          eiTarget: { endDeviceAsset: ["Exterior_Lighting"] },
          targets: [{ type: "endDeviceAsset", value: "Exterior_Lighting" }],
          oadrResponseRequired: "never",
        },
      ],
    },
    oadrRegisterReport: { type: "oadrRegisterReport", requestID: "vtn-register-report-77", oadrReport: [], venID: VEN_ID },
    oadrRegisteredReport: {
      type: "oadrRegisteredReport",
      eiResponse: { responseCode: "200", responseDescription: "OK", requestID: "req-register-report-0005" },
      oadrReportRequest: [{
        reportRequestID: "RR-TELEMETRY_USAGE-13075a86",
        reportSpecifier: {
          reportSpecifierID: "TELEMETRY_USAGE-ESP32", granularity: MIN, reportBackDuration: 3 * MIN,
          reportInterval: { dtstart: T0, duration: 120 * MIN },
          specifierPayload: [{ rID: RID_POWER, readingType: "Estimated" }, { rID: RID_ENERGY, readingType: "Estimated" }],
        },
      }],
      venID: VEN_ID,
    },
    oadrCreateReport: {
      type: "oadrCreateReport",
      requestID: "8473c8f6-efee-4627-b492-afe27cbbaa76",
      oadrReportRequest: [{
        reportRequestID: "RR-TELEMETRY_STATUS-9d2f",
        reportSpecifier: {
          reportSpecifierID: "TELEMETRY_STATUS-ESP32", granularity: 0, reportBackDuration: 0,
          specifierPayload: [{ rID: RID_STATUS, readingType: "x-notApplicable" }],
        },
      }],
      venID: VEN_ID,
    },
    oadrCreatedReport: { ...ven.oadrCreatedReport, eiResponse: { responseCode: "200", responseDescription: "OK", requestID: "vtn-x" } },
    oadrCancelReport: { type: "oadrCancelReport", requestID: "req-cancel-report-vtn-11", reportRequestID: ["RR-TELEMETRY_STATUS-9d2f"], reportToFollow: false, venID: VEN_ID },
    oadrCanceledReport: ven.oadrCanceledReport,
    oadrUpdateReport: ven.oadrUpdateReport,
    oadrUpdatedReport: {
      type: "oadrUpdatedReport",
      eiResponse: { responseCode: "200", responseDescription: "OK", requestID: "req-update-0006" },
      oadrCancelReport: { requestID: "vtn-cancel-12", reportRequestID: ["RR-TELEMETRY_USAGE-13075a86"], reportToFollow: true, venID: VEN_ID },
      venID: VEN_ID,
    },
    oadrCreatedOpt: { type: "oadrCreatedOpt", eiResponse: { responseCode: "200", responseDescription: "OK", requestID: "req-opt-0007" }, optID: "opt-override-0001" },
    oadrCanceledOpt: { type: "oadrCanceledOpt", eiResponse: { responseCode: "200", responseDescription: "OK", requestID: "req-cancel-opt-0008" }, optID: "opt-override-0001" },
  };
}
