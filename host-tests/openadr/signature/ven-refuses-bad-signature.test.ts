// A reply whose signature does not check out never reaches the application: an oadrDistributeEvent with a
// changed value after signing is refused (digest mismatch), logged with the reason, and answered with an
// oadrCreatedEvent carrying 463 for that distribute's requestID; an unsigned one is refused as unsigned.
// The next, valid distribute is handled normally.
import test from "ava";
import { openSession, SECOND, T0 } from "../ven/support/session.ts";
import { makePki } from "../../peers/pki.ts";
import { signPayload, verifyPayload } from "../../peers/vtn/signature.ts";

test("tampered and unsigned replies are refused and answered 463", async (t) => {
  const pki = makePki();
  const client = pki.vens["ven-1"]!;
  const s = await openSession(t, {
    pki,
    vtn: { signatures: { require: true, sign: true } },
    ven: { signatures: { signing: { certificate: client.certDer, key: client.keyDer }, validate: true, vtnFingerprint: pki.vtn.fingerprint } },
  });
  await s.until(() => s.sim.received("oadrPoll").length >= 1);
  const event = { eventID: "EVT-T", modificationNumber: 0, dtstart: T0 + 600 * SECOND, duration: 60 * SECOND, signals: [{ name: "SIMPLE" as const, type: "level" as const, id: "S1", intervals: [{ duration: 60 * SECOND, value: 1 }] }], targets: { venID: [s.sim.ven().venID] } };
  s.sim.putEvent(event);

  // signed, then one payload value changed
  const xml = s.sim.distributeEventXml();
  const requestID = /<requestID[^>]*>(dist-[^<]+)</.exec(xml)![1];
  const tampered = signPayload(xml, pki.vtn.keyPem, pki.vtn.certPem, s.xs.now).replace("<ei:value>1</ei:value>", "<ei:value>3</ei:value>");
  t.false(verifyPayload(tampered).valid);
  s.sim.overrides.push({ endpoint: "OadrPoll", body: tampered });
  await s.until(() => s.sim.received("oadrCreatedEvent").length >= 1);
  const answer = s.sim.received("oadrCreatedEvent")[0]!;
  t.true(answer.signature?.valid, "the error answer is signed too");
  t.regex(answer.requestBody, /<ei:responseCode>463<\/ei:responseCode>/);
  t.regex(answer.requestBody, new RegExp(`<pyld:requestID>${requestID}</pyld:requestID>`));
  t.regex(answer.requestBody, /signature: digest mismatch for Reference #oadrSignedObject/);
  t.deepEqual(await s.xs.call("handled"), [], "not delivered");
  const warnings = await s.xs.call<{ message: string; fields: Record<string, string> }[]>("logs", "warn");
  t.true(warnings.some((w) => w.message === "reply not usable" && w.fields.reason === "signature: digest mismatch for Reference #oadrSignedObject"));

  // unsigned (after an unusable poll reply the VEN re-requests the events, so answers are matched by
  // content, not by position)
  const unsignedAnswer = () => s.sim.received("oadrCreatedEvent").some((r) => /signature: unsigned message/.test(r.requestBody));
  s.sim.overrides.push({ endpoint: "OadrPoll", body: s.sim.distributeEventXml() });
  await s.until(unsignedAnswer);
  t.true(unsignedAnswer());

  // then a properly signed one is handled
  const answered = s.sim.received("oadrCreatedEvent").length;
  s.sim.distribute();
  await s.until(() => s.sim.received("oadrCreatedEvent").length > answered, 60 * SECOND);
  t.deepEqual((await s.xs.call<{ eventID: string }[]>("handled")).map((h) => h.eventID), ["EVT-T"]);
});
