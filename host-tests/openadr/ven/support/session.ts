// Node side of the VEN host tests: a VTN simulator over TLS with client certificates (the test PKI)
// and the VEN running on XS (xs-ven.ts), both on the engine's virtual clock. One call sets a test up;
// teardown closes both. Helpers build events and report requests the way a VTN operator would.
import type { ExecutionContext } from "ava";
import { XsHost, type XsHostOptions } from "../../../engine/index.ts";
import { makePki, type Pki } from "../../../peers/pki.ts";
import type { SimEvent, SimReportRequest } from "../../../peers/vtn/messages.ts";
import { VtnSimulator, type RegisteredMetadata, type VtnOptions } from "../../../peers/vtn/server.ts";
import type { XsVenConfig } from "../xs-ven.ts";

export const ENTRY = "host-tests/openadr/ven/xs-ven.ts";
export const T0 = Date.UTC(2026, 10, 22, 0, 0, 0);
export const SECOND = 1000;
export const MINUTE = 60_000;
export const HOUR = 3_600_000;

export interface SessionOptions {
  /** VTN simulator options (clock and PKI are filled in). */
  vtn?: Partial<VtnOptions>;
  /** XS host options (entry is filled in). */
  xs?: Partial<XsHostOptions>;
  /** VEN config overrides. */
  ven?: Partial<XsVenConfig>;
  /** Which client certificate the VEN presents. Default "ven-1". */
  client?: string;
  pki?: Pki;
  /** Plain HTTP (development mode). */
  plain?: boolean;
  /** Do not call start() on the VEN. */
  noStart?: boolean;
}

export interface Session {
  xs: XsHost;
  sim: VtnSimulator;
  pki: Pki;
  config: XsVenConfig;
  /** Power cycle the VEN (same store), then start it again with the same config. */
  reboot(offMs?: number): Promise<void>;
  /** Advance virtual time until the predicate holds (default limit 1 h virtual). */
  until(predicate: () => boolean, maxMs?: number): Promise<number>;
}

export async function openSession(t: ExecutionContext, options: SessionOptions = {}): Promise<Session> {
  const pki = options.pki ?? makePki();
  let xs: XsHost | undefined;
  const sim = await VtnSimulator.start({ pki: options.plain ? undefined : pki, clock: () => xs?.now ?? T0, ...options.vtn });
  t.teardown(() => sim.close());
  xs = await XsHost.start({ entry: ENTRY, clock: { start: T0 }, ...options.xs });
  t.teardown(() => xs!.close());
  const client = pki.vens[options.client ?? "ven-1"]!;
  const config: XsVenConfig = {
    vtnURL: sim.url,
    venName: "ven-esp32",
    pollInterval: 10 * SECOND,
    ...(options.plain ? { development: true } : { tls: { ca: pki.ca.certDer, certificate: client.certDer, key: client.keyDer } }),
    ...options.ven,
  };
  if (!options.noStart) await xs.call("start", config);
  const session: Session = {
    xs, sim, pki, config,
    async reboot(offMs = 0) {
      await xs!.restart({ offMs });
      await xs!.call("start", config);
    },
    until(predicate, maxMs = HOUR) {
      return xs!.runUntil(predicate, { maxMs });
    },
  };
  return session;
}

/** A VTN policy: ask for TELEMETRY_USAGE (every rID) with this granularity and report-back duration. */
export function requestTelemetry(granularity: number, reportBackDuration: number, id = "RR-TELEMETRY_USAGE-1") {
  return (metadata: RegisteredMetadata[]): SimReportRequest[] => {
    const usage = metadata.find((m) => m.reportName === "METADATA_TELEMETRY_USAGE");
    if (!usage) return [];
    return [{ reportRequestID: id, reportSpecifierID: usage.reportSpecifierID, granularity, reportBackDuration, rIDs: usage.descriptions.map((d) => d.rID) }];
  };
}

/** A two-signal event like fixtures/openadr/session/0008 (SIMPLE + ELECTRICITY_PRICE, three intervals). */
export function sessionEvent(overrides: Partial<SimEvent> & { dtstart: number }): SimEvent {
  return {
    eventID: "EVT-1",
    modificationNumber: 0,
    priority: 1,
    duration: 3 * 20 * SECOND,
    startafter: 10 * SECOND,
    notification: 20 * SECOND,
    rampUp: 5 * SECOND,
    recovery: 5 * SECOND,
    vtnComment: "two signals, three intervals",
    signals: [
      { name: "SIMPLE", type: "level", id: "SIG-SIMPLE", currentValue: 0, intervals: [{ duration: 20 * SECOND, value: 1 }, { duration: 20 * SECOND, value: 2 }, { duration: 20 * SECOND, value: 1 }] },
      { name: "ELECTRICITY_PRICE", type: "price", id: "SIG-PRICE", intervals: [{ duration: 20 * SECOND, value: 0.15 }, { duration: 20 * SECOND, value: 0.3 }, { duration: 20 * SECOND, value: 0.15 }] },
    ],
    targets: { groupID: ["GROUP-A"], resourceID: ["Device001"], venID: ["VEN-1"] },
    responseRequired: "always",
    intervalDtstart: true,
    ...overrides,
  };
}

/** A one-signal SIMPLE event. */
export function simpleEvent(eventID: string, dtstart: number, duration: number, value = 1, extra: Partial<SimEvent> = {}): SimEvent {
  return {
    eventID, modificationNumber: 0, dtstart, duration, priority: 1,
    signals: [{ name: "SIMPLE", type: "level", id: `${eventID}-SIG`, currentValue: 0, intervals: [{ duration: duration || HOUR, value }] }],
    targets: { venID: ["VEN-1"] },
    responseRequired: "always",
    ...extra,
  };
}
