// What the firmware signs (every VEN → VTN message type, streamed or wrapped, with the test PKI's RSA
// key) verifies with verifiers that share none of its code: xmlsec1 (Debian's, libxml2 + OpenSSL; skipped
// with a message when it is not installed) and the Node-side verifier (DOM C14N + node:crypto). The shape
// is what a signing OpenLEADR VTN expects: ds:Signature first in oadrPayload, two References, ReplayProtect.
import test from "ava";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { XsHost } from "../../engine/index.ts";
import { venSamples } from "../codec/samples.ts";
import { makePki } from "../../peers/pki.ts";
import { verifyPayload } from "../../peers/vtn/signature.ts";
import { NO_XMLSEC1, startSignature, utf8, xmlsec1 } from "./support.ts";

const run = promisify(execFile);
const NOW = Date.UTC(2026, 10, 22, 3, 0, 0);

let xs: XsHost;
const pki = makePki();
const ven = pki.vens["ven-1"]!;
const signed: { name: string; xml: string }[] = [];
let signerFingerprint = "";

test.before(async () => {
  xs = await startSignature();
  signerFingerprint = await xs.call<string>("signer", ven.certDer, ven.keyDer, NOW);
  for (const [type, message] of Object.entries(venSamples())) {
    signed.push({ name: `${type} (encode)`, xml: utf8(await xs.call<Uint8Array>("sign", message, 64)) });
    signed.push({ name: `${type} (wrap)`, xml: utf8(await xs.call<Uint8Array>("wrap", message)) });
  }
});
test.after.always(async () => { await xs?.close(); });

test("the signer's fingerprint is the certificate's", (t) => {
  t.is(signerFingerprint, ven.fingerprint);
});

test("Node-side verifier: every signed message is valid, with the VEN's fingerprint and a fresh timestamp", (t) => {
  t.true(signed.length >= 20);
  const nonces = new Set<string>();
  for (const s of signed) {
    const r = verifyPayload(s.xml, { fingerprint: ven.fingerprint, now: NOW });
    t.true(r.valid, `${s.name}: ${r.reason}`);
    t.is(r.timestamp, NOW);
    nonces.add(r.nonce!);
    t.true(s.xml.indexOf("<ds:Signature") < s.xml.indexOf("<oadr:oadrSignedObject"), s.name);
    t.regex(s.xml, /<dsp:timestamp>2026-11-22T03:00:00\.000000Z<\/dsp:timestamp>/);
  }
  t.is(nonces.size, signed.length, "a new nonce every time");
});

test("xmlsec1 verifies every signed message with the VEN certificate", async (t) => {
  if (!xmlsec1) return t.log(NO_XMLSEC1), t.pass();
  const dir = mkdtempSync(path.join(os.tmpdir(), "xmlsec1-"));
  try {
    for (const [i, s] of signed.entries()) {
      const file = path.join(dir, `${i}.xml`);
      writeFileSync(file, s.xml);
      const r = await run(xmlsec1, ["--verify", "--id-attr:Id", "oadrSignedObject", "--pubkey-cert-pem", ven.certPath, file]).catch((e) => e as { stdout: string; stderr: string });
      t.regex(r.stderr, /^OK$/m, `${s.name}: ${r.stderr}`);
      t.regex(r.stderr, /SignedInfo References \(ok\/all\): 2\/2/, s.name);
    }
    // and refuses a tampered one
    const bad = path.join(dir, "bad.xml");
    writeFileSync(bad, signed[0].xml.replace("<pyld:requestID>", "<pyld:requestID>x"));
    const r = await run(xmlsec1, ["--verify", "--id-attr:Id", "oadrSignedObject", "--pubkey-cert-pem", ven.certPath, bad]).catch((e) => e as { stderr: string });
    t.regex(r.stderr, /FAIL/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
