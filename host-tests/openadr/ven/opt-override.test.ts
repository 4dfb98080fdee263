// EiOpt for local overrides (OverrideSink): requestOptOut sends oadrCreateOpt (an availability
// schedule, and one per known event with its qualifiedEventID), control sees the events opted out,
// cancelOptOut sends oadrCancelOpt for each opt and the events are back to the app's answers.
import test from "ava";
import { MINUTE, openSession, simpleEvent, T0 } from "./support/session.ts";

test("override: oadrCreateOpt while it lasts, oadrCancelOpt when cancelled", async (t) => {
  const s = await openSession(t);
  await s.until(() => s.sim.received("oadrPoll").length >= 1);
  s.sim.putEvent(simpleEvent("EVT-O", T0 + 2 * MINUTE, 60 * MINUTE, 2));
  s.sim.distribute();
  await s.until(() => s.xs.now >= T0 + 3 * MINUTE);
  t.is((await s.xs.call("active"))[0].opt, "optIn");

  await s.xs.call("override", T0 + 33 * MINUTE, "overrideStatus");
  t.is((await s.xs.call("active"))[0].opt, "optOut", "control sees the opt-out at once");
  await s.until(() => s.sim.received("oadrCreateOpt").length >= 2);
  const [schedule, perEvent] = s.sim.received("oadrCreateOpt").map((e) => e.message!);
  const text = (n: typeof schedule, name: string) => JSON.stringify(n).includes(`"local":"${name}"`);
  t.true(text(schedule!, "vavailability"), "availability schedule");
  t.true(text(perEvent!, "qualifiedEventID"), "event-specific opt");
  t.true(s.sim.exchanges.filter((e) => e.type === "oadrCreateOpt").every((e) => e.responseType === "oadrCreatedOpt"));
  t.like(await s.xs.call("status"), { override: { until: T0 + 33 * MINUTE, reason: "overrideStatus" } });

  await s.xs.call("cancelOverride");
  await s.until(() => s.sim.received("oadrCancelOpt").length >= 2);
  t.is((await s.xs.call("active"))[0].opt, "optIn");
  t.true(s.sim.exchanges.filter((e) => e.type === "oadrCancelOpt").every((e) => e.responseType === "oadrCanceledOpt"));
  t.deepEqual((await s.sim.validate()).map((e) => `${e.type} ${e.validation?.errors.join(";")}`), []);
});
