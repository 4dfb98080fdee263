// Bench section: the OpenADR decoder on XS with a large oadrDistributeEvent fed in 1,460-byte chunks
// (events dropped in onEvent, as a VEN does). Documents from host-tests/openadr/codec/bench-doc.ts:
// 20 events × 38 intervals ≈ 205 KB (the ≈200 KB benchmark) and 2 × 38 ≈ 21 KB; 10 × 96 ≈ 239 KB shows
// a wider event (20 × 96 would be ≈ 476 KB, over the reader's 256 KB document limit).
import { encodeToBytes } from "../../modules/openadr/encode.ts";
import { benchDistributeEvent } from "../../host-tests/openadr/codec/bench-doc.ts";
import { ENTRY } from "../../host-tests/openadr/codec/support.ts";
import { median, round, type BenchContext } from "../bench-lib.ts";

const CHUNK = 1460;

export async function run(ctx: BenchContext): Promise<Record<string, number | boolean>> {
  const xs = await ctx.startXs({ entry: ENTRY });
  const large = encodeToBytes(benchDistributeEvent(20, 38));
  const small = encodeToBytes(benchDistributeEvent(2, 38));
  const wide = encodeToBytes(benchDistributeEvent(10, 96));
  const kb = large.length / 1024;
  // compute is exactly repeatable; wall time is not (median of the repetitions)
  const loop = await xs.callMetered("benchLoop", large, CHUNK);
  const reader = await xs.callMetered("benchReader", large, CHUNK);
  const fresh = await xs.callMetered<number>("benchDecode", large, CHUNK, true);
  await xs.call("benchDecode", large, CHUNK, false);
  const kept = await xs.callMetered<number>("benchDecode", large, CHUNK, false);
  const wideKept = await xs.callMetered<number>("benchDecode", wide, CHUNK, false);
  const wall: number[] = [];
  for (let i = 0; i < ctx.repetitions; i++) wall.push((await xs.callMetered("benchDecode", large, CHUNK, false)).meter.wallMs);
  const liveSmall = await xs.call<{ peakBytes: number }>("benchDecodeLive", small, CHUNK);
  const liveLarge = await xs.call<{ peakBytes: number }>("benchDecodeLive", large, CHUNK);
  const liveWide = await xs.call<{ peakBytes: number }>("benchDecodeLive", wide, CHUNK);
  return {
    documentBytes: large.length,
    loopComputePerKB: round(loop.meter.compute / kb),
    readerComputePerKB: round(reader.meter.compute / kb),
    decodeComputePerKB: round(fresh.meter.compute / kb),
    decodeOverLoop: round(fresh.meter.compute / loop.meter.compute),
    readerOverLoop: round(reader.meter.compute / loop.meter.compute),
    decodeKeptDecoderOverLoop: round(kept.meter.compute / loop.meter.compute),
    decodeWallMs: round(median(wall)),
    allocatedBytesPerInputByte: round(kept.meter.peakBytes / large.length),
    allocatedBytesPerInputByte96: round(wideKept.meter.peakBytes / wide.length),
    livePeakBytes20KB: liveSmall.peakBytes,
    livePeakBytes200KB: liveLarge.peakBytes,
    livePeakBytes96Intervals: liveWide.peakBytes,
    decodeStackSlots: fresh.meter.peakStack,
    loopStackSlots: loop.meter.peakStack,
  };
}
