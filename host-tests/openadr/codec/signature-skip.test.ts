// An enveloped ds:Signature in oadrPayload is skipped: a signed payload decodes exactly as the same
// payload with the signature cut out, `signed` is reported, the verification hook receives the
// Signature subtree, and the raw tap sees every byte (the seams a signature verifier will use).
import test from "ava";
import type { XsHost } from "../../engine/index.ts";
import { fixtureFiles, haveFixtures, MISSING_SHARED } from "../../support/shared.ts";
import { readFileSync } from "node:fs";
import path from "node:path";
import { startCodec } from "./support.ts";
import type { DecodeOutcome } from "./xs-entry.ts";

let xs: XsHost;
test.before(async () => { if (haveFixtures) xs = await startCodec(); });
test.after.always(async () => { await xs?.close(); });

test("signed fixtures decode as if unsigned; hook and raw tap see the signature and every byte", async (t) => {
  if (!haveFixtures) return t.log(MISSING_SHARED), t.pass();
  const files = fixtureFiles("signed");
  t.true(files.length >= 40);
  for (const file of files) {
    const bytes = readFileSync(file);
    const text = bytes.toString("utf8");
    const unsigned = Buffer.from(text.replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, ""), "utf8");
    t.not(unsigned.length, bytes.length, path.basename(file));
    const signed = await xs.call<DecodeOutcome & { signatureNames: string[]; rawBytes: number }>("decodeSigned", bytes);
    const plain = await xs.call<DecodeOutcome>("decode", unsigned);
    if (!signed.ok || !plain.ok) return t.fail(path.basename(file));
    t.deepEqual(signed.message, plain.message, path.basename(file));
    t.true(signed.signed);
    t.false(plain.signed);
    t.deepEqual(signed.signatureNames, ["Signature", "SignedInfo", "SignatureValue", "KeyInfo", "Object"]);
    t.is(signed.rawBytes, bytes.length);
  }
});
