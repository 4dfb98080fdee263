// npm run decode -- <file.xml>…: decodes each file with the firmware's OpenADR decoder running on XS
// (host engine) and prints one JSON line per file: {"file": <path as given>, "type": <messageType>, …fields}.
// An empty file gives "type": "empty". If any file fails, its name and the reason go to stderr and the
// exit status is 1 (the other files are still decoded). Relative paths are taken from where npm was started.
import { readFileSync } from "node:fs";
import path from "node:path";
import { startCodec } from "../host-tests/openadr/codec/support.ts";
import type { DecodeOutcome } from "../host-tests/openadr/codec/xs-entry.ts";

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write("usage: npm run decode -- <file.xml>...\n");
  process.exit(2);
}
const base = process.env.INIT_CWD ?? process.cwd();

let failed = 0;
const xs = await startCodec();
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
    const outcome = await xs.call<DecodeOutcome>("decode", bytes);
    if (outcome.ok) {
      process.stdout.write(JSON.stringify({ file, ...outcome.message }) + "\n");
    } else {
      failed++;
      process.stderr.write(`decode: ${file}: ${outcome.error.reason}: ${outcome.error.message}\n`);
    }
  }
} finally {
  await xs.close();
}
process.exitCode = failed > 0 ? 1 : 0;
