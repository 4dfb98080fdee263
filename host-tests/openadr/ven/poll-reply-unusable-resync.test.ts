// A poll reply the VEN cannot use (damaged on the way) may have carried the oadrDistributeEvent the VTN
// had queued for it, which the VTN will not send again: the VEN asks for the events (oadrRequestEvent),
// as after an outage, and so learns the event it would have missed.
import test from "ava";
import { MINUTE, openSession, simpleEvent, T0 } from "./support/session.ts";

test("an unusable poll reply: the VEN re-syncs its events with oadrRequestEvent", async (t) => {
  const s = await openSession(t);
  await s.until(() => s.sim.received("oadrPoll").length >= 1);
  const before = s.sim.received("oadrRequestEvent").length;
  s.sim.putEvent(simpleEvent("EVT-LOST", T0 + 30 * MINUTE, 60 * MINUTE, 1));
  s.sim.distribute();
  // the poll that takes the queued distribute gets a damaged reply
  s.sim.overrides.push({ endpoint: "OadrPoll", process: true, status: 200, body: "<html>proxy error</html>" });
  await s.until(() => s.sim.received("oadrRequestEvent").length > before);
  await s.until(() => s.sim.received("oadrCreatedEvent").length >= 1);
  t.deepEqual((await s.xs.call("events")).map((e: { eventID: string }) => e.eventID), ["EVT-LOST"]);
});
