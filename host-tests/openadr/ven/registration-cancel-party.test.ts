// 2.0b: a VTN-initiated oadrCancelPartyRegistration is answered with oadrCanceledPartyRegistration
// (same registrationID); the VEN forgets its registration (and stops polling) until it registers
// again after reregisterAfterCancelMs.
import test from "ava";
import { MINUTE, openSession } from "./support/session.ts";

test("CancelPartyRegistration → CanceledPartyRegistration; registration dropped, re-registered later", async (t) => {
  const s = await openSession(t, { ven: { options: { reregisterAfterCancelMs: 5 * MINUTE } } });
  await s.until(() => s.sim.received("oadrPoll").length >= 1);
  const registrationID = s.sim.ven().registrationID;
  s.sim.cancelPartyRegistration();
  await s.until(() => s.sim.received("oadrCanceledPartyRegistration").length >= 1);
  const canceled = s.sim.received("oadrCanceledPartyRegistration")[0]!;
  t.true(canceled.requestBody.includes(`<ei:registrationID>${registrationID}</ei:registrationID>`));
  t.true(canceled.requestBody.includes("<ei:responseCode>200</ei:responseCode>"));
  t.is(canceled.responseType, "oadrResponse");
  await s.xs.advance(MINUTE);
  t.is((await s.xs.call("status")).state, "cancelled");
  const polls = s.sim.received("oadrPoll").length;
  await s.xs.advance(3 * MINUTE);
  t.is(s.sim.received("oadrPoll").length, polls, "no polling while not registered");
  await s.until(() => s.sim.received("oadrPoll").length > polls, 10 * MINUTE);
  t.is(s.sim.received("oadrCreatePartyRegistration").length, 2);
  t.is((await s.xs.call("status")).state, "registered");
});
