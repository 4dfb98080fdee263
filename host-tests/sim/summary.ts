// The simulator's summary, computed from what the peers and the simulated hardware recorded — the
// bodies that crossed the wire (as the VTN and the CIOF terminal received them), the relay pin writes
// of the simulated board — and not from what the firmware says about itself (only the CIOF outbox's
// own count of what it queued comes from the firmware, to compare with what the terminal got).
// Node only.
import { readFileSync } from "node:fs";
import path from "node:path";
import simBoard from "../../hardware/boards/sim";
import { resolveConfig, type AppConfig } from "../../modules/app/config";
import { validateMany, schemaAvailable } from "../peers/vtn/validate.ts";
import { child, childrenNamed, find, findAll, parseDateTime, parseDuration, parseXml, textOf, type XNode } from "../peers/vtn/xml.ts";
import { repoRoot } from "../support/shared.ts";
import type { SimRecords } from "./run.ts";

const SLOT_MS = 30 * 60_000;
const TOLERANCE_MS = 1000;

export interface WireEvent {
  eventID: string;
  modificationNumber: number;
  status: string;
  dtstart: number;
  duration: number;
  startafter: number;
  test: boolean;
  responseRequired: string;
  signals: Array<{ name: string; type: string; intervals: Array<{ start: number; end: number; value: number }> }>;
  /** Simulated time the VEN received this version. */
  receivedAt: number;
}

export interface RelayPeriod { relay: string; on: boolean; from: number; to: number; open: boolean }
export interface Violation { relay: string; rule: string; at: number; detail: string }

export interface EventOutcome {
  eventID: string;
  finalModification: number;
  cancelled: boolean;
  cancelledBeforeStart: boolean;
  optOut: boolean;
  expectedRelays: string[];
  shedRelays: string[];
  expected: boolean;
  executed: boolean;
  window: [number, number];
  versions: number;
  versionsAnswered: number;
}

export interface Summary {
  scenario: string;
  mode: "builtin" | "external";
  start: string;
  end: string;
  simulated_hours: number;
  wall_seconds: number;
  events_received: number;
  event_versions_received: number;
  events_expected: number;
  events_executed: number;
  events_cancelled: number;
  cancellations_honored: number;
  event_versions_needing_answer: number;
  event_versions_answered: number;
  opt_responses: number;
  opt_creates: number;
  relay_switches: number;
  safety_violations: number;
  reports_sent: number;
  report_values_received_by_vtn: number;
  ven_requests: number;
  ven_requests_xsd_invalid: number | null;
  ven_requests_by_type: Record<string, number>;
  ciof: {
    records_queued: number | null;
    records_delivered: number;
    records_lost: number | null;
    records_duplicated: number;
    records_pending: number | null;
    messages_received: number;
    service_records_received: number;
    status_updates: number;
    energy_slots_expected: number;
    energy_slots_received: number;
    dr_records_received: number;
    pull_answers: number;
  } | null;
  /** Largest live XS heap (after a collection, sampled every simulated minute): chunks + slots × 16 (ESP32 slot size). */
  peak_heap_bytes: number;
  heap: { profile: string; live_chunks: number; live_slots: number; peak_stack_slots: number; peak_stack_slots_host: number; peak_chunks_with_garbage: number; peak_slots_with_garbage: number; error?: string };
  energy: { site_truth_kvah: number | null; metered_kvah: number | null };
  events: EventOutcome[];
  violations: Violation[];
  xs_errors: string[];
  aborted?: string;
  checks: Record<string, boolean>;
  pass: boolean;
}

/** The firmware configuration a run used (manifest config + the run's overrides), as the firmware resolved it. */
export function runConfig(records: SimRecords): AppConfig {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, "manifest.json"), "utf8")).config ?? {};
  return resolveConfig({ ...manifest, ...records.config, ciofKey: "" });
}

