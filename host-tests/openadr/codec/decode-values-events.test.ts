// Decoded oadrDistributeEvent values match the XML (read independently with txml) in every fixture
// that has events: event ids, modification numbers, priorities, status, active period, signals,
// interval durations, uids and payloads, and targets. Plus literal checks on one captured event.
import test from "ava";
import { readFileSync } from "node:fs";
import type { XsHost } from "../../engine/index.ts";
import type { OadrDistributeEvent, OadrEvent } from "../../../modules/openadr/types.ts";
import { haveFixtures, MISSING_SHARED } from "../../support/shared.ts";
import { all, at, child, children, dateMs, durationMs, localName, messageOf, root, text, type Node } from "./oracle.ts";
import { allFixtures, fixture, startCodec, xsdInvalidNames } from "./support.ts";
import type { DecodeOutcome } from "./xs-entry.ts";

/** t.is without the type coupling (decoded values are checked against loosely typed XML readings). */
const is = (t: import("ava").ExecutionContext, actual: unknown, expected: unknown, message?: string): void => { t.is(actual, expected, message); };

let xs: XsHost;
test.before(async () => { if (haveFixtures) xs = await startCodec(); });
test.after.always(async () => { await xs?.close(); });

const num = (s: string | undefined): number | undefined => (s === undefined ? undefined : Number(s));

function expectedTargets(target: Node | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!target) return out;
  for (const c of children(target)) {
    const type = localName(c);
    const value = type === "endDeviceAsset" || type === "meterAsset" ? text(child(c, "mrid")) : text(c);
    (out[type] ??= []).push(value!);
  }
  return out;
}

function checkEvent(t: import("ava").ExecutionContext, label: string, xml: Node, event: OadrEvent): void {
  const eiEvent = child(xml, "eiEvent")!;
  const d = child(eiEvent, "eventDescriptor")!;
  is(t, event.eventDescriptor.eventID, text(child(d, "eventID")), label);
  is(t, event.eventDescriptor.modificationNumber, num(text(child(d, "modificationNumber"))), label);
  is(t, event.eventDescriptor.priority, num(text(child(d, "priority"))), label);
  is(t, event.eventDescriptor.eventStatus, text(child(d, "eventStatus"))?.trim(), label);
  is(t, event.eventDescriptor.createdDateTime, dateMs(text(child(d, "createdDateTime"))), label);
  is(t, event.eventDescriptor.marketContext, text(at(d, "eiMarketContext", "marketContext")), label);
  const props = at(eiEvent, "eiActivePeriod", "properties")!;
  is(t, event.eiActivePeriod.dtstart, dateMs(text(at(props, "dtstart", "date-time"))), label);
  is(t, event.eiActivePeriod.duration, durationMs(text(at(props, "duration", "duration"))), label);
  is(t, event.eiActivePeriod.startafter, durationMs(text(at(props, "tolerance", "tolerate", "startafter"))), label);
  is(t, event.eiActivePeriod.xEiRampUp, durationMs(text(at(props, "x-eiRampUp", "duration"))), label);
  is(t, event.eiActivePeriod.xEiRecovery, durationMs(text(at(props, "x-eiRecovery", "duration"))), label);
  is(t, event.oadrResponseRequired, text(child(xml, "oadrResponseRequired")), label);
  const signals = children(child(eiEvent, "eiEventSignals")!, "eiEventSignal");
  is(t, event.eiEventSignals.length, signals.length, label);
  for (const [k, s] of signals.entries()) {
    const decoded = event.eiEventSignals[k];
    is(t, decoded.signalName, text(child(s, "signalName")), label);
    is(t, decoded.signalType, text(child(s, "signalType")), label);
    is(t, decoded.signalID, text(child(s, "signalID")), label);
    is(t, decoded.currentValue, num(text(at(s, "currentValue", "payloadFloat", "value"))), label);
    const intervals = all(child(s, "intervals")!, "interval");
    is(t, decoded.intervals.length, intervals.length, label);
    for (const [j, i] of intervals.entries()) {
      const di = decoded.intervals[j];
      is(t, di.duration, durationMs(text(at(i, "duration", "duration"))), `${label} interval ${j}`);
      is(t, di.dtstart, dateMs(text(at(i, "dtstart", "date-time"))), `${label} interval ${j}`);
      is(t, di.uid, text(at(i, "uid", "text")), `${label} interval ${j}`);
      is(t, di.signalPayload, num(text(at(i, "signalPayload", "payloadFloat", "value"))), `${label} interval ${j}`);
    }
  }
  const targets = expectedTargets(child(eiEvent, "eiTarget"));
  t.deepEqual(event.eiTarget as Record<string, string[]>, targets, label);
  t.deepEqual(event.targets.map((x) => x.value).sort(), Object.values(targets).flat().sort(), label);
}

