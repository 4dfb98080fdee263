// The same signed message delivered twice: the second time its nonce has been seen, so it is invalid
// ("replayed nonce …") although everything else checks out; other messages still pass.
import test from "ava";
import type { XsHost } from "../../engine/index.ts";
import { MISSING_SHARED } from "../../support/shared.ts";
import { haveFixtures, signedFixture, startSignature, VTN_FINGERPRINT } from "./support.ts";
import type { VerifyOutcome } from "./xs-entry.ts";

let xs: XsHost;
test.before(async () => { xs = await startSignature(); });
test.after.always(async () => { await xs?.close(); });

test("a replayed nonce is refused", async (t) => {
  if (!haveFixtures) return t.log(MISSING_SHARED), t.pass();
  const first = signedFixture("0010_ven-openleadr_OadrPoll_oadrDistributeEvent.resp.xml");
  const other = signedFixture("0011_ven-openleadr_EiEvent_oadrResponse.resp.xml");
  const options = { fingerprint: VTN_FINGERPRINT, session: "replay" };
  const once = await xs.call<VerifyOutcome>("verify", first, options);
  t.is(once.result?.status, "valid");
  const again = await xs.call<VerifyOutcome>("verify", first, options);
  t.is(again.result?.status, "invalid");
  t.is(again.result?.reason, `replayed nonce ${once.result?.nonce}`);
  t.is((await xs.call<VerifyOutcome>("verify", other, options)).result?.status, "valid");
  // a verifier that never saw it accepts it
  t.is((await xs.call<VerifyOutcome>("verify", first, { fingerprint: VTN_FINGERPRINT, session: "fresh" })).result?.status, "valid");
});
