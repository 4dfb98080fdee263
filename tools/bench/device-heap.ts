// Bench section "device_heap": does the complete firmware (main.ts on XS) fit the ESP32 board targets'
// fixed heap — 78,848 B of chunks, 4,928 slots, 512 stack slots — while leaving a TLS handshake's
// reserve free (the engine holds ≈32 KB of chunks and ≈1,580 slots from a TLS request's start to its
// response head, then the established session's 2,784 B and 341 slots until it closes), and
// with how much to spare. Keys:
//   fits                              the default scenario (24 h) completes on that heap with the TLS reserve, stack ≤ 512
//   chunk_headroom_bytes              78,848 − the smallest chunk budget the scenario runs in (TLS reserve held; < 0: over)
//   slot_headroom                     4,928 − the smallest slot budget (TLS reserve held)
//   chunk_headroom_without_tls_bytes  the same without the TLS reserve (what the firmware alone needs)
//   stack_headroom_slots              512 − the peak stack after the bundle loaded
//   min_chunks_bytes, min_slots, min_chunks_without_tls_bytes, peak_stack_slots, live_heap_bytes (largest
//   live heap after a collection, chunks + slots × 16), search_hours, chunk_resolution_bytes, slot_resolution
// The smallest budgets come from binary searches over the first `SEARCH_HOURS` of the default scenario
// (registration, every kind of message it exchanges, the largest distribute and report); the three
// searches run side by side (≈20 runs of ≈20 s on an idle 2-core machine; DEVICE_HEAP_SEARCH=0 skips
// them). Standalone: `npx tsx tools/bench/device-heap.ts`.
import { fileURLToPath } from "node:url";
import { HEAP_PROFILES } from "../../host-tests/engine/index.ts";
import { loadScenario } from "../../host-tests/sim/scenario.ts";
import { runSimulation } from "../../host-tests/sim/run.ts";
import { summarize } from "../../host-tests/sim/summary.ts";
import type { BenchContext } from "../bench-lib.ts";

export const section = "device_heap";

const SEARCH_HOURS = Number(process.env.DEVICE_HEAP_SEARCH_HOURS ?? 16);
const CHUNK_STEP = 2048;
const SLOT_STEP = 128;
/** DEVICE_HEAP_SEARCH=0: only `fits`, the stack and the live heap (two runs instead of ~20). */
const SEARCH = process.env.DEVICE_HEAP_SEARCH !== "0";
const LOAD_STACK = 4096; // see ESP32_LOADABLE in host-tests/sim/run.ts: the 512-slot limit is checked after the load

const budget = HEAP_PROFILES.esp32;

async function runsIn(chunks: number, slots: number, tlsReserve: boolean, log: (line: string) => void): Promise<boolean> {
  const records = await runSimulation({
    scenario: loadScenario("default"), durationMs: SEARCH_HOURS * 3_600_000, tlsReserve,
    heap: { chunks, slots, stack: LOAD_STACK, fixed: true },
  });
  const ok = !records.aborted;
  log(`${tlsReserve ? "TLS reserve" : "no TLS reserve"}: ${chunks} B chunks, ${slots} slots → ${ok ? "runs" : records.aborted}`);
  return ok;
}

/** Smallest value in (lo, hi] for which `fits` holds (binary search at `step`), or undefined if hi fails. */
async function smallest(lo: number, hi: number, step: number, fits: (v: number) => Promise<boolean>): Promise<number | undefined> {
  if (!(await fits(hi))) return undefined;
  while (hi - lo > step) {
    const mid = Math.round((lo + hi) / 2 / step) * step;
    if (mid <= lo || mid >= hi) break;
    if (await fits(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

export async function run(ctx: Pick<BenchContext, "log">): Promise<Record<string, number | boolean>> {
  const log = ctx.log;
  // The full scenario on the device's budget, TLS reserve held.
  const full = await runSimulation({ scenario: loadScenario("default"), heap: "esp32", tlsReserve: true });
  const fullSummary = await summarize(full);
  log(`full day on the ESP32 heap with the TLS reserve: ${full.aborted ?? "completed"}`);
  // Without the reserve (for the live heap and the stack, which the reserve does not change).
  const alone = await runSimulation({ scenario: loadScenario("default"), heap: "esp32", tlsReserve: false });
  const aloneSummary = await summarize(alone);
  const peakStack = aloneSummary.heap.peak_stack_slots;
  const generousChunks = 4 * budget.chunks;
  const generousSlots = 4 * budget.slots;
  const [minChunks, minSlots, minChunksAlone] = SEARCH ? await Promise.all([
    smallest(budget.chunks / 2, 2 * budget.chunks, CHUNK_STEP, (c) => runsIn(c, generousSlots, true, log)),
    smallest(budget.slots / 2, 2 * budget.slots, SLOT_STEP, (s) => runsIn(generousChunks, s, true, log)),
    smallest(budget.chunks / 2, 2 * budget.chunks, CHUNK_STEP, (c) => runsIn(c, generousSlots, false, log)),
  ]) : [undefined, undefined, undefined];
  const missing = -1; // not searched, or above the search range's ceiling: reported as −1
  const searched: Record<string, number> = SEARCH ? {
    chunk_headroom_bytes: minChunks === undefined ? -(2 * budget.chunks) : budget.chunks - minChunks,
    slot_headroom: minSlots === undefined ? -(2 * budget.slots) : budget.slots - minSlots,
    chunk_headroom_without_tls_bytes: minChunksAlone === undefined ? -(2 * budget.chunks) : budget.chunks - minChunksAlone,
  } : {};
  return {
    fits: !full.aborted && fullSummary.heap.peak_stack_slots <= budget.stack,
    ...searched,
    stack_headroom_slots: budget.stack - peakStack,
    min_chunks_bytes: minChunks ?? missing,
    min_slots: minSlots ?? missing,
    min_chunks_without_tls_bytes: minChunksAlone ?? missing,
    peak_stack_slots: peakStack,
    live_heap_bytes: aloneSummary.peak_heap_bytes,
    fits_without_tls_reserve: !alone.aborted,
    search_hours: SEARCH_HOURS,
    chunk_resolution_bytes: CHUNK_STEP,
    slot_resolution: SLOT_STEP,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const figures = await run({ log: (line) => process.stderr.write(`[device_heap] ${line}\n`) });
  process.stdout.write(JSON.stringify(figures, null, 2) + "\n");
}
