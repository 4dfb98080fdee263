// 2.0b transport security: http:// is refused unless development is explicit; the VTN is verified
// against the configured CA (a VTN certificate from another CA never gets a request); an ECDSA P-256
// VTN works with an RSA client key (TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256); a fingerprint pin that
// does not match refuses the VTN.
import test from "ava";
import { makePki } from "../../peers/pki.ts";
import { MINUTE, openSession } from "./support/session.ts";

test("http:// without development: the constructor refuses; with development: it registers", async (t) => {
  const s = await openSession(t, { plain: true, noStart: true });
  const error = await t.throwsAsync(s.xs.call("start", { ...s.config, development: undefined }));
  t.regex(error!.message, /http:\/\/ is refused unless development: true/);
  await s.xs.call("close");
  await s.xs.call("start", s.config);
  await s.until(() => s.sim.received("oadrPoll").length >= 1);
  t.pass();
});

test("a VTN certificate from another CA: TLS fails, nothing reaches the VTN, the VEN backs off", async (t) => {
  const pki = makePki();
  const s = await openSession(t, { pki, vtn: { serverIdentity: pki.rogueVtn } });
  await s.xs.advance(2 * MINUTE);
  t.is(s.sim.exchanges.length, 0);
  const status = await s.xs.call("status");
  t.is(status.state, "registering");
  t.true(status.failures >= 3);
  t.regex(status.lastError.message, /certificate|self[- ]signed|verify/i);
});

test("ECDSA P-256 VTN, RSA client key: registers and polls", async (t) => {
  const pki = makePki({ server: "ecdsa", client: "rsa" });
  const s = await openSession(t, { pki });
  await s.until(() => s.sim.received("oadrPoll").length >= 2);
  t.is(s.sim.ven().fingerprint, pki.vens["ven-1"]!.fingerprint);
});

test("a fingerprint pin that does not match: refused before any registration", async (t) => {
  const s = await openSession(t, { noStart: true });
  await s.xs.call("start", { ...s.config, tls: { ...s.config.tls!, vtnFingerprint: "00:11:22:33:44:55:66:77:88:99" } });
  await s.xs.advance(MINUTE);
  const status = await s.xs.call("status");
  t.is(status.state, "registering");
  t.is(status.lastError.transportCode, "fingerprint");
  t.is(s.sim.vens.size, 0, "never registered");
});
