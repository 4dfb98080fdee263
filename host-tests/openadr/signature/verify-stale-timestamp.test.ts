// ReplayProtect timestamps are checked against the clock: 5 s old is still accepted (the signing VTN's
// limit), 5.001 s is stale; a timestamp from the future beyond the allowed skew is refused too. Nonces of
// refused messages are not remembered, so the same message is fine again within the window.
import test from "ava";
import type { XsHost } from "../../engine/index.ts";
import { MISSING_SHARED } from "../../support/shared.ts";
import { haveFixtures, signedFixture, startSignature, VTN_FINGERPRINT } from "./support.ts";
import type { VerifyOutcome } from "./xs-entry.ts";

const FILE = "0012_ven-openleadr_OadrPoll_oadrDistributeEvent.resp.xml";
const SIGNED_AT = Date.parse("2026-11-22T02:10:36.671Z"); // its ReplayProtect timestamp, to the ms

let xs: XsHost;
test.before(async () => { xs = await startSignature(); });
test.after.always(async () => { await xs?.close(); });

test("stale and future timestamps are refused with the age", async (t) => {
  if (!haveFixtures) return t.log(MISSING_SHARED), t.pass();
  const bytes = signedFixture(FILE);
  const at = async (now: number) => (await xs.call<VerifyOutcome>("verify", bytes, { fingerprint: VTN_FINGERPRINT, now })).result!;
  const stale = await at(SIGNED_AT + 5_001);
  t.is(stale.status, "invalid");
  t.is(stale.reason, "stale ReplayProtect timestamp: signed 5001 ms ago, limit 5000 ms");
  const future = await at(SIGNED_AT - 5_001);
  t.is(future.reason, "ReplayProtect timestamp 5001 ms in the future, limit 5000 ms");
  t.is((await at(SIGNED_AT + 5_000)).status, "valid");
  t.is((await at(SIGNED_AT - 5_000)).status, "valid");
  t.is(stale.timestamp, SIGNED_AT);
});
