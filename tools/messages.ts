// npm run messages -- <dir>: writes one file per VEN → VTN message type, <messageType>.xml, produced by the
// firmware's encoder running on XS (host engine) with the realistic values of
// host-tests/openadr/codec/samples.ts. Relative paths are taken from where npm was started.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startCodec } from "../host-tests/openadr/codec/support.ts";

const dirArg = process.argv[2];
if (!dirArg) {
  process.stderr.write("usage: npm run messages -- <dir>\n");
  process.exit(2);
}
const dir = path.resolve(process.env.INIT_CWD ?? process.cwd(), dirArg);
mkdirSync(dir, { recursive: true });

const xs = await startCodec();
try {
  const messages = await xs.call<Record<string, Uint8Array>>("venMessages");
  for (const [type, bytes] of Object.entries(messages)) {
    const file = path.join(dir, `${type}.xml`);
    writeFileSync(file, bytes);
    process.stdout.write(`${file}\n`);
  }
} finally {
  await xs.close();
}
