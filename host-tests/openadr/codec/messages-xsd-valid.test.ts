// `npm run messages` (the firmware encoder on XS) writes one file per VEN → VTN type, and every file
// validates against oadr_20b.xsd.
import test from "ava";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { VEN_MESSAGE_TYPES } from "../../../modules/openadr/types.ts";
import { validateMany } from "../../peers/vtn/validate.ts";
import { haveSchema, MISSING_SHARED, repoRoot } from "../../support/shared.ts";

test("npm run messages writes <messageType>.xml for every VEN → VTN type, all XSD-valid", async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "oadr-messages-"));
  try {
    execFileSync(process.execPath, ["--import=tsx", path.join(repoRoot, "tools/messages.ts"), dir], { cwd: repoRoot, stdio: "pipe" });
    const files = readdirSync(dir).sort();
    t.deepEqual(files, VEN_MESSAGE_TYPES.map((type) => `${type}.xml`).sort());
    const documents = files.map((f) => readFileSync(path.join(dir, f), "utf8"));
    for (const [i, doc] of documents.entries()) {
      t.true(doc.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<oadr:oadrPayload '), files[i]);
      t.false(doc.includes("schemaLocation"), files[i]);
    }
    if (!haveSchema) {
      t.log(MISSING_SHARED);
      return;
    }
    const outcomes = await validateMany(documents);
    for (const [i, outcome] of outcomes.entries()) t.true(outcome.valid, `${files[i]}: ${outcome.errors.join("; ")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
