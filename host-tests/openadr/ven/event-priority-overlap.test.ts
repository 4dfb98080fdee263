// 2.0b: overlapping events — the higher priority (lower number) wins, 0 means no priority (lowest),
// ties go to the first activated; active() lists winners first.
import test from "ava";
import { MINUTE, openSession, simpleEvent, T0 } from "./support/session.ts";

test("overlap: priority 1 beats 3, 0 is lowest, a tie goes to the event that started first", async (t) => {
  const s = await openSession(t);
  await s.until(() => s.sim.received("oadrPoll").length >= 1);
  s.sim.putEvent(simpleEvent("LOW-0", T0 + MINUTE, 60 * MINUTE, 1, { priority: 0 }));
  s.sim.putEvent(simpleEvent("P3", T0 + MINUTE, 60 * MINUTE, 2, { priority: 3 }));
  s.sim.putEvent(simpleEvent("P1-LATE", T0 + 3 * MINUTE, 60 * MINUTE, 3, { priority: 1 }));
  s.sim.putEvent(simpleEvent("P1-EARLY", T0 + 2 * MINUTE, 60 * MINUTE, 2, { priority: 1 }));
  s.sim.distribute();
  await s.until(() => s.xs.now >= T0 + 5 * MINUTE);
  const active = await s.xs.call("active");
  t.deepEqual(active.map((a: { eventID: string }) => a.eventID), ["P1-EARLY", "P1-LATE", "P3", "LOW-0"]);
});
