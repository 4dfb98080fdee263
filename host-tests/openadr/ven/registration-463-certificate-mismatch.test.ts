// 2.0b security: the VTN compares the client certificate with the venID and answers 463 on mismatch.
// A VEN whose stored registration belongs to another certificate (here: the certificate changed
// across a reboot) gets 463 and registers again under its own certificate.
import test from "ava";
import { openSession } from "./support/session.ts";

test("463 after a certificate change: register again with the new certificate", async (t) => {
  const s = await openSession(t);
  await s.until(() => s.sim.received("oadrPoll").length >= 1);
  const first = s.sim.ven().fingerprint;
  const other = s.pki.vens["ven-2"]!;
  s.config.tls = { ...s.config.tls!, certificate: other.certDer, key: other.keyDer };
  const marker = s.sim.exchanges.length;
  await s.reboot();
  await s.until(() => s.sim.exchanges.slice(marker).some((e) => e.type === "oadrPoll" && e.status === 200 && e.venID === "VEN-2"));
  const after = s.sim.exchanges.slice(marker);
  t.is(after[0]!.type, "oadrRequestEvent", "the stored registration is tried first");
  t.true(after[0]!.responseBody.includes("<ei:responseCode>463</ei:responseCode>"));
  t.is(after[1]!.type, "oadrQueryRegistration");
  t.is(s.sim.vens.get("VEN-2")!.fingerprint, other.fingerprint);
  t.not(other.fingerprint, first);
});
