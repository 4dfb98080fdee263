// 2.0b: respond to every event when oadrResponseRequired is "always" (each oadrDistributeEvent, new or
// unchanged), never when it is "never"; the handler's answer (optIn/optOut) goes out as given, and an
// event that needs no answer still executes.
import test from "ava";
import { MINUTE, openSession, simpleEvent, T0 } from "./support/session.ts";

test("responseRequired always/never, opt answers as the handler gives them", async (t) => {
  const s = await openSession(t, { ven: { answers: { byEvent: { "EVT-OUT": "optOut" } } } });
  await s.until(() => s.sim.received("oadrPoll").length >= 1);
  s.sim.putEvent(simpleEvent("EVT-IN", T0 + MINUTE, 60 * MINUTE, 1));
  s.sim.putEvent(simpleEvent("EVT-OUT", T0 + MINUTE, 60 * MINUTE, 2));
  s.sim.putEvent(simpleEvent("EVT-NEVER", T0 + MINUTE, 60 * MINUTE, 3, { responseRequired: "never", testEvent: true }));
  s.sim.distribute();
  await s.until(() => s.sim.received("oadrCreatedEvent").length >= 1);
  s.sim.distribute();
  await s.until(() => s.sim.received("oadrCreatedEvent").length >= 2);
  for (const created of s.sim.received("oadrCreatedEvent")) {
    t.deepEqual(created.eventResponses!.map((r) => [r.eventID, r.optType]), [["EVT-IN", "optIn"], ["EVT-OUT", "optOut"]]);
  }
  await s.until(() => s.xs.now >= T0 + 2 * MINUTE);
  const active = await s.xs.call("active");
  t.deepEqual(active.map((a: { eventID: string; opt: string; test: boolean }) => [a.eventID, a.opt, a.test]), [["EVT-IN", "optIn", false], ["EVT-OUT", "optOut", false], ["EVT-NEVER", "optIn", true]]);
});
