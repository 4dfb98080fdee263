// Bench section: XML signatures on XS. A 200 KB oadrDistributeEvent (20 events, the codec's benchmark
// document with as many intervals as make 200 KB) is signed by the firmware's signer with the test PKI's VTN key, then decoded in
// 1,460-byte chunks with and without streaming verification. Reports compute (XS meter) per KB of document
// and wall time, and the live-heap peak (a collection after every chunk and event) of both, whose
// difference is what verification costs in memory while a document streams (the verifier's own buffers,
// made once, are `verifier_fixed_bytes`; host slots are 32 bytes, twice the ESP32's). On the host, SHA-256 runs in Node behind issueCommand:
// every digest write is a host call whose JSON framing XS counts as compute, which a device (native
// Digest) does not pay; `c14n_compute_per_kb` is the canonicaliser alone writing into nothing.
// Standalone: `npx tsx tools/bench/signature.ts` prints the figures as JSON.
import { pathToFileURL } from "node:url";
import { XsHost, type XsHostOptions } from "../../host-tests/engine/index.ts";
import { benchDistributeEvent } from "../../host-tests/openadr/codec/bench-doc.ts";
import { encodeToBytes } from "../../modules/openadr/encode.ts";
import { venSamples } from "../../host-tests/openadr/codec/samples.ts";
import { makePki } from "../../host-tests/peers/pki.ts";
import type { BenchContext } from "../bench-lib.ts";

const ENTRY = "host-tests/openadr/signature/xs-entry.ts";
const CHUNK = 1460;
const TARGET_BYTES = 200 * 1024;

/** 20 events with as many 15-minute intervals as make the unsigned payload closest to 200 KB. */
function benchMessage(): ReturnType<typeof benchDistributeEvent> {
  let best = benchDistributeEvent(20, 1);
  let bestGap = Infinity;
  for (let n = 1; n <= 96; n++) {
    const m = benchDistributeEvent(20, n);
    const gap = Math.abs(encodeToBytes(m).length - TARGET_BYTES);
    if (gap < bestGap) { best = m; bestGap = gap; } else break;
  }
  return best;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const round = (v: number) => (Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 100) / 100);

export async function run(ctx?: BenchContext): Promise<Record<string, number>> {
  const repetitions = ctx?.repetitions ?? 5;
  const start = (options: XsHostOptions) => (ctx ? ctx.startXs(options) : XsHost.start(options));
  const xs = await start({ entry: ENTRY });
  try {
    const pki = makePki();
    const signedAt = Date.UTC(2026, 10, 23, 0, 0, 0);
    const fingerprint = await xs.call<string>("signer", pki.vtn.certDer, pki.vtn.keyDer, signedAt);
    const doc = await xs.call<Uint8Array>("sign", benchMessage());
    const kb = doc.length / 1024;

    const status = await xs.call<string>("benchVerify", doc, CHUNK, fingerprint);
    if (status !== "valid") throw new Error(`benchmark document does not verify: ${status}`);

    const runs: Record<string, { compute: number[]; wallMs: number[] }> = { decode: { compute: [], wallMs: [] }, verify: { compute: [], wallMs: [] }, c14n: { compute: [], wallMs: [] }, sign: { compute: [], wallMs: [] } };
    const small = venSamples().oadrCreatedEvent;
    for (let r = 0; r < repetitions + 1; r++) {
      const d = await xs.callMetered("benchDecode", doc, CHUNK);
      const v = await xs.callMetered("benchVerify", doc, CHUNK, fingerprint);
      const c = await xs.callMetered("benchC14n", doc, CHUNK);
      const s = await xs.callMetered("benchSign", small);
      if (r === 0) continue; // warm-up
      for (const [name, m] of [["decode", d.meter], ["verify", v.meter], ["c14n", c.meter], ["sign", s.meter]] as const) {
        runs[name].compute.push(m!.compute);
        runs[name].wallMs.push(m!.wallMs);
      }
    }
    const unsigned = await xs.call<{ peakBytes: number; status: string }>("liveHeap", doc, CHUNK, false);
    const verified = await xs.call<{ peakBytes: number; status: string }>("liveHeap", doc, CHUNK, true, fingerprint);
    if (verified.status !== "valid") throw new Error(`live-heap run did not verify: ${verified.status}`);

    const fixed = await xs.call<number>("verifierFixedBytes", doc, fingerprint);
    const decode = median(runs.decode.compute);
    const verify = median(runs.verify.compute);
    const c14n = median(runs.c14n.compute);
    return {
      "signature.document_kb": round(kb),
      "signature.verify_compute_per_kb": round(verify / kb),
      "signature.decode_compute_per_kb": round(decode / kb),
      "signature.verify_overhead_compute_per_kb": round((verify - decode) / kb),
      "signature.c14n_compute_per_kb": round((c14n - decode) / kb),
      "signature.verify_wall_ms": round(median(runs.verify.wallMs)),
      "signature.decode_wall_ms": round(median(runs.decode.wallMs)),
      "signature.peak_delta_bytes": verified.peakBytes - unsigned.peakBytes,
      "signature.verify_peak_bytes": verified.peakBytes,
      "signature.decode_peak_bytes": unsigned.peakBytes,
      "signature.verifier_fixed_bytes": fixed,
      "signature.sign_compute": round(median(runs.sign.compute)),
      "signature.sign_wall_ms": round(median(runs.sign.wallMs)),
    };
  } finally {
    if (!ctx) await xs.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.stdout.write(JSON.stringify(await run(), null, 2) + "\n");
}
