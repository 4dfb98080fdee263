// A VTN that no longer knows the venID answers 452 (Invalid ID): the VEN drops its registration,
// registers again (query, create party, RegisterReport, RequestEvent) and carries on; stored events
// are kept meanwhile.
import test from "ava";
import { MINUTE, openSession, simpleEvent, T0 } from "./support/session.ts";

test("452 to a poll: register again, events kept", async (t) => {
  const s = await openSession(t, { vtn: { assignVenID: (() => { let n = 0; return () => `VEN-${++n}`; })() } });
  await s.until(() => s.sim.received("oadrPoll").length >= 1);
  s.sim.putEvent(simpleEvent("EVT-K", T0 + MINUTE, 60 * MINUTE));
  s.sim.distribute();
  await s.until(() => s.sim.received("oadrCreatedEvent").length >= 1);
  s.sim.forgetVen();
  const marker = s.sim.exchanges.length;
  await s.until(() => s.sim.exchanges.slice(marker).some((e) => e.type === "oadrPoll" && e.venID === "VEN-2"));
  const after = s.sim.exchanges.slice(marker);
  t.is(after[0]!.type, "oadrPoll");
  t.true(after[0]!.responseBody.includes("<ei:responseCode>452</ei:responseCode>"));
  t.deepEqual(after.slice(1, 5).map((e) => e.type), ["oadrQueryRegistration", "oadrCreatePartyRegistration", "oadrRegisterReport", "oadrRequestEvent"]);
  t.like(await s.xs.call("status"), { state: "registered", venID: "VEN-2" });
  t.is((await s.xs.call("events")).length, 1);
  t.truthy((await s.xs.call("logs", "warn")).find((l: { message: string }) => l.message === "registration lost; registering again"));
});