function messageType(xml: string): { type?: string; node?: XNode } {
  if (!xml) return {};
  try {
    const root = parseXml(xml);
    const signed = root.local === "oadrPayload" ? child(root, "oadrSignedObject") : undefined;
    const node = signed?.children[0] ?? root;
    return { type: node.local, node };
  } catch {
    return {};
  }
}

function wireEvents(node: XNode, at: number): WireEvent[] {
  return childrenNamed(node, "oadrEvent").map((oe) => {
    const ei = child(oe, "eiEvent");
    const d = child(ei, "eventDescriptor");
    const props = find(child(ei, "eiActivePeriod"), "properties");
    const dtstart = parseDateTime(textOf(find(child(props, "dtstart"), "date-time")) ?? "1970-01-01T00:00:00Z");
    const durationText = textOf(find(child(props, "duration"), "duration"));
    const startafterText = textOf(find(props, "startafter"));
    const signals = findAll(child(ei, "eiEventSignals"), "eiEventSignal").map((sig) => {
      let t = dtstart;
      const intervals = findAll(sig, "interval").map((iv) => {
        const ms = parseDuration(textOf(find(iv, "duration"), "duration") ?? "PT0S");
        const value = Number(textOf(find(iv, "signalPayload"), "value") ?? textOf(find(iv, "payloadFloat"), "value"));
        const out = { start: t, end: t + ms, value };
        t += ms;
        return out;
      });
      return { name: textOf(sig, "signalName") ?? "", type: textOf(sig, "signalType") ?? "", intervals };
    });
    return {
      eventID: textOf(d, "eventID") ?? "", modificationNumber: Number(textOf(d, "modificationNumber") ?? 0), status: textOf(d, "eventStatus") ?? "",
      dtstart, duration: durationText ? parseDuration(durationText) : 0, startafter: startafterText ? parseDuration(startafterText) : 0,
      test: (textOf(d, "testEvent") ?? "false") !== "false", responseRequired: textOf(oe, "oadrResponseRequired") ?? "always", signals, receivedAt: at,
    };
  });
}

/** Relay on/off periods from the pin writes, through the board's polarity and wiring. */
export function relayPeriods(records: SimRecords): Map<string, RelayPeriod[]> {
  const byPin = new Map(simBoard.relays.map((r) => [r.pin, r]));
  const out = new Map<string, RelayPeriod[]>();
  for (const r of simBoard.relays) out.set(r.id, []);
  for (const w of records.relayWrites) {
    const relay = byPin.get(w.pin);
    if (!relay) continue;
    const energized = relay.activeLow ? w.level === 0 : w.level !== 0;
    const on = energized !== (relay.loadWhenDeenergized === "on");
    const list = out.get(relay.id)!;
    const last = list[list.length - 1];
    if (last && last.on === on) continue;
    if (last) { last.to = w.at; last.open = false; }
    list.push({ relay: relay.id, on, from: w.at, to: records.endMs, open: true });
  }
  return out;
}

