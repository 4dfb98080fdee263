// A large oadrDistributeEvent for the decoder's measurements: `events` events, each one SIMPLE signal of
// `intervals` 15-minute intervals (uid and payload, dtstart on the first only), written by the firmware's
// encoder. 20 × 96 is the benchmark document (≈200 KB); 2 × 96 is its 20 KB sibling.
import type { OadrDistributeEvent, OadrEvent } from "../../../modules/openadr/types";

const T0 = Date.UTC(2026, 10, 23, 0, 0, 0);
const Q = 15 * 60_000;

export function benchDistributeEvent(events: number, intervals: number): OadrDistributeEvent {
  const list: OadrEvent[] = [];
  for (let e = 0; e < events; e++) {
    list.push({
      eventDescriptor: {
        eventID: `EVT-${e + 1}`, modificationNumber: e % 3, priority: 1 + (e % 4), marketContext: "http://MarketContext1",
        createdDateTime: T0 - 3600_000, eventStatus: "far", testEvent: "false",
      },
      eiActivePeriod: { dtstart: T0, duration: intervals * Q, startafter: 120_000 },
      eiEventSignals: [{
        intervals: Array.from({ length: intervals }, (_, k) => ({
          ...(k === 0 ? { dtstart: T0 } : {}), duration: Q, uid: String(k), signalPayload: (k + e) % 4,
        })),
        signalName: "SIMPLE", signalType: "level", signalID: `SIG-${e + 1}`, currentValue: 0,
      }],
      eiTarget: { venID: ["VEN-ESP32-3C71BF"] },
      targets: [{ type: "venID", value: "VEN-ESP32-3C71BF" }],
      oadrResponseRequired: "always",
    });
  }
  return {
    type: "oadrDistributeEvent", eiResponse: { responseCode: "200", responseDescription: "OK", requestID: "" },
    requestID: "bench-distribute-0001", vtnID: "TEST_VTN", eventCount: events, events: list,
  };
}
