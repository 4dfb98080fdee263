// Runs the fault matrix (catalog.ts × seeds), a few runs at a time, and folds the verdicts into one row
// per fault: runs, survived, records lost, records duplicated, safety violations, notes. Used by
// tools/faults.ts (full matrix) and faults-reduced.test.ts (1–2 seeds a row). Node only.
import { CATALOG } from "./catalog.ts";
import { verdict } from "./checks.ts";
import { runFault } from "./runner.ts";
import type { FaultDef, RunVerdict } from "./types.ts";

export interface MatrixRow {
  fault: string;
  group: string;
  runs: number;
  survived: number;
  lost: number;
  duplicated: number;
  safety_violations: number;
  reboots: number;
  /** Largest NVS footprint in any run of the row, bytes. */
  peak_nvs_bytes: number;
  notes: string;
  failures: string[];
  wall_seconds: number;
}

export interface MatrixOptions {
  /** "full": each fault's `seeds`; "reduced": its `reducedSeeds` (default 1); or a number for every row. */
  seeds?: "full" | "reduced" | number;
  /** Only faults whose name contains one of these (case-insensitive). */
  only?: string[];
  /** Runs at once (default 2: one XS worker per core). */
  jobs?: number;
  /** First seed (default 1). */
  firstSeed?: number;
  onRun?: (v: RunVerdict, def: FaultDef) => void;
}

export function selectFaults(only?: string[]): FaultDef[] {
  if (!only?.length) return CATALOG.slice();
  const wanted = only.map((o) => o.toLowerCase());
  return CATALOG.filter((d) => wanted.some((w) => d.name.toLowerCase().includes(w)));
}

function seedsOf(def: FaultDef, seeds: MatrixOptions["seeds"]): number {
  if (typeof seeds === "number") return seeds;
  return seeds === "reduced" ? def.reducedSeeds ?? 1 : def.seeds;
}

export async function runMatrix(options: MatrixOptions = {}): Promise<MatrixRow[]> {
  const faults = selectFaults(options.only);
  const jobs: { def: FaultDef; seed: number }[] = [];
  const first = options.firstSeed ?? 1;
  for (const def of faults) for (let i = 0; i < seedsOf(def, options.seeds ?? "full"); i++) jobs.push({ def, seed: first + i });
  const verdicts = new Map<FaultDef, RunVerdict[]>();
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const { def, seed } = jobs[next++]!;
      const records = await runFault(def, seed);
      const v = verdict(def, records);
      if (!verdicts.has(def)) verdicts.set(def, []);
      verdicts.get(def)!.push(v);
      options.onRun?.(v, def);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.jobs ?? 2) }, worker));
  return faults.map((def) => fold(def, verdicts.get(def) ?? []));
}

export function fold(def: FaultDef, vs: RunVerdict[]): MatrixRow {
  const failed = vs.filter((v) => !v.survived);
  const noteCounts = new Map<string, number>();
  for (const v of vs) for (const n of v.notes) noteCounts.set(n, (noteCounts.get(n) ?? 0) + 1);
  const notes = failed.length
    ? `FAILED seed ${failed.map((v) => v.seed).join(",")}: ${failed[0]!.failures[0]}`
    : [def.description, ...[...noteCounts.entries()].filter(([n]) => !/^cuts: /.test(n)).slice(0, 2).map(([n, c]) => (vs.length > 1 ? `${n} (${c}/${vs.length} runs)` : n))].join("; ");
  return {
    fault: def.name, group: def.group, runs: vs.length, survived: vs.length - failed.length,
    lost: vs.reduce((n, v) => n + v.lost, 0), duplicated: vs.reduce((n, v) => n + v.duplicated, 0),
    safety_violations: vs.reduce((n, v) => n + v.safetyViolations, 0), reboots: vs.reduce((n, v) => n + v.reboots, 0),
    peak_nvs_bytes: vs.reduce((n, v) => Math.max(n, v.storagePeak), 0),
    notes, failures: failed.flatMap((v) => v.failures.map((f) => `seed ${v.seed}: ${f}`)),
    wall_seconds: Math.round(vs.reduce((n, v) => n + v.wallSeconds, 0)),
  };
}
