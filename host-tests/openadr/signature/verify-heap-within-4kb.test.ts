// Streaming verification of a 200 KB signed oadrDistributeEvent holds at most 4 KB more live heap than
// decoding it unsigned (a collection after every 1,460-byte chunk and every event, host slot size); and
// it runs in the ESP32 heap profile (fixed 78,848-byte chunk heap, 4,928 slots) with the document arriving
// chunk by chunk, as from the network. The stack is raised to 1,024 slots, as in the codec's memory test:
// decoding alone peaks at ≈555 slots here, and on the host every digest write is a JSON host call
// (≈85 slots deeper than the device's native Digest.write); the canonicaliser adds ≈105.
import test from "ava";
import { XsHost } from "../../engine/index.ts";
import { benchDistributeEvent } from "../codec/bench-doc.ts";
import { encodeToBytes } from "../../../modules/openadr/encode.ts";
import { makePki } from "../../peers/pki.ts";
import { ENTRY } from "./support.ts";

/** 20 events, as many intervals as make ≈200 KB unsigned. */
function message() {
  let n = 1;
  while (encodeToBytes(benchDistributeEvent(20, n + 1)).length <= 200 * 1024) n++;
  return benchDistributeEvent(20, n);
}

let doc: Uint8Array;
let fingerprint: string;
test.before(async () => {
  const pki = makePki();
  const xs = await XsHost.start({ entry: ENTRY });
  try {
    fingerprint = await xs.call<string>("signer", pki.vtn.certDer, pki.vtn.keyDer, Date.UTC(2026, 10, 23));
    doc = await xs.call<Uint8Array>("sign", message());
  } finally {
    await xs.close();
  }
});

test("peak live heap: verification ≤ unsigned decoding + 4 KB", async (t) => {
  const xs = await XsHost.start({ entry: ENTRY });
  t.teardown(() => xs.close());
  t.true(doc.length > 200_000, `${doc.length} bytes`);
  const unsigned = await xs.call<{ peakBytes: number }>("liveHeap", doc, 1460, false);
  const verified = await xs.call<{ peakBytes: number; status: string; events: number }>("liveHeap", doc, 1460, true, fingerprint);
  t.is(verified.status, "valid");
  t.is(verified.events, 20);
  const delta = verified.peakBytes - unsigned.peakBytes;
  t.log(`peak: unsigned ${unsigned.peakBytes} B, verified ${verified.peakBytes} B, delta ${delta} B`);
  t.true(delta <= 4096, `delta ${delta} B`);
});

test("ESP32 profile: the document streamed in 1,460-byte calls verifies", async (t) => {
  const xs = await XsHost.start({ entry: ENTRY, heap: "esp32", stack: 1024 });
  t.teardown(() => xs.close());
  await xs.call("streamStart", fingerprint);
  for (let i = 0; i < doc.length; i += 1460) await xs.call("streamChunk", doc.subarray(i, Math.min(doc.length, i + 1460)));
  const r = await xs.call<{ status: string; reason?: string; events: number }>("streamEnd");
  t.is(r.status, "valid", r.reason);
  t.is(r.events, 20);
  const peak = await xs.peak();
  t.log(`esp32 heap profile: peak stack ${peak.peakStack} slots, chunks ${peak.peakChunks} B, slots ${peak.peakSlots}`);
});
