// `npm run decode -- --verify --fingerprint <FP> <file>…` adds "signature" to each JSON line: valid for the
// VTN's responses with its fingerprint, invalid with the reason for the VEN's requests under the same pin
// and for a second copy of a file (its nonce was seen), absent for an unsigned file; --now moves the
// ReplayProtect clock (stale); --verify without --fingerprint is a usage error.
import test from "ava";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { fixturesDir, MISSING_SHARED, repoRoot } from "../../support/shared.ts";
import { haveFixtures, VTN_FINGERPRINT } from "./support.ts";

const run = promisify(execFile);
const decode = (...args: string[]) =>
  run(process.execPath, ["--import=tsx", path.join(repoRoot, "tools/decode.ts"), ...args], { cwd: repoRoot })
    .then((r) => ({ ...r, code: 0 }), (e) => e as { stdout: string; stderr: string; code: number });

test("decode --verify", async (t) => {
  if (!haveFixtures) return t.log(MISSING_SHARED), t.pass();
  const signed = (name: string) => path.join(fixturesDir, "signed", name);
  const resp = signed("0007_ven-openleadr_OadrPoll_oadrDistributeEvent.resp.xml");
  const req = signed("0007_ven-openleadr_OadrPoll_oadrPoll.req.xml");
  const unsigned = path.join(fixturesDir, "session", "0006_ven-openleadr_OadrPoll_oadrResponse.resp.xml");
  const { stdout } = await decode("--verify", "--fingerprint", VTN_FINGERPRINT, resp, req, resp, unsigned);
  const lines = stdout.trim().split("\n").map((l) => JSON.parse(l) as { file: string; type: string; signature: string });
  t.deepEqual(lines.map((l) => l.signature), [
    "valid",
    `invalid: certificate fingerprint 31:28:49:36:CE:E0:F7:7D:47:20 is not the expected ${VTN_FINGERPRINT}`,
    "invalid: replayed nonce b672e6e7dfd042f6908a7ba6b0297694",
    "absent",
  ]);
  t.is(lines[0].type, "oadrDistributeEvent");

  const stale = await decode("--verify", "--fingerprint", VTN_FINGERPRINT, "--now", "2026-11-22T02:10:40Z", resp);
  t.is(JSON.parse(stale.stdout).signature, "invalid: stale ReplayProtect timestamp: signed 7267 ms ago, limit 5000 ms");

  const usage = await decode("--verify", resp);
  t.is(usage.code, 2);
  t.regex(usage.stderr, /--verify needs --fingerprint/);
});
