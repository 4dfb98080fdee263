// npm run bench [-- --json <file>] [--reps N] [--only a,b]
// Runs every section in tools/bench/*.ts (each exports `async function run(ctx)` returning
// Record<string, number | boolean>), prints one table and optionally writes JSON. A section that
// throws is reported as an error and the others still run; the exit code is then 1.
// To add a section, add a file to tools/bench/ — nothing else to register. Its keys are "<file name>.<metric>"
// unless the file exports `section` (a name for its keys).
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { XsHost, type XsHostOptions } from "../host-tests/engine/index.ts";
import { runInterleaved, xsWorkload, type BenchContext, type BenchSection } from "./bench-lib.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const sectionsDir = path.join(repoRoot, "tools/bench");

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const jsonFile = arg("--json");
  const repetitions = Number(arg("--reps") ?? 5);
  const only = arg("--only")?.split(",");
  const files = existsSync(sectionsDir) ? readdirSync(sectionsDir).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")).sort() : [];
  const report: { date: string; node: string; repetitions: number; sections: Record<string, Record<string, number | boolean>>; errors: Record<string, string> } = {
    date: new Date().toISOString(), node: process.version, repetitions, sections: {}, errors: {},
  };
  for (const file of files) {
    let name = file.slice(0, -3);
    if (only && !only.includes(name) && !only.includes(name.replace(/-/g, "_"))) continue;
    const hosts: XsHost[] = [];
    const ctx: BenchContext = {
      repetitions, repoRoot, runInterleaved, xsWorkload,
      startXs: async (options: XsHostOptions) => { const xs = await XsHost.start(options); hosts.push(xs); return xs; },
      log: (line) => process.stderr.write(`[${name}] ${line}\n`),
    };
    const started = performance.now();
    try {
      const mod = await import(pathToFileURL(path.join(sectionsDir, file)).href) as { run?: BenchSection; section?: string };
      if (typeof mod.run !== "function") throw new Error("exports no run(ctx)");
      if (typeof mod.section === "string" && mod.section !== "") name = mod.section; // a section may name its keys (device-heap.ts → device_heap.*)
      report.sections[name] = await mod.run(ctx);
    } catch (error) {
      report.errors[name] = error instanceof Error ? error.message : String(error);
    } finally {
      for (const xs of hosts) await xs.close();
    }
    process.stderr.write(`[bench] ${name}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  const rows: string[][] = [["section", "metric", "value"]];
  for (const [section, metrics] of Object.entries(report.sections)) {
    for (const [metric, value] of Object.entries(metrics)) rows.push([section, metric, typeof value === "number" ? value.toLocaleString("en-US") : String(value)]);
  }
  for (const [section, message] of Object.entries(report.errors)) rows.push([section, "ERROR", message]);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const [i, r] of rows.entries()) {
    process.stdout.write(r.map((cell, c) => (c === 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join("  ") + "\n");
    if (i === 0) process.stdout.write(widths.map((w) => "-".repeat(w)).join("  ") + "\n");
  }
  if (jsonFile) {
    mkdirSync(path.dirname(path.resolve(jsonFile)), { recursive: true });
    // Besides the per-section tables, every dotted metric ("parser.ours.compute_per_kb") is also written
    // as a path at the top level (report.parser.ours.compute_per_kb) and in one flat map (report.metrics).
    const metrics: Record<string, number | boolean> = {};
    const tree: Record<string, unknown> = {};
    for (const values of Object.values(report.sections)) {
      for (const [key, value] of Object.entries(values)) {
        if (!key.includes(".")) continue;
        metrics[key] = value;
        const parts = key.split(".");
        let node = tree;
        for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
        node[parts[parts.length - 1]] = value;
      }
    }
    writeFileSync(jsonFile, JSON.stringify({ ...tree, ...report, metrics }, null, 2) + "\n");
  }
  return Object.keys(report.errors).length ? 1 : 0;
}

process.exitCode = await main();
