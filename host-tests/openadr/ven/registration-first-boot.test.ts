// Registration on first boot (2.0b rules: oadrQueryRegistration, oadrCreatePartyRegistration, then
// oadrRegisterReport with METADATA — even with no reports — and oadrRequestEvent before polling), over
// TLS 1.2 with a client certificate; every request XSD-valid; poll period = max(configured, VTN's).
import test from "ava";
import { openSession, SECOND } from "./support/session.ts";

test("first boot: query, create party, register report, request event, then poll at the VTN's frequency", async (t) => {
  const s = await openSession(t, { vtn: { pollFreq: 30 * SECOND }, ven: { pollInterval: 10 * SECOND, options: { statusReport: false } } });
  await s.until(() => s.sim.received("oadrPoll").length >= 3);
  const types = s.sim.exchanges.map((e) => e.type);
  t.deepEqual(types.slice(0, 5), ["oadrQueryRegistration", "oadrCreatePartyRegistration", "oadrRegisterReport", "oadrRequestEvent", "oadrPoll"]);
  const register = s.sim.received("oadrRegisterReport")[0]!;
  t.is(s.sim.ven().metadata.length, 0, "METADATA sent even when empty");
  t.truthy(register.message);
  const polls = s.sim.received("oadrPoll");
  t.is(polls[1]!.at - polls[0]!.at, 30 * SECOND, "never more often than oadrRequestedOadrPollFreq");
  t.is(polls[2]!.at - polls[1]!.at, 30 * SECOND);
  for (const e of s.sim.exchanges) {
    t.is(e.headers["content-type"], "application/xml");
    t.is(Number(e.headers["content-length"]), Buffer.byteLength(e.requestBody));
    t.truthy(e.fingerprint, "client certificate presented");
  }
  const status = await s.xs.call("status");
  t.is(status.state, "registered");
  t.is(status.venID, "VEN-1");
  t.deepEqual((await s.sim.validate()).map((e) => `${e.type}: ${e.validation?.errors.join("; ")}`), []);
});
