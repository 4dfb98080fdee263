// Bench section: the XS host engine itself — boot time, per-call overhead, 200 KB transfer, meters.
import { XsHost } from "../../host-tests/engine/index.ts";
import { flatten, median, round, type BenchContext } from "../bench-lib.ts";

const entry = "host-tests/engine/fixtures/xs-smoke.ts";

async function timePerCall(n: number, f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await f();
  return (performance.now() - t0) / n;
}

export async function run(ctx: BenchContext): Promise<Record<string, number | boolean>> {
  const boots: number[] = [];
  for (let i = 0; i < ctx.repetitions; i++) {
    const t0 = performance.now();
    const xs = await XsHost.start({ entry });
    boots.push(performance.now() - t0);
    await xs.close();
  }
  const xs = await ctx.startXs({ entry });
  const doc = new Uint8Array(200_000).map((_, i) => i & 0x7f);
  const callMs: number[] = [];
  const meteredMs: number[] = [];
  const docMs: number[] = [];
  const echoMs: number[] = [];
  for (let i = 0; i < ctx.repetitions; i++) {
    callMs.push(await timePerCall(200, () => xs.call("noop")));
    meteredMs.push(await timePerCall(100, () => xs.callMetered("noop")));
    docMs.push(await timePerCall(20, () => xs.call("length", doc)));
    echoMs.push(await timePerCall(20, () => xs.call("echo", doc)));
  }
  const loops = await ctx.runInterleaved([
    ctx.xsWorkload(xs, "loop1k", "loop", 1_000),
    ctx.xsWorkload(xs, "bytes100k", "bytes", 100_000),
  ], { repetitions: ctx.repetitions });
  return {
    patchedWorker: xs.worker.patched,
    "bootMs": round(median(boots)),
    "callOverheadMs": round(median(callMs)),
    "callMeteredOverheadMs": round(median(meteredMs)),
    "send200kBytesMs": round(median(docMs)),
    "roundTrip200kBytesMs": round(median(echoMs)),
    ...flatten(loops),
  };
}
