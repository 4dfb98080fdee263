// npm run faults [-- --json <file>] [--markdown <file>] [--seeds N | --reduced] [--only <name>[,<name>…]] [--jobs N] [--first-seed N]
// Runs the whole firmware (main.ts on XS, host engine) against the VTN simulator and the CIOF terminal
// emulator through the fault matrix (host-tests/faults/catalog.ts), each fault with several seeds, and
// prints one row per fault: runs, survived, records lost, records duplicated, safety violations, notes.
// --json writes {"rows":[{fault, runs, survived, lost, duplicated, safety_violations, …}]}; --markdown
// writes the table as Markdown (docs/faults.md quotes it). Exit status
// 1 when any run did not survive or lost, duplicated or violated anything.
import { writeFileSync } from "node:fs";
import { runMatrix, type MatrixRow } from "../host-tests/faults/matrix.ts";

function args(argv: string[]): { json?: string; markdown?: string; seeds?: number | "reduced"; only?: string[]; jobs?: number; firstSeed?: number; verbose: boolean } {
  const out: ReturnType<typeof args> = { verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--json") out.json = value();
    else if (a === "--markdown") out.markdown = value();
    else if (a === "--seeds") out.seeds = Number(value());
    else if (a === "--reduced") out.seeds = "reduced";
    else if (a === "--only") out.only = value().split(",");
    else if (a === "--jobs") out.jobs = Number(value());
    else if (a === "--first-seed") out.firstSeed = Number(value());
    else if (a === "--verbose" || a === "-v") out.verbose = true;
    else if (a === "--help" || a === "-h") {
      console.log("npm run faults [-- --json <file>] [--markdown <file>] [--seeds N | --reduced] [--only <name>,…] [--jobs N] [--first-seed N] [--verbose]");
      process.exit(0);
    } else throw new Error(`unknown argument ${a} (--help)`);
  }
  return out;
}

function table(rows: MatrixRow[]): string {
  const head = ["fault", "runs", "survived", "lost", "duplicated", "safety violations", "notes"];
  const body = rows.map((r) => [r.fault, String(r.runs), String(r.survived), String(r.lost), String(r.duplicated), String(r.safety_violations), r.notes]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (i === 6 ? 0 : b[i]!.length))));
  const line = (cells: string[]) => cells.map((c, i) => (i === 6 ? c : i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

function markdown(rows: MatrixRow[], totals: string): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const lines = ["| fault | runs | survived | lost | duplicated | safety violations | notes |", "|---|---:|---:|---:|---:|---:|---|"];
  for (const r of rows) lines.push(`| ${cell(r.fault)} | ${r.runs} | ${r.survived} | ${r.lost} | ${r.duplicated} | ${r.safety_violations} | ${cell(r.notes)} |`);
  return lines.join("\n") + "\n\n" + totals + "\n";
}

const o = args(process.argv.slice(2));
const started = performance.now();
let done = 0;
const rows = await runMatrix({
  seeds: o.seeds ?? "full", only: o.only, jobs: o.jobs, firstSeed: o.firstSeed,
  onRun: (v) => {
    done++;
    if (o.verbose || !v.survived) process.stderr.write(`${v.survived ? "ok  " : "FAIL"} ${v.fault} seed ${v.seed} (${v.wallSeconds} s)${v.survived ? "" : ": " + v.failures.join(" | ")}\n`);
    else if (done % 10 === 0) process.stderr.write(`${done} runs…\n`);
  },
});
console.log(table(rows));
const totals = rows.reduce((t, r) => ({ runs: t.runs + r.runs, survived: t.survived + r.survived, lost: t.lost + r.lost, duplicated: t.duplicated + r.duplicated, violations: t.violations + r.safety_violations }), { runs: 0, survived: 0, lost: 0, duplicated: 0, violations: 0 });
const summary = `${totals.runs} runs, ${totals.survived} survived; ${totals.lost} records lost, ${totals.duplicated} duplicated, ${totals.violations} safety violations (${((performance.now() - started) / 60_000).toFixed(1)} min)`;
console.log(`\n${summary}`);
if (o.markdown) writeFileSync(o.markdown, markdown(rows, summary));
if (o.json) {
  writeFileSync(o.json, JSON.stringify({ rows: rows.map((r) => ({ fault: r.fault, group: r.group, runs: r.runs, survived: r.survived, lost: r.lost, duplicated: r.duplicated, safety_violations: r.safety_violations, reboots: r.reboots, peak_nvs_bytes: r.peak_nvs_bytes, notes: r.notes, failures: r.failures })) }, null, 2) + "\n");
}
process.exitCode = totals.survived === totals.runs && totals.lost === 0 && totals.duplicated === 0 && totals.violations === 0 ? 0 : 1;