/** Safety rules checked on the pins: minimum on and off times, maximum shed, restore spacing, boot delay. */
export function checkSafety(records: SimRecords, config: AppConfig, periods: Map<string, RelayPeriod[]>): { violations: Violation[]; switches: number } {
  const violations: Violation[] = [];
  let switches = 0;
  const spacing = config.control.restoreSpacing * 1000;
  const restores: Array<{ relay: string; at: number }> = [];
  for (const [relay, list] of periods) {
    const c = config.control.relays[relay];
    const minOn = (c?.minOn ?? 180) * 1000;
    const minOff = (c?.minOff ?? 300) * 1000;
    const maxShed = (c?.maxShed ?? 14_400) * 1000;
    switches += Math.max(0, list.length - 1);
    list.forEach((p, i) => {
      const length = p.to - p.from;
      if (i === 1 && p.from < records.bootMs + config.control.bootDelayMin * 1000 - TOLERANCE_MS) {
        violations.push({ relay, rule: "boot delay", at: p.from, detail: `switched ${((p.from - records.bootMs) / 1000).toFixed(1)} s after boot (< ${config.control.bootDelayMin} s)` });
      }
      if (p.on && !p.open && length < minOn - TOLERANCE_MS) violations.push({ relay, rule: "minimum on", at: p.to, detail: `on ${(length / 1000).toFixed(0)} s < ${minOn / 1000} s` });
      if (!p.on && !p.open && length < minOff - TOLERANCE_MS) violations.push({ relay, rule: "minimum off", at: p.to, detail: `off ${(length / 1000).toFixed(0)} s < ${minOff / 1000} s` });
      if (!p.on && length > maxShed + spacing + TOLERANCE_MS) violations.push({ relay, rule: "maximum shed", at: p.from + maxShed, detail: `off ${(length / 60_000).toFixed(1)} min > ${maxShed / 60_000} min` });
      if (p.on && i > 0) restores.push({ relay, at: p.from });
    });
  }
  restores.sort((a, b) => a.at - b.at);
  for (let i = 1; i < restores.length; i++) {
    if (restores[i].at - restores[i - 1].at < spacing - 10) {
      violations.push({ relay: restores[i].relay, rule: "restore spacing", at: restores[i].at, detail: `${restores[i].at - restores[i - 1].at} ms after ${restores[i - 1].relay} (< ${spacing} ms)` });
    }
  }
  return { violations, switches };
}

function compare(value: number, when: string, threshold: number): boolean {
  switch (when) {
    case "atLeast": return value >= threshold;
    case "above": return value > threshold;
    case "atMost": return value <= threshold;
    default: return value < threshold;
  }
}

/** What the wire and the pins say, for the summary and the timeline. */
export interface Analysis {
  config: AppConfig;
  /** Latest version of each event the VEN received, and when a cancellation reached it. */
  latest: Map<string, WireEvent>;
  versions: Map<string, WireEvent>;
  cancelledAt: Map<string, number>;
  answers: Map<string, { code: string; optType: string; at: number }>;
  periods: Map<string, RelayPeriod[]>;
  /** TELEMETRY_USAGE power values the VTN accepted: interval start, kW (kVA when estimated). */
  power: Array<{ at: number; value: number }>;
  /** Times of uploads: reports accepted by the VTN, event responses and opts, CIOF trade messages and service records. */
  uploads: { reports: number[]; responses: number[]; trade: number[]; records: number[] };
}

export function analyze(records: SimRecords): Analysis {
  const config = runConfig(records);
  const latest = new Map<string, WireEvent>();
  const versions = new Map<string, WireEvent>();
  const cancelledAt = new Map<string, number>();
  const answers = new Map<string, { code: string; optType: string; at: number }>();
  const power: Analysis["power"] = [];
  const uploads: Analysis["uploads"] = { reports: [], responses: [], trade: [], records: [] };
  for (const m of records.messages) {
    if (m.peer === "ciof") {
      if (m.status !== 200 || m.method !== "POST") continue;
      if (m.url.endsWith("/messages")) uploads.trade.push(m.at);
      else if (m.url.endsWith("/service_record")) uploads.records.push(m.at);
      continue;
    }
    if (m.peer !== "vtn") continue;
    const req = messageType(m.request);
    if (req.type === "oadrCreatedEvent" || req.type === "oadrCreateOpt") {
      uploads.responses.push(m.at);
      for (const r of findAll(req.node, "eventResponse")) {
        answers.set(`${textOf(r, "eventID")}#${Number(textOf(r, "modificationNumber"))}`, { code: textOf(r, "responseCode") ?? "", optType: textOf(r, "optType") ?? "", at: m.at });
      }
    }
    if (m.status !== 200) continue;
    if (req.type === "oadrUpdateReport") {
      uploads.reports.push(m.at);
      for (const iv of findAll(req.node, "interval")) {
        const start = textOf(child(iv, "dtstart"), "date-time");
        for (const p of childrenNamed(iv, "oadrReportPayload")) {
          if (textOf(child(p, "rID")) !== "site:power") continue;
          const v = textOf(find(p, "payloadFloat"), "value");
          if (start && v !== undefined) power.push({ at: parseDateTime(start), value: Number(v) });
        }
      }
    }
    const res = messageType(m.response);
    if (res.type === "oadrDistributeEvent") {
      for (const e of wireEvents(res.node!, m.at)) {
        const key = `${e.eventID}#${e.modificationNumber}`;
        if (!versions.has(key)) versions.set(key, e);
        const prev = latest.get(e.eventID);
        if (!prev || e.modificationNumber >= prev.modificationNumber) latest.set(e.eventID, e);
        if (e.status === "cancelled" && !cancelledAt.has(e.eventID)) cancelledAt.set(e.eventID, m.at);
      }
    }
  }
  power.sort((a, b) => a.at - b.at);
  return { config, latest, versions, cancelledAt, answers, periods: relayPeriods(records), power, uploads };
}

