// Every fixture of every folder decodes on XS to the message its root names; the files listed in
// avob/XSD-INVALID.txt may be rejected, but only with a typed error (reason + element path).
import test from "ava";
import { readFileSync } from "node:fs";
import type { XsHost } from "../../engine/index.ts";
import { haveFixtures, MISSING_SHARED } from "../../support/shared.ts";
import { localName, messageOf, root } from "./oracle.ts";
import { allFixtures, startCodec, xsdInvalidNames } from "./support.ts";
import type { DecodeOutcome } from "./xs-entry.ts";

const REASONS = ["xml", "root", "namespace", "missing", "number", "boolean", "date-time", "duration", "enum", "limit"];

let xs: XsHost;
test.before(async () => { if (haveFixtures) xs = await startCodec(); });
test.after.always(async () => { await xs?.close(); });

test("all fixtures decode (XSD-invalid ones may fail with a clear error)", async (t) => {
  if (!haveFixtures) return t.log(MISSING_SHARED), t.pass();
  const invalid = xsdInvalidNames();
  const fixtures = allFixtures();
  t.true(fixtures.length >= 300, `only ${fixtures.length} fixtures`);
  let decoded = 0, rejected = 0;
  for (const f of fixtures) {
    const bytes = readFileSync(f.file);
    const outcome = await xs.call<DecodeOutcome>("decode", bytes);
    const label = `${f.folder}/${f.name}`;
    if (!outcome.ok) {
      t.true(invalid.has(f.name), `${label} rejected: ${outcome.error.reason}: ${outcome.error.message}`);
      t.true(REASONS.includes(outcome.error.reason), label);
      t.true(outcome.error.path.startsWith("/") && outcome.error.message.length > 10, label);
      rejected++;
      continue;
    }
    decoded++;
    if (bytes.length === 0 || bytes.every((b) => b <= 0x20)) {
      t.is(outcome.message.type, "empty", label);
      continue;
    }
    t.is(outcome.message.type, localName(messageOf(root(bytes))), label);
    t.is(outcome.signed, f.folder === "signed" || f.name.startsWith("xmlsignature__oadrPayload"), `${label} signed`);
  }
  t.log(`${decoded} decoded, ${rejected} rejected (of ${invalid.size} listed as XSD-invalid)`);
});
