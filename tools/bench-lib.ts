// Benchmark helpers: run named workloads interleaved (A B C A B C …, so machine noise spreads evenly),
// N repetitions after warm-up, and report medians of compute (XS meter), wall time and peak bytes.
// Used by tools/bench.ts and by the sections in tools/bench/*.ts. Host code (Node).
import { XsHost, type XsHostOptions, type XsMeter } from "../host-tests/engine/index.ts";

/** One measurement of a workload. Any extra numeric fields are reported as medians too. */
export interface Sample { compute?: number; wallMs?: number; peakBytes?: number; [metric: string]: number | undefined }

export interface Workload { name: string; run: () => Promise<Sample> }

export interface Summary { samples: number; [metric: string]: number }

export interface InterleaveOptions {
  /** measured rounds (default 5) */
  repetitions?: number;
  /** unmeasured rounds first (default 1) */
  warmup?: number;
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs the workloads round-robin and returns per-workload medians of every metric. */
export async function runInterleaved(workloads: Workload[], options: InterleaveOptions = {}): Promise<Record<string, Summary>> {
  const repetitions = options.repetitions ?? 5;
  const warmup = options.warmup ?? 1;
  const samples = new Map<string, Sample[]>(workloads.map((w) => [w.name, []]));
  for (let round = 0; round < warmup + repetitions; round++) {
    for (const w of workloads) {
      const started = performance.now();
      const sample = await w.run();
      if (sample.wallMs === undefined) sample.wallMs = performance.now() - started;
      if (round >= warmup) samples.get(w.name)!.push(sample);
    }
  }
  const out: Record<string, Summary> = {};
  for (const [name, list] of samples) {
    const summary: Summary = { samples: list.length };
    const metrics = new Set(list.flatMap((s) => Object.keys(s)));
    for (const metric of metrics) {
      const values = list.map((s) => s[metric]).filter((v): v is number => typeof v === "number");
      if (values.length) summary[metric] = median(values);
    }
    out[name] = summary;
  }
  return out;
}

/** A workload that calls an exposed XS function with callMetered: compute, XS wall time, peak bytes. */
export function xsWorkload(xs: XsHost, name: string, fn: string, ...args: unknown[]): Workload {
  return {
    name,
    run: async () => {
      const { meter } = await xs.callMetered(fn, ...args);
      return fromMeter(meter);
    },
  };
}

export function fromMeter(meter: XsMeter): Sample {
  return { compute: meter.compute, wallMs: meter.wallMs, peakBytes: meter.peakBytes, peakSlots: meter.peakSlots, peakStack: meter.peakStack };
}

/** What a bench section receives. */
export interface BenchContext {
  repetitions: number;
  repoRoot: string;
  /** Starts an engine that is closed after the section. */
  startXs(options: XsHostOptions): Promise<XsHost>;
  runInterleaved(workloads: Workload[], options?: InterleaveOptions): Promise<Record<string, Summary>>;
  xsWorkload: typeof xsWorkload;
  log(line: string): void;
}

/** A section module (tools/bench/<name>.ts) exports `run`; its result becomes one section of the report. */
export type BenchSection = (ctx: BenchContext) => Promise<Record<string, number | boolean>>;

/** Flattens interleaved summaries into section metrics: "<workload>.<metric>". */
export function flatten(summaries: Record<string, Summary>, metrics: string[] = ["compute", "wallMs", "peakBytes"]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, s] of Object.entries(summaries)) {
    for (const m of metrics) if (s[m] !== undefined) out[`${name}.${m}`] = round(s[m]);
  }
  return out;
}

export function round(v: number): number {
  return Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 1000) / 1000;
}
