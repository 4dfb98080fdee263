#!/usr/bin/env node
// `npm test`: type check both tsconfigs, then every ava host test (firmware modules on XS), and close
// with one plain line "tests: N passed, N failed, N skipped" that CI and people can read at a glance.
// Extra arguments are passed to ava (e.g. `npm test -- host-tests/xml`).
import { spawn } from "node:child_process";

function run(cmd, args, { tap = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ["ignore", tap ? "pipe" : "inherit", "inherit"] });
    const counts = { passed: 0, failed: 0, skipped: 0, todo: 0 };
    if (tap) {
      let rest = "";
      child.stdout.on("data", (data) => {
        process.stdout.write(data);
        rest += data.toString("utf8");
        const lines = rest.split("\n");
        rest = lines.pop();
        for (const line of lines) count(line, counts);
      });
      child.stdout.on("end", () => count(rest, counts));
    }
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), counts }));
  });
}

function count(line, counts) {
  // TAP: "ok 3 - name", "ok 4 - name # SKIP reason", "not ok 5 - name", "# TODO"
  if (line.startsWith("not ok ")) counts.failed++;
  else if (line.startsWith("ok ")) {
    if (/#\s*SKIP/i.test(line)) counts.skipped++;
    else if (/#\s*TODO/i.test(line)) counts.todo++;
    else counts.passed++;
  }
}

const extra = process.argv.slice(2);
const types = await run("npx", ["tsc", "--noEmit", "-p", "tsconfig.json"]);
const hostTypes = await run("npx", ["tsc", "--noEmit", "-p", "host-tests/tsconfig.json"]);
const typeFailures = (types.code ? 1 : 0) + (hostTypes.code ? 1 : 0);
if (typeFailures) console.log(`type check failed (${typeFailures} project${typeFailures > 1 ? "s" : ""})`);
const ava = await run("npx", ["ava", "--tap", ...extra], { tap: true });
const { passed, skipped } = ava.counts;
let { failed } = ava.counts;
failed += typeFailures;
if (ava.code !== 0 && failed === 0) failed = 1; // ava itself failed (e.g. an uncaught error outside a test)
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
