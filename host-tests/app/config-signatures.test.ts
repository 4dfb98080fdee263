// Configuration of XML signatures and of the VTN link: defaults off, overridable from Preference, bad
// values refused with the key named (runs the firmware's own config module; pure, so on Node).
import test from "ava";
import { ConfigError, resolveConfig } from "../../modules/app/config.ts";

const manifest = { vtnURL: "https://127.0.0.1:8443", venName: "ven-1", ciofURL: "" };

test("signing and signature checks are off by default", (t) => {
  const c = resolveConfig(manifest);
  t.false(c.signMessages);
  t.false(c.verifySignature);
});

test("a site turns them on from Preference overrides", (t) => {
  const c = resolveConfig(manifest, { signMessages: true, verifySignature: true, vtnFingerprint: "5D:3A:04:1E:FD:97:92:DB:2F:3B" });
  t.true(c.signMessages);
  t.true(c.verifySignature);
  t.is(c.vtnFingerprint, "5D:3A:04:1E:FD:97:92:DB:2F:3B");
});

test("a non-boolean value or a malformed fingerprint is refused, naming the key", (t) => {
  const e = t.throws(() => resolveConfig(manifest, { signMessages: "yes" }), { instanceOf: ConfigError });
  t.is(e?.key, "signMessages");
  const f = t.throws(() => resolveConfig(manifest, { vtnFingerprint: "5d:3a" }), { instanceOf: ConfigError });
  t.is(f?.key, "vtnFingerprint");
});

test("http:// to a VTN is refused unless development is explicit", (t) => {
  t.throws(() => resolveConfig({ ...manifest, vtnURL: "http://127.0.0.1:8080" }), { instanceOf: ConfigError, message: /development/ });
  t.notThrows(() => resolveConfig({ ...manifest, vtnURL: "http://127.0.0.1:8080", development: true }));
});
