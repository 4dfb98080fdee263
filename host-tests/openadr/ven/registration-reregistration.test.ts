// 2.0b: oadrRequestReregistration is answered with oadrResponse (the VTN's reply is an empty 200
// body), then oadrCreatePartyRegistration with the current registrationID and venID, then METADATA
// and oadrRequestEvent again.
import test from "ava";
import { openSession } from "./support/session.ts";

test("RequestReregistration → oadrResponse, then CreatePartyRegistration with the registrationID", async (t) => {
  const s = await openSession(t);
  await s.until(() => s.sim.received("oadrPoll").length >= 1);
  const registrationID = s.sim.ven().registrationID;
  s.sim.requestReregistration();
  const marker = s.sim.exchanges.length;
  await s.until(() => s.sim.exchanges.slice(marker).some((e) => e.type === "oadrRequestEvent"));
  const after = s.sim.exchanges.slice(marker);
  t.deepEqual(after.map((e) => e.type), ["oadrPoll", "oadrResponse", "oadrCreatePartyRegistration", "oadrRegisterReport", "oadrRequestEvent"]);
  t.is(after[1]!.status, 200);
  t.is(after[1]!.responseBody, "", "empty 200 body accepted");
  t.true(after[2]!.requestBody.includes(`<ei:registrationID>${registrationID}</ei:registrationID>`));
  t.true(after[2]!.requestBody.includes("<ei:venID>VEN-1</ei:venID>"));
  t.deepEqual(await s.xs.call("logs", "warn"), []);
});
