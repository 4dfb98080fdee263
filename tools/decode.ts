// npm run decode -- <file.xml>…: decodes each file with the firmware's OpenADR decoder running on XS
// (host engine) and prints one JSON line per file: {"file": <path as given>, "type": <messageType>, …fields}.
// An empty file gives "type": "empty". If any file fails, its name and the reason go to stderr and the
// exit status is 1 (the other files are still decoded). Relative paths are taken from where npm was started.
// --verify --fingerprint <FP> [--now <date-time|ms>]: also checks each file's XML signature with the firmware's
// verifier and adds "signature": "valid" | "invalid: <reason>" | "absent"; the ReplayProtect clock is the
// message's own timestamp unless --now is given; nonces count across the files of one run.
import { readFileSync } from "node:fs";
import path from "node:path";
import { startCodec } from "../host-tests/openadr/codec/support.ts";
import type { DecodeOutcome } from "../host-tests/openadr/codec/xs-entry.ts";
import { startSignature } from "../host-tests/openadr/signature/support.ts";
import type { VerifiedOutcome } from "../host-tests/openadr/signature/xs-entry.ts";

const USAGE = "usage: npm run decode -- [--verify --fingerprint <FP> [--now <date-time|ms>]] <file.xml>...\n";
const args = process.argv.slice(2);
const files: string[] = [];
let verify: { fingerprint: string; now?: number; session: string } | undefined;
let fingerprint: string | undefined;
let now: number | undefined;
let wantVerify = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--verify") wantVerify = true;
  else if (a === "--fingerprint") fingerprint = args[++i];
  else if (a === "--now") {
    const t = args[++i] ?? "";
    now = /^\d+$/.test(t) ? Number(t) : Date.parse(t);
    if (Number.isNaN(now)) {
      process.stderr.write(`decode: --now ${t}: not a date-time or ms since the epoch\n${USAGE}`);
      process.exit(2);
    }
  } else files.push(a);
}
if (wantVerify) {
  if (!fingerprint) {
    process.stderr.write(`decode: --verify needs --fingerprint (the signer's certificate, e.g. 5D:3A:04:1E:FD:97:92:DB:2F:3B)\n${USAGE}`);
    process.exit(2);
  }
  verify = { fingerprint, now, session: "decode" };
}
if (files.length === 0) {
  process.stderr.write(USAGE);
  process.exit(2);
}
const base = process.env.INIT_CWD ?? process.cwd();

let failed = 0;
const xs = verify ? await startSignature() : await startCodec();
try {
  for (const file of files) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path.resolve(base, file));
    } catch (error) {
      failed++;
      process.stderr.write(`decode: ${file}: cannot read: ${(error as Error).message}\n`);
      continue;
    }
    const outcome = verify ? await xs.call<VerifiedOutcome>("decodeVerified", bytes, verify) : await xs.call<DecodeOutcome>("decode", bytes);
    if (outcome.ok) {
      const signature = "signature" in outcome ? { signature: outcome.signature } : {};
      process.stdout.write(JSON.stringify({ file, ...outcome.message, ...signature }) + "\n");
    } else {
      failed++;
      process.stderr.write(`decode: ${file}: ${outcome.error.reason}: ${outcome.error.message}\n`);
    }
  }
} finally {
  await xs.close();
}
process.exitCode = failed > 0 ? 1 : 0;
