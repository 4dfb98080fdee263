// An event without an eventID is refused (454, optOut), and an oadrDistributeEvent that held a refused
// event implies no cancellation: before, a distribute whose only event had an empty <ei:eventID/> (a
// damaged reply) was stored as event "" and cancelled every real event, which then stayed cancelled
// when the VTN listed it again unchanged (found by npm run faults: schema-invalid replies).
import test from "ava";
import { MINUTE, openSession, simpleEvent, T0 } from "./support/session.ts";

test("an event with an empty eventID is refused and cancels nothing", async (t) => {
  const s = await openSession(t);
  await s.until(() => s.sim.received("oadrPoll").length >= 1);
  s.sim.putEvent(simpleEvent("EVT-A", T0 + 5 * MINUTE, 60 * MINUTE, 1));
  s.sim.distribute();
  await s.until(() => s.sim.received("oadrCreatedEvent").length >= 1);
  const damaged = s.sim.distributeEventXml().replace(/<ei:eventID>EVT-A<\/ei:eventID>/, "<ei:eventID></ei:eventID>");
  s.sim.push(damaged);
  await s.until(() => s.sim.received("oadrCreatedEvent").length >= 2);
  const answer = s.sim.received("oadrCreatedEvent")[1]!.eventResponses![0]!;
  t.is(answer.responseCode, "454");
  t.is(answer.optType, "optOut");
  const events = await s.xs.call("events");
  t.deepEqual(events.map((e: { eventID: string; status: string }) => [e.eventID, e.status === "cancelled"]), [["EVT-A", false]]);
  await s.xs.advance(10 * MINUTE);
  t.deepEqual((await s.xs.call("active")).map((a: { eventID: string }) => a.eventID), ["EVT-A"]);
});
