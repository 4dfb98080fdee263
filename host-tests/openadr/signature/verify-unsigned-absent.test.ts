// A payload without ds:Signature is "absent" (not invalid): whether that is acceptable is the caller's
// decision (a VEN validating signatures refuses it). The session fixtures are the unsigned twins.
import test from "ava";
import type { XsHost } from "../../engine/index.ts";
import { fixtureFiles, MISSING_SHARED } from "../../support/shared.ts";
import { readFileSync } from "node:fs";
import { haveFixtures, startSignature, VTN_FINGERPRINT } from "./support.ts";
import type { VerifyOutcome } from "./xs-entry.ts";

let xs: XsHost;
test.before(async () => { xs = await startSignature(); });
test.after.always(async () => { await xs?.close(); });

test("unsigned payloads are reported absent", async (t) => {
  if (!haveFixtures) return t.log(MISSING_SHARED), t.pass();
  const files = fixtureFiles("session").filter((f) => readFileSync(f).length > 0).slice(0, 12);
  t.true(files.length > 5);
  for (const file of files) {
    const r = await xs.call<VerifyOutcome>("verify", new Uint8Array(readFileSync(file)), { fingerprint: VTN_FINGERPRINT });
    t.deepEqual(r.result, { status: "absent" }, file);
  }
});
