// 2.0b: an active period of duration 0 is open-ended: the event stays active (end = ∞, reported as
// -1 here) until the VTN cancels it.
import test from "ava";
import { MINUTE, openSession, simpleEvent, T0 } from "./support/session.ts";

test("open-ended event runs until cancelled", async (t) => {
  const s = await openSession(t);
  await s.until(() => s.sim.received("oadrPoll").length >= 1);
  s.sim.putEvent(simpleEvent("OPEN", T0 + MINUTE, 0, 2));
  s.sim.distribute();
  await s.until(() => s.xs.now >= T0 + 30 * MINUTE);
  const [signal] = await s.xs.call("active");
  t.like(signal, { eventID: "OPEN", phase: "active", value: 2, end: -1 });
  t.is((await s.xs.call("events"))[0].status, "active");
  s.sim.cancelEvent("OPEN");
  s.sim.distribute();
  await s.until(() => s.sim.received("oadrCreatedEvent").length >= 2);
  t.deepEqual(await s.xs.call("active"), []);
});