export async function summarize(records: SimRecords, analysis = analyze(records)): Promise<Summary> {
  const { config, latest, versions, cancelledAt, answers, periods } = analysis;
  const vtnMessages = records.messages.filter((m) => m.peer === "vtn");
  const byType: Record<string, number> = {};
  let optResponses = 0;
  let optCreates = 0;
  let reportsSent = 0;
  let reportValues = 0;
  for (const m of vtnMessages) {
    const req = messageType(m.request);
    if (req.type) byType[req.type] = (byType[req.type] ?? 0) + 1;
    if (req.type === "oadrCreatedEvent") optResponses += findAll(req.node, "eventResponse").length;
    if (req.type === "oadrCreateOpt") optCreates++;
  }
  // Reports: as the VTN simulator parsed and accepted them (external mode: from the wire).
  if (records.vtn) {
    for (const x of records.vtn.exchanges) {
      if (x.type !== "oadrUpdateReport" || x.status !== 200 || !x.reports) continue;
      reportsSent++;
      for (const r of x.reports) for (const iv of r.intervals) if (iv.value !== undefined || iv.status !== undefined) reportValues++;
    }
  } else {
    for (const m of vtnMessages) {
      const req = messageType(m.request);
      if (req.type !== "oadrUpdateReport" || m.status !== 200) continue;
      const res = messageType(m.response);
      if (res.type !== "oadrUpdatedReport" || textOf(find(res.node, "eiResponse"), "responseCode") !== "200") continue;
      reportsSent++;
      for (const p of findAll(req.node, "oadrReportPayload")) if (find(p, "payloadFloat") || find(p, "oadrPayloadResourceStatus")) reportValues++;
    }
  }

  // Relays and safety, from the pins.
  const { violations, switches } = checkSafety(records, config, periods);

  // Events: expected to run (not cancelled before start, not opted out, not a test, inside the run) and
  // executed (every relay its signal should shed was off at some point in the event's window).
  const events: EventOutcome[] = [];
  for (const [eventID, e] of latest) {
    const cancelled = e.status === "cancelled";
    const cAt = cancelledAt.get(eventID);
    const beforeStart = cancelled && cAt !== undefined && cAt <= e.dtstart;
    const open = e.duration === 0;
    const plannedEnd = open ? records.endMs : e.dtstart + e.duration + e.startafter;
    const end = cancelled && cAt !== undefined ? Math.min(plannedEnd, cAt) : plannedEnd;
    const answer = answers.get(`${eventID}#${e.modificationNumber}`);
    const optOut = answer?.optType === "optOut";
    const expectedRelays: string[] = [];
    for (const relay of simBoard.relays) {
      const rules = config.control.relays[relay.id]?.rules ?? [];
      const sheds = e.signals.some((s) => rules.some((rule) => rule.signalName === s.name && (rule.signalType === undefined || rule.signalType === s.type) &&
        s.intervals.some((iv) => iv.start < (beforeStart ? plannedEnd : end) && compare(iv.value, rule.when, rule.threshold))));
      if (sheds) expectedRelays.push(relay.id);
    }
    const window: [number, number] = [e.dtstart, end];
    const shedRelays = expectedRelays.filter((id) => (periods.get(id) ?? []).some((p) => !p.on && p.from < window[1] + 60_000 && p.to > window[0]));
    // the window overlaps the run: it began early enough to act on, and ended after the firmware booted
    const inRun = e.dtstart + e.startafter + 2 * 60_000 < records.endMs && plannedEnd > records.bootMs;
    const expected = !beforeStart && !optOut && !e.test && expectedRelays.length > 0 && inRun;
    let versionsTotal = 0;
    let versionsAnswered = 0;
    for (const [key, v] of versions) {
      if (v.eventID !== eventID || v.responseRequired !== "always") continue;
      versionsTotal++;
      if (answers.get(key)?.code === "200") versionsAnswered++;
    }
    events.push({
      eventID, finalModification: e.modificationNumber, cancelled, cancelledBeforeStart: beforeStart, optOut, expectedRelays, shedRelays,
      expected, executed: expected && shedRelays.length === expectedRelays.length, window, versions: versionsTotal, versionsAnswered,
    });
  }
  // A cancellation is honoured when no relay the event would have shed went off in its planned window
  // for a reason no other (running) event explains.
  let honored = 0;
  const cancelledEvents = events.filter((e) => e.cancelledBeforeStart);
  for (const c of cancelledEvents) {
    const planned = latest.get(c.eventID)!;
    const from = planned.dtstart, to = planned.dtstart + planned.duration + planned.startafter;
    const explained = (relay: string, t: number) => events.some((o) => o.eventID !== c.eventID && o.expected && o.expectedRelays.includes(relay) && t >= o.window[0] - 60_000 && t <= o.window[1] + 60_000);
    const bad = c.expectedRelays.some((relay) => (periods.get(relay) ?? []).some((p) => !p.on && p.from >= from && p.from < to && !explained(relay, p.from)));
    if (!bad) honored++;
  }

  // XSD validity of every VEN → VTN body.
  let invalid: number | null = null;
  const bodies = vtnMessages.map((m) => m.request).filter((b) => b.length > 0);
  if (schemaAvailable) {
    invalid = 0;
    for (let i = 0; i < bodies.length; i += 250) {
      const outcomes = await validateMany(bodies.slice(i, i + 250));
      invalid += outcomes.filter((x) => x.valid === false).length;
    }
  }

  // CIOF: what the terminal received, deduplicated by id, against what the outbox says it queued.
  let ciof: Summary["ciof"] = null;
  const t = records.terminal;
  const fw = records.finalStatus?.ciof;
  if (t || fw) {
    const messages = t?.messages ?? [];
    const recs = t?.records ?? [];
    const ourIds = new Set(messages.map((m) => m.id));
    const uniqueMessages = new Set(messages.filter((m) => !m.duplicate).map((m) => m.id));
    const uniqueRecords = recs.filter((r) => !r.duplicate);
    const standalone = uniqueRecords.filter((r) => !ourIds.has(r.body.data_id)).length;
    const delivered = uniqueMessages.size + standalone;
    const duplicated = messages.filter((m) => m.duplicate).length + recs.filter((r) => r.duplicate).length;
    const queued = fw ? fw.delivered + fw.queued + fw.lost + fw.deadLetters : null;
    const slotRows = new Set<string>();
    const drRows = new Set<string>();
    for (const m of messages) {
      if (m.duplicate) continue;
      if (m.tradeContractId === "10001") for (const row of m.contents) slotRows.add(row[0]);
      if (m.tradeContractId === "10002") for (const row of m.contents) drRows.add(row[0]);
    }
    const firstSlot = Math.ceil(records.bootMs / SLOT_MS) * SLOT_MS;
    let expectedSlots = 0;
    for (let s = Math.floor(records.bootMs / SLOT_MS) * SLOT_MS; s + SLOT_MS <= records.endMs - 2 * 60_000; s += SLOT_MS) expectedSlots++;
    void firstSlot;
    ciof = {
      records_queued: queued,
      records_delivered: delivered,
      records_lost: queued === null ? null : Math.max(0, queued - delivered - (fw?.queued ?? 0)),
      records_duplicated: duplicated,
      records_pending: fw?.queued ?? null,
      messages_received: messages.length,
      service_records_received: recs.length,
      status_updates: t ? t.log.filter((l) => l.method === "PUT").length : 0,
      energy_slots_expected: expectedSlots,
      energy_slots_received: slotRows.size,
      dr_records_received: drRows.size,
      pull_answers: messages.filter((m) => m.requestParameterId !== undefined && !m.duplicate).length,
    };
  }

  const expectedEvents = events.filter((e) => e.expected);
  const executed = expectedEvents.filter((e) => e.executed).length;
  const needing = events.reduce((n, e) => n + e.versions, 0);
  const answered = events.reduce((n, e) => n + e.versionsAnswered, 0);
  const heap = records.heap;
  const summary: Summary = {
    scenario: records.scenario.name, mode: records.mode,
    start: new Date(records.startMs).toISOString(), end: new Date(records.endMs).toISOString(),
    simulated_hours: Math.round(((records.endMs - records.startMs) / 3_600_000) * 100) / 100,
    wall_seconds: Math.round(records.wallSeconds * 10) / 10,
    events_received: latest.size, event_versions_received: versions.size,
    events_expected: expectedEvents.length, events_executed: executed,
    events_cancelled: events.filter((e) => e.cancelled).length, cancellations_honored: honored,
    event_versions_needing_answer: needing, event_versions_answered: answered,
    opt_responses: optResponses, opt_creates: optCreates,
    relay_switches: switches, safety_violations: violations.length,
    reports_sent: reportsSent, report_values_received_by_vtn: reportValues,
    ven_requests: bodies.length, ven_requests_xsd_invalid: invalid, ven_requests_by_type: byType,
    ciof,
    peak_heap_bytes: heap.liveChunks + heap.liveSlots * 16,
    heap: {
      profile: heap.profile, live_chunks: heap.liveChunks, live_slots: heap.liveSlots, peak_stack_slots: heap.peakStackDevice, peak_stack_slots_host: heap.peakStack,
      peak_chunks_with_garbage: heap.peakChunks, peak_slots_with_garbage: heap.peakSlots, ...(heap.error ? { error: heap.error } : {}),
    },
    energy: { site_truth_kvah: records.site ? Math.round(records.site.truthKVAh * 1000) / 1000 : null, metered_kvah: records.finalStatus ? Math.round(records.finalStatus.meter.energyWh) / 1000 : null },
    events, violations, xs_errors: records.xsErrors,
    checks: {},
    pass: false,
  };
  if (records.aborted && records.aborted !== "aborted") summary.aborted = records.aborted;
  summary.checks = {
    "safety_violations = 0": violations.length === 0,
    "ven_requests_xsd_invalid = 0": invalid === null || invalid === 0,
    "every expected event executed": executed === expectedEvents.length,
    "every event version answered": answered === needing,
    "cancellations honoured": honored === cancelledEvents.length,
    "report values received by the VTN": reportValues > 0,
    "ciof.records_lost = 0": ciof === null || ciof.records_lost === 0,
    "ciof.records_duplicated = 0": ciof === null || ciof.records_duplicated === 0,
    "no XS errors": records.xsErrors.length === 0 && !summary.aborted,
  };
  if (heap.profile === "esp32") summary.checks["stack ≤ 512 slots (ESP32)"] = heap.peakStackDevice <= 512;
  summary.pass = Object.values(summary.checks).every(Boolean);
  return summary;
}
