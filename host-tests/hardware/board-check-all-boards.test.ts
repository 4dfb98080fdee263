// Every file in hardware/boards/ default-exports a BoardDefinition named after the file that passes the
// board checker (run on XS) with no errors: adding a board is adding one file, and this test covers it.
import test from "ava";
import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { start } from "./harness.ts";
import { repoRoot } from "../support/shared.ts";

test("board-check-all-boards: every board file checks clean", async (t) => {
  const dir = path.join(repoRoot, "hardware/boards");
  const files = readdirSync(dir).filter((f) => f.endsWith(".ts")).sort();
  t.true(files.length >= 2);
  const runner = await start("host-tests/hardware/xs-entry.ts");
  try {
    for (const file of files) {
      const board = (await import(pathToFileURL(path.join(dir, file)).href)).default;
      t.is(board?.name, file.replace(/\.ts$/, ""), `${file}: name matches the file`);
      const issues = await runner.call("check", board);
      const errors = issues.filter((i: any) => i.severity === "error");
      t.deepEqual(errors, [], `${file}: ${JSON.stringify(errors)}`);
      for (const w of issues.filter((i: any) => i.severity === "warning")) t.log(`${file}: warning ${w.path}: ${w.message}`);
    }
  } finally {
    await runner.close();
  }
});
