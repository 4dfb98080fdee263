// Differential test: every shared OpenADR fixture gives the same events on XS as saxes (namespace-aware,
// on Node) mapped to the reader's event model, fed whole and in 1,460-byte chunks.
import test from "ava";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fixturesDir, haveFixtures, MISSING_SHARED } from "../support/shared.ts";
import { saxesEvents } from "./reference.ts";
import { closeXs, read } from "./support.ts";

test.after.always(closeXs);

function allFixtures(): string[] {
  const out: string[] = [];
  for (const folder of readdirSync(fixturesDir)) {
    const dir = path.join(fixturesDir, folder);
    if (!statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir).sort()) if (f.endsWith(".xml")) out.push(path.join(dir, f));
  }
  return out;
}

test("all OpenADR fixtures: same events as saxes", async (t) => {
  if (!haveFixtures) return t.pass(MISSING_SHARED);
  const files = allFixtures();
  t.true(files.length > 100);
  for (const file of files) {
    const bytes = new Uint8Array(readFileSync(file));
    const expected = saxesEvents(new TextDecoder().decode(bytes));
    for (const chunkSize of [bytes.length || 1, 1460]) {
      const r = await read(bytes, chunkSize);
      const name = `${path.relative(fixturesDir, file)} in chunks of ${chunkSize}`;
      if (expected.error !== null) t.not(r.error, null, name);
      else t.deepEqual(r, { events: expected.events, error: null }, name);
    }
  }
});
