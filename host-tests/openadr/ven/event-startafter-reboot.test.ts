// 2.0b startafter: the start is randomised in [0, startafter] once and the offset is kept across
// modifications and reboots (xs.restart()); after the reboot the stored registration is reused and the
// event keeps its schedule — it executes even before the VTN is heard from again.
import test from "ava";
import { MINUTE, openSession, simpleEvent, T0 } from "./support/session.ts";

test("reboot mid-event: same schedule, same randomisation offset, registration reused", async (t) => {
  const s = await openSession(t, { xs: { random: { seed: 7 } } });
  await s.until(() => s.sim.received("oadrPoll").length >= 1);
  s.sim.putEvent(simpleEvent("EVT-R", T0 + 5 * MINUTE, 60 * MINUTE, 2, { startafter: 10 * MINUTE }));
  s.sim.distribute();
  await s.until(() => s.sim.received("oadrCreatedEvent").length >= 1);
  const [before] = await s.xs.call("events");
  const offset = before.activePeriod.randomization;
  t.true(offset > 0 && offset <= 10 * MINUTE, `offset ${offset}`);
  await s.until(() => s.xs.now >= before.activePeriod.start + MINUTE);
  const activeBefore = await s.xs.call("active");
  t.is(activeBefore.length, 1);

  s.sim.setOffline(true); // the VTN stays away across the reboot
  const registrations = s.sim.received("oadrCreatePartyRegistration").length;
  await s.reboot(30_000);
  const [after] = await s.xs.call("events");
  t.is(after.activePeriod.randomization, offset, "offset survives the reboot");
  t.is(after.activePeriod.start, before.activePeriod.start);
  t.deepEqual((await s.xs.call("active")).map((a: { eventID: string; value: number; start: number }) => [a.eventID, a.value, a.start]), [["EVT-R", 2, before.activePeriod.start]]);
  t.like(await s.xs.call("status"), { venID: "VEN-1" });

  s.sim.setOffline(false);
  await s.until(() => s.sim.exchanges.filter((e) => e.type === "oadrRequestEvent").length >= 2, 30 * MINUTE);
  t.is(s.sim.received("oadrCreatePartyRegistration").length, registrations, "no new registration");
  const [resynced] = await s.xs.call("events");
  t.is(resynced.activePeriod.randomization, offset);
  t.is((await s.xs.call("handled")).length, 0, "after the reboot the unchanged event is not decided again");
});
