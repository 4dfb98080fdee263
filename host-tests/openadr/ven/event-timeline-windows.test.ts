// 2.0b: statuses far/near/active/completed from the device clock (randomised start), and the
// x-eiNotification, x-eiRampUp, x-eiRecovery windows as signal phases; interval values follow the
// intervals; nextChange() names each boundary; nothing past the end (+ recovery).
import test from "ava";
import { MINUTE, openSession, SECOND, sessionEvent, T0 } from "./support/session.ts";

test("far → near → active (intervals) → recovery → completed, with the randomised start", async (t) => {
  const s = await openSession(t);
  await s.until(() => s.sim.received("oadrPoll").length >= 1);
  const dtstart = T0 + 5 * MINUTE;
  s.sim.putEvent(sessionEvent({ dtstart, notification: 2 * MINUTE, rampUp: MINUTE, recovery: MINUTE, startafter: 30 * SECOND }));
  s.sim.distribute();
  await s.until(() => s.sim.received("oadrCreatedEvent").length >= 1);
  const [event] = await s.xs.call("events");
  const start = event.activePeriod.start;
  t.is(start, dtstart + event.activePeriod.randomization);
  t.is(event.status, "far");
  const at = async (time: number) => {
    await s.until(() => s.xs.now >= time);
    const [e] = await s.xs.call("events");
    const active = await s.xs.call("active", time);
    return { status: e.status, phases: active.map((a: { phase: string }) => a.phase), values: active.map((a: { value: number }) => a.value) };
  };
  t.deepEqual(await at(start - 2 * MINUTE - SECOND), { status: "far", phases: [], values: [] });
  t.deepEqual(await at(start - 90 * SECOND), { status: "far", phases: ["notification", "notification"], values: [1, 0.15] });
  t.deepEqual(await at(start - 30 * SECOND), { status: "near", phases: ["rampUp", "rampUp"], values: [1, 0.15] });
  t.deepEqual(await at(start + 25 * SECOND), { status: "active", phases: ["active", "active"], values: [2, 0.3] });
  t.is(await s.xs.call("nextChange", start + 25 * SECOND), start + 40 * SECOND);
  t.deepEqual(await at(start + 45 * SECOND), { status: "active", phases: ["active", "active"], values: [1, 0.15] });
  t.deepEqual(await at(start + 60 * SECOND + 1), { status: "completed", phases: ["recovery", "recovery"], values: [1, 0.15] });
  t.deepEqual(await at(start + 2 * MINUTE + 1), { status: "completed", phases: [], values: [] });
  t.is(await s.xs.call("nextChange", start + 2 * MINUTE + 1), null);
});
