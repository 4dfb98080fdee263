// Events are acted on only while the clock is valid: before SNTP (wall clock at the epoch) the VEN
// registers and stores what the VTN sends, but control sees nothing in force and no next change;
// once the time is set the stored event is in force.
import test from "ava";
import { MINUTE, openSession, simpleEvent, T0 } from "./support/session.ts";

test("invalid clock: events stored, not acted on; valid clock: in force", async (t) => {
  const s = await openSession(t, { xs: { clock: { start: T0, valid: false } } });
  await s.until(() => s.sim.received("oadrPoll").length >= 1);
  t.true((await s.xs.call("now")) < T0 - 365 * 24 * 60 * MINUTE, "the device does not know the time");
  s.sim.putEvent(simpleEvent("EVT-CLOCK", T0 - 10 * MINUTE, 120 * MINUTE, 2));
  s.sim.distribute();
  await s.until(() => s.sim.received("oadrCreatedEvent").length >= 1);
  t.is((await s.xs.call("events")).length, 1, "stored");
  t.deepEqual(await s.xs.call("active", T0), [], "not acted on");
  t.is(await s.xs.call("nextChange", T0 - 20 * MINUTE), null);
  await s.xs.setClock(T0 + MINUTE, { valid: true });
  t.deepEqual((await s.xs.call("active")).map((a: { eventID: string; value: number }) => [a.eventID, a.value]), [["EVT-CLOCK", 2]]);
});
