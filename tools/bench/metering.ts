// Bench section "metering": XS compute of the metering signal path at 2,000 samples/s — per sample
// (marginal: a 400-sample window minus a 200-sample one) and per 200 ms window (Meter.process on one CT
// channel) — plus the burst sampler's own loop per sample and a whole Metering step per window
// (reading, energy, slots). XS meter units are exact run to run; wall time is the engine's host.
// Runs under tools/bench.ts, or alone: `npx tsx tools/bench/metering.ts`.
import { pathToFileURL } from "node:url";
import { XsHost, type XsHostOptions } from "../../host-tests/engine/index.ts";

interface Ctx { repetitions?: number; startXs?: (o: XsHostOptions) => Promise<XsHost>; log?: (line: string) => void }

const entry = "host-tests/metering/xs-bench.ts";
const WINDOWS = 50;

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export async function run(ctx: Ctx = {}): Promise<Record<string, number>> {
  const reps = ctx.repetitions ?? 5;
  const own = !ctx.startXs;
  const xs = ctx.startXs ? await ctx.startXs({ entry }) : await XsHost.start({ entry });
  try {
    const metered = async (setupCount: number, fn: string, n: number) => {
      const compute: number[] = [];
      const wall: number[] = [];
      await xs.call("setup", setupCount);
      for (let i = 0; i < reps + 1; i++) {
        const { meter } = await xs.callMetered(fn, n);
        if (i === 0) continue; // warm-up
        compute.push(meter.compute);
        wall.push(meter.wallMs);
      }
      return { compute: median(compute), wall: median(wall) };
    };
    const empty = await metered(400, "empty", 0);
    const full = await metered(400, "process", WINDOWS);
    const half = await metered(200, "process", WINDOWS);
    const sampler = await metered(400, "sample", WINDOWS);
    const step = await metered(400, "step", WINDOWS);
    const perWindow = (full.compute - empty.compute) / WINDOWS;
    const perSample = (full.compute - half.compute) / WINDOWS / 200;
    const out = {
      "metering.compute_per_sample": Math.round(perSample * 10) / 10,
      "metering.compute_per_window": Math.round(perWindow),
      "metering.wall_us_per_window": Math.round(((full.wall - empty.wall) / WINDOWS) * 1000),
      "metering.sampler_compute_per_sample": Math.round(((sampler.compute - empty.compute) / WINDOWS / 400) * 10) / 10,
      "metering.step_compute_per_window": Math.round((step.compute - empty.compute) / WINDOWS),
      "metering.step_wall_us_per_window": Math.round(((step.wall - empty.wall) / WINDOWS) * 1000),
    };
    ctx.log?.(`window of 400 samples, 1 CT channel, ESP32 ADC model; ${reps} repetitions, median`);
    return out;
  } finally {
    if (own) await xs.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  run({ log: (l) => process.stderr.write(l + "\n") }).then((r) => {
    for (const [k, v] of Object.entries(r)) process.stdout.write(`${k.padEnd(40)} ${v}\n`);
  }, (error) => {
    process.stderr.write(String(error?.stack ?? error) + "\n");
    process.exitCode = 1;
  });
}
