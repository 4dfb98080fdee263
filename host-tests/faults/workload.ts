// The workload every fault run carries: a short demand-response afternoon in Tokyo that exercises the
// whole firmware — registration, three report requests (telemetry every minute, status, 30-minute
// history), an event modified before it starts, an event cancelled before it starts, a later event,
// CIOF energy slots every 30 minutes and a DR record per executed event. Faults are laid over it
// (catalog.ts). Times are offsets from the run's start S (true time, ms). Node only.
import type { SimEvent, SimReportRequest } from "../peers/vtn/messages.ts";
import type { RegisteredMetadata } from "../peers/vtn/server.ts";

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
/** JST: the site's zone (slots at local :00/:30). */
export const OFFSET_MINUTES = 540;

/** Length of the workload; faults end before it, then the run drains (runner.ts). */
export const WORKLOAD_MS = 4 * HOUR + 30 * MINUTE;

/** The run's start: 10:00 JST on the day after the real date, so certificates issued by the test PKI
 *  (valid from their real creation time) are valid at the device clock. */
export function workloadStart(realNow = Date.now()): number {
  const day = 86_400_000;
  const localMidnight = Math.floor((realNow + OFFSET_MINUTES * MINUTE) / day) * day - OFFSET_MINUTES * MINUTE;
  return localMidnight + day + 10 * HOUR;
}

/** Firmware configuration of every run (manifest config + these; a fault may add its own). */
export const FIRMWARE = Object.freeze({
  board: "sim", sntp: "", ssid: "", logLevel: "info", timezone: OFFSET_MINUTES * 60,
  venName: "ven-esp32-0001", deviceId: "ven0001",
  pollInterval: 120, meteringInterval: 30_000, telemetryInterval: 60_000, ciofPollingRate: 120,
  control: {
    bootDelayMin: 2, bootDelayMax: 30, restoreSpacing: 2,
    relays: {
      relay1: { rules: [{ signalName: "SIMPLE", when: "atLeast", threshold: 1 }], minOn: 180, minOff: 300, maxShed: 7200, restoreRandom: 120 },
      relay2: { rules: [{ signalName: "SIMPLE", when: "atLeast", threshold: 2 }], minOn: 120, minOff: 120, maxShed: 7200, restoreRandom: 120 },
    },
  },
});

export interface WorkloadEvent {
  /** When the VTN creates (or changes) it, offset from S. */
  at: number;
  kind: "new" | "modify" | "cancel";
  eventID: string;
  /** For new/modify: start offset from S, duration, SIMPLE level. */
  start?: number;
  duration?: number;
  value?: number;
}

export const EVENTS: readonly WorkloadEvent[] = Object.freeze([
  { at: 10 * MINUTE, kind: "new", eventID: "DR-1", start: 75 * MINUTE, duration: 60 * MINUTE, value: 1 },
  { at: 40 * MINUTE, kind: "modify", eventID: "DR-1", start: 75 * MINUTE, duration: 75 * MINUTE, value: 2 },
  { at: 150 * MINUTE, kind: "new", eventID: "DR-2", start: 180 * MINUTE, duration: 30 * MINUTE, value: 1 },
  { at: 170 * MINUTE, kind: "cancel", eventID: "DR-2" },
  { at: 180 * MINUTE, kind: "new", eventID: "DR-3", start: 225 * MINUTE, duration: 30 * MINUTE, value: 1 },
]);

/** The SimEvent the VTN holds for a workload event (targets the VEN registered now). */
export function simEvent(S: number, e: WorkloadEvent, venID: string | undefined, now: number, previous?: SimEvent): SimEvent {
  const value = e.value ?? 1;
  return {
    eventID: e.eventID,
    modificationNumber: previous ? previous.modificationNumber + 1 : 0,
    modificationDateTime: now,
    ...(previous ? { modificationReason: "workload modification" } : {}),
    priority: 1,
    marketContext: "http://MarketContext1",
    dtstart: S + e.start!,
    duration: e.duration!,
    startafter: 2 * MINUTE,
    signals: [{ name: "SIMPLE", type: "level", id: `${e.eventID}-SIMPLE`, currentValue: 0, intervals: [{ duration: e.duration!, value, uid: "0" }] }],
    targets: venID ? { venID: [venID] } : {},
    responseRequired: "always",
    testEvent: false,
    createdDateTime: previous?.createdDateTime ?? now,
  };
}

const REPORTS = Object.freeze([
  { id: "RR-TELEMETRY", report: "TELEMETRY_USAGE", granularity: MINUTE, reportBack: 5 * MINUTE },
  { id: "RR-STATUS", report: "TELEMETRY_STATUS", granularity: 5 * MINUTE, reportBack: 5 * MINUTE },
  { id: "RR-HISTORY", report: "HISTORY_USAGE", granularity: 30 * MINUTE, reportBack: 30 * MINUTE },
]);

/** The VTN's oadrRegisteredReport requests, given the VEN's METADATA (every registration). */
export function reportRequests(metadata: RegisteredMetadata[]): SimReportRequest[] {
  const out: SimReportRequest[] = [];
  for (const r of REPORTS) {
    const m = metadata.find((x) => x.reportName === `METADATA_${r.report}`);
    if (!m) continue;
    out.push({ reportRequestID: r.id, reportSpecifierID: m.reportSpecifierID, granularity: r.granularity, reportBackDuration: r.reportBack, rIDs: m.descriptions.map((d) => d.rID) });
  }
  return out;
}

/** A CIOF slot key as the firmware writes it (row[0] of the energy data): local start, "+09:00". */
export function slotKey(start: number): string {
  return new Date(start + OFFSET_MINUTES * MINUTE).toISOString().replace("Z", "+09:00");
}
