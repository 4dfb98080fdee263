// The VEN signs every message and validates every reply, against the VTN simulator in signature-required
// mode (it answers 403 to anything not validly signed by the VEN's certificate, as a signing OpenLEADR VTN
// does) that signs its own answers: registration, report registration, event delivery and the event's
// answer all go through, every request's signature checks out on the Node side (independent C14N and
// node:crypto), and the event reaches the application.
import test from "ava";
import { openSession, SECOND, T0 } from "../ven/support/session.ts";
import { makePki } from "../../peers/pki.ts";

test("signed session with a signature-required VTN", async (t) => {
  const pki = makePki();
  const client = pki.vens["ven-1"]!;
  const s = await openSession(t, {
    pki,
    vtn: { signatures: { require: true, sign: true } },
    ven: { signatures: { signing: { certificate: client.certDer, key: client.keyDer }, validate: true, vtnFingerprint: pki.vtn.fingerprint } },
  });
  await s.until(() => s.sim.received("oadrPoll").length >= 1);
  s.sim.putEvent({ eventID: "EVT-SIGNED", modificationNumber: 0, dtstart: T0 + 120 * SECOND, duration: 60 * SECOND, signals: [{ name: "SIMPLE", type: "level", id: "S1", intervals: [{ duration: 60 * SECOND, value: 2 }] }], targets: { venID: [s.sim.ven().venID] } });
  s.sim.distribute();
  await s.until(() => s.sim.received("oadrCreatedEvent").length >= 1);

  const refused = s.sim.exchanges.filter((e) => e.status !== 200);
  t.deepEqual(refused.map((e) => `${e.type}: ${e.problem}`), [], "the VTN accepted every request");
  for (const e of s.sim.exchanges) {
    t.true(e.signature?.valid, `${e.type}: ${e.signature?.reason}`);
    t.is(e.signature?.fingerprint, client.fingerprint);
  }
  t.deepEqual(s.sim.exchanges.slice(0, 4).map((e) => e.type), ["oadrQueryRegistration", "oadrCreatePartyRegistration", "oadrRegisterReport", "oadrRequestEvent"]);
  const handled = await s.xs.call<{ eventID: string }[]>("handled");
  t.deepEqual(handled.map((h) => h.eventID), ["EVT-SIGNED"]);
  const status = await s.xs.call<{ state: string }>("status");
  t.is(status.state, "registered");
  t.deepEqual(await s.xs.call("logs", "error"), []);
  t.deepEqual((await s.sim.validate()).map((e) => `${e.type}: ${e.validation?.errors.join("; ")}`), [], "signed requests are XSD-valid");
});