test("distribute-event fields equal the XML in every fixture", async (t) => {
  if (!haveFixtures) return t.log(MISSING_SHARED), t.pass();
  const invalid = xsdInvalidNames();
  let events = 0, documents = 0;
  for (const f of allFixtures()) {
    if (invalid.has(f.name)) continue;
    const bytes = readFileSync(f.file);
    if (bytes.length === 0) continue;
    const xml = messageOf(root(bytes));
    if (localName(xml) !== "oadrDistributeEvent") continue;
    const outcome = await xs.call<DecodeOutcome>("decode", bytes);
    if (!outcome.ok) return t.fail(`${f.name}: ${outcome.error.message}`);
    const message = outcome.message as unknown as OadrDistributeEvent;
    is(t, message.requestID, text(child(xml, "requestID")) ?? "", f.name);
    is(t, message.vtnID, text(child(xml, "vtnID")), f.name);
    const xmlEvents = children(xml, "oadrEvent");
    is(t, message.eventCount, xmlEvents.length, f.name);
    for (const [k, e] of xmlEvents.entries()) checkEvent(t, `${f.folder}/${f.name} event ${k}`, e, message.events![k]);
    events += xmlEvents.length;
    documents++;
  }
  t.true(documents >= 15 && events >= 20, `${documents} documents, ${events} events`);
  t.log(`${documents} documents, ${events} events checked`);
});

test("captured event (session 0008): literal values", async (t) => {
  if (!haveFixtures) return t.log(MISSING_SHARED), t.pass();
  const outcome = await xs.call<DecodeOutcome>("decode", fixture("session", "0008_ven-openleadr_OadrPoll_oadrDistributeEvent.resp.xml"));
  if (!outcome.ok) return t.fail(outcome.error.message);
  const m = outcome.message as unknown as OadrDistributeEvent;
  is(t, m.eiResponse?.requestID, "None");
  is(t, m.requestID, "e368f687-29f7-490d-99c2-af14f27de48d");
  const e = m.events![0];
  t.like(e.eventDescriptor, { eventID: "EVT-1", modificationNumber: 0, priority: 1, eventStatus: "far", testEvent: "false", marketContext: "http://MarketContext1" });
  is(t, e.eventDescriptor.createdDateTime, Date.UTC(2026, 10, 22, 2, 8, 36, 7));
  t.deepEqual(e.eiActivePeriod, {
    dtstart: Date.UTC(2026, 10, 22, 2, 8, 56), duration: 60_000, startafter: 10_000, xEiNotification: 20_000, xEiRampUp: 5_000, xEiRecovery: 5_000,
  });
  t.deepEqual(e.eiEventSignals.map((s) => s.intervals.map((i) => i.signalPayload)), [[1, 2, 1], [0.15, 0.3, 0.15]]);
  t.deepEqual(e.eiEventSignals[0].intervals.map((i) => [i.uid, i.duration]), [["0", 20_000], ["1", 20_000], ["2", 20_000]]);
  t.deepEqual(e.eiTarget, { groupID: ["GROUP-A"], resourceID: ["Device001"], venID: ["VEN-OPENLEADR-1"] });
  t.deepEqual(e.targets, [
    { type: "groupID", value: "GROUP-A" }, { type: "resourceID", value: "Device001" }, { type: "venID", value: "VEN-OPENLEADR-1" },
  ]);
  is(t, e.oadrResponseRequired, "always");
});
