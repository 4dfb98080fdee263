// 2.0b: an event missing from a later oadrDistributeEvent is implicitly cancelled (nothing to answer
// for it; the others are answered as usual).
import test from "ava";
import { MINUTE, openSession, simpleEvent, T0 } from "./support/session.ts";

test("implied cancellation: the event the VTN stops listing is cancelled", async (t) => {
  const s = await openSession(t);
  await s.until(() => s.sim.received("oadrPoll").length >= 1);
  s.sim.putEvent(simpleEvent("EVT-A", T0 + MINUTE, HOURS(1), 1));
  s.sim.putEvent(simpleEvent("EVT-B", T0 + MINUTE, HOURS(1), 2, { priority: 2 }));
  s.sim.distribute();
  await s.until(() => s.xs.now >= T0 + 2 * MINUTE && s.sim.received("oadrCreatedEvent").length >= 1);
  t.deepEqual((await s.xs.call("active")).map((a: { eventID: string }) => a.eventID), ["EVT-A", "EVT-B"]);
  s.sim.removeEvent("EVT-B");
  s.sim.distribute();
  await s.until(() => s.sim.received("oadrCreatedEvent").length >= 2);
  t.deepEqual(s.sim.received("oadrCreatedEvent")[1]!.eventResponses!.map((r) => r.eventID), ["EVT-A"]);
  t.deepEqual((await s.xs.call("active")).map((a: { eventID: string }) => a.eventID), ["EVT-A"]);
  const events = await s.xs.call("events");
  t.is(events.find((e: { eventID: string }) => e.eventID === "EVT-B").status, "cancelled");
  t.truthy((await s.xs.call("logs", "info")).find((l: { message: string }) => l.message === "event implicitly cancelled"));
});

function HOURS(n: number): number {
  return n * 60 * MINUTE;
}
