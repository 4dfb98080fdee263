// A signature made with a certificate other than the pinned one is refused, and the reason names both
// fingerprints: a VTN response checked against the VEN's fingerprint, and the other way round.
import test from "ava";
import type { XsHost } from "../../engine/index.ts";
import { MISSING_SHARED } from "../../support/shared.ts";
import { haveFixtures, signedFixture, startSignature, VEN_FINGERPRINT, VTN_FINGERPRINT } from "./support.ts";
import type { VerifyOutcome } from "./xs-entry.ts";

let xs: XsHost;
test.before(async () => { xs = await startSignature(); });
test.after.always(async () => { await xs?.close(); });

test("wrong fingerprint → invalid, with the certificate's and the expected fingerprint", async (t) => {
  if (!haveFixtures) return t.log(MISSING_SHARED), t.pass();
  const resp = await xs.call<VerifyOutcome>("verify", signedFixture("0007_ven-openleadr_OadrPoll_oadrDistributeEvent.resp.xml"), { fingerprint: VEN_FINGERPRINT });
  t.is(resp.result?.status, "invalid");
  t.is(resp.result?.reason, `certificate fingerprint ${VTN_FINGERPRINT} is not the expected ${VEN_FINGERPRINT}`);
  const req = await xs.call<VerifyOutcome>("verify", signedFixture("0007_ven-openleadr_OadrPoll_oadrPoll.req.xml"), { fingerprint: VTN_FINGERPRINT.toLowerCase() });
  t.is(req.result?.reason, `certificate fingerprint ${VEN_FINGERPRINT} is not the expected ${VTN_FINGERPRINT}`);
});
