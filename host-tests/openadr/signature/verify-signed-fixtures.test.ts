// Every exchange of fixtures/openadr/signed/ verifies: resp files with the VTN certificate's fingerprint,
// req files with the VEN's — fed in TCP-segment chunks, one byte at a time and in odd sizes, since the
// canonicaliser must not care where a chunk ends.
import test from "ava";
import type { XsHost } from "../../engine/index.ts";
import { MISSING_SHARED } from "../../support/shared.ts";
import { haveFixtures, signedFixtures, startSignature } from "./support.ts";
import type { VerifyOutcome } from "./xs-entry.ts";

let xs: XsHost;
test.before(async () => { xs = await startSignature(); });
test.after.always(async () => { await xs?.close(); });

test("all 40 signed fixtures are valid with their signer's fingerprint", async (t) => {
  if (!haveFixtures) return t.log(MISSING_SHARED), t.pass();
  const fixtures = signedFixtures();
  t.is(fixtures.length, 40);
  for (const f of fixtures) {
    const r = await xs.call<VerifyOutcome>("verify", f.bytes, { fingerprint: f.fingerprint });
    t.is(r.result?.status, "valid", `${f.name}: ${r.result?.reason ?? r.decodeError}`);
    t.is(r.result?.fingerprint, f.fingerprint);
  }
});

test("chunk boundaries do not matter (1, 2, 3, 17, 64 bytes)", async (t) => {
  if (!haveFixtures) return t.log(MISSING_SHARED), t.pass();
  const fixtures = signedFixtures().filter((f) => /0007|0010|0015/.test(f.name));
  for (const f of fixtures) {
    for (const chunk of [1, 2, 3, 17, 64]) {
      const r = await xs.call<VerifyOutcome>("verify", f.bytes, { fingerprint: f.fingerprint, chunk });
      t.is(r.result?.status, "valid", `${f.name} chunk ${chunk}: ${r.result?.reason}`);
    }
  }
});
