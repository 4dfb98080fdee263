// 2.0b: an event whose status is cancelled stops at once and is acknowledged (responseRequired
// always); control no longer sees its signals; the handler is not asked again.
import test from "ava";
import { MINUTE, openSession, simpleEvent, T0 } from "./support/session.ts";

test("cancelled event: acknowledged, removed from the signals in force", async (t) => {
  const s = await openSession(t);
  await s.until(() => s.sim.received("oadrPoll").length >= 1);
  s.sim.putEvent(simpleEvent("EVT-C", T0 + 2 * MINUTE, 30 * MINUTE, 2));
  s.sim.distribute();
  await s.until(() => (s.xs.now >= T0 + 3 * MINUTE));
  t.is((await s.xs.call("active")).length, 1, "active before the cancellation");
  s.sim.cancelEvent("EVT-C");
  s.sim.distribute();
  await s.until(() => s.sim.received("oadrCreatedEvent").length >= 2);
  const ack = s.sim.received("oadrCreatedEvent")[1]!.eventResponses![0]!;
  t.like(ack, { eventID: "EVT-C", modificationNumber: 1, responseCode: "200", optType: "optIn" });
  t.deepEqual(await s.xs.call("active"), []);
  const [event] = await s.xs.call("events");
  t.is(event.status, "cancelled");
  t.is((await s.xs.call("handled")).length, 1);
});
