// Bench section "parser": the side-by-side of XML parsing on XS, in one run, interleaved,
// medians. Documents: oadrDistributeEvent on the shape of a real one (host-tests/openadr/codec/bench-doc.ts),
// ≈20 KB (2 events) and ≈200 KB (20 events), fed in 1,460-byte chunks. Contenders:
//   ours   — the firmware's OadrDecoder producing typed events (as the VEN's wire configures it: intervalColumns)
//   saxes  — the most used JavaScript streaming parser, tokenizing the same chunks through a streaming TextDecoder
//   txml   — a DOM parser, on the whole document as one string (XS indexes long strings in O(position): slow)
//   floor  — a plain loop that only visits every byte
// compute = XS meter (exactly repeatable); wall = XS-side ms (noisy on a shared machine); alloc = the largest
// growth of chunks + slots × 32 B in use during the call (a collection runs first, none is forced during it),
// per input byte: exact while no collection runs, a lower bound for a contender that triggers collections
// (saxes, txml: their figure is capped by the heap); the xsnap `allocate` meter is the heap size, not a count; peak_* = largest live heap growth (chunks + slots
// × 32 B, after a collection) over an idle decoder while decoding. The 96-interval shape (2 × 96, 20 × 96) is
// in the "openadr-decode" section.
import { encodeToBytes } from "../../modules/openadr/encode.ts";
import { benchDistributeEvent } from "../../host-tests/openadr/codec/bench-doc.ts";
import { ENTRY as CODEC_ENTRY } from "../../host-tests/openadr/codec/support.ts";
import type { XsHost } from "../../host-tests/engine/index.ts";
import { round, type BenchContext, type Sample } from "../bench-lib.ts";

const CHUNK = 1460;
const VEN = Object.freeze({ intervalColumns: true });

/** One metered call: compute, XS wall time, and the peak growth of the heap in use during the call. */
async function measure(xs: XsHost, fn: string, ...args: unknown[]): Promise<Sample> {
  const { meter } = await xs.callMetered(fn, ...args);
  return { compute: meter.compute, wallMs: meter.wallMs, allocated: meter.peakBytes };
}

export async function run(ctx: BenchContext): Promise<Record<string, number | boolean>> {
  const codec = await ctx.startXs({ entry: CODEC_ENTRY });
  const xml = await ctx.startXs({ entry: "host-tests/xml/bench-entry.ts" });
  const large = encodeToBytes(benchDistributeEvent(20, 38));
  const small = encodeToBytes(benchDistributeEvent(2, 38));
  const kb = large.length / 1024;
  await codec.call("benchDecode", large, CHUNK, false, VEN); // the kept decoder, as a VEN keeps it
  const results = await ctx.runInterleaved([
    { name: "ours", run: () => measure(codec, "benchDecode", large, CHUNK, false, VEN) },
    { name: "saxes", run: () => measure(xml, "saxes", large, CHUNK) },
    { name: "txml", run: () => measure(xml, "txml", large) },
    { name: "floor", run: () => measure(xml, "floor", large, CHUNK) },
  ], { repetitions: Math.min(ctx.repetitions, 3), warmup: 0 });
  const liveSmall = await codec.call<{ peakBytes: number }>("benchDecodeLive", small, CHUNK, VEN);
  const liveLarge = await codec.call<{ peakBytes: number }>("benchDecodeLive", large, CHUNK, VEN);
  const out: Record<string, number | boolean> = {
    "parser.document_small_bytes": small.length,
    "parser.document_large_bytes": large.length,
  };
  for (const [name, s] of Object.entries(results)) {
    out[`parser.${name}.compute_per_kb`] = round(s.compute / kb);
    out[`parser.${name}.wall_ms_per_kb`] = round(s.wallMs / kb);
    out[`parser.${name}.alloc_bytes_per_input_byte`] = round(s.allocated / large.length);
  }
  const ours = results.ours, saxes = results.saxes, floor = results.floor;
  out["parser.ours.compute_over_floor"] = round(ours.compute / floor.compute);
  out["parser.saxes.compute_over_ours"] = round(saxes.compute / ours.compute);
  out["parser.saxes.wall_over_ours"] = round(saxes.wallMs / ours.wallMs);
  out["parser.peak_small_bytes"] = liveSmall.peakBytes;
  out["parser.peak_large_bytes"] = liveLarge.peakBytes;
  return out;
}
