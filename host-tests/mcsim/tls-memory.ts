// What a SecureSocket costs the XS heap, measured on the SDK's own TLS (lin, before the firmware starts):
// two exchanges with the VTN simulator through the firmware's own transport (the provisioned identity
// from the run's Preference file), the first a full handshake (certificate chain, client certificate,
// key exchange), the second resumed from SecureSocket's session cache. For each, four readings:
//  - peak: the XS counters' peak from just before the request to the response's headers (the
//    handshake happens in between; garbage not yet collected is included, so it is an upper bound);
//  - open: live after a collection while the response is being read (the established session:
//    record-layer state, buffers, the http Request);
//  - closed: live after a collection once the socket is gone (what stays: the session cache entry).
// Each reading is relative to the live heap before that exchange. tools/test-mcsim.ts prints the
// "# tls-mem" lines; the host engine's TLS model (host-tests/engine/host/network.ts) is set from them.
import Preference from "preference";
import Timer from "timer";
import memory, { type XsMemory } from "./memory/memory";
import { ModdableHttpTransport } from "../../modules/platform/moddable/http-transport";

export interface TlsMemory {
  exchange: string;
  status: number;
  /** bytes / slots over the live heap before the exchange */
  peakChunks: number; peakSlots: number;
  openChunks: number; openSlots: number;
  closedChunks: number; closedSlots: number;
}

const wait = (ms: number) => new Promise<void>((resolve) => { Timer.set(() => resolve(), ms); });

function blob(key: string): Uint8Array {
  const value = Preference.get("prov", key);
  if (!(value instanceof ArrayBuffer)) throw new Error(`Preference prov/${key} missing`);
  return new Uint8Array(value);
}

/** Measures `count` exchanges (GET /) with the VTN at vtnURL; the first is a full handshake. */
export async function measureTls(count = 2): Promise<TlsMemory[]> {
  const url = Preference.get("config", "vtnURL");
  if (typeof url !== "string") throw new Error("Preference config/vtnURL missing");
  const m = /^https:\/\/([^/:]+):(\d+)/.exec(url);
  if (!m) throw new Error(`vtnURL ${url}: not https://host:port`);
  const transport = new ModdableHttpTransport({
    host: m[1]!, port: Number(m[2]), secure: true,
    tls: { ca: blob("ca"), certificate: blob("cert"), key: blob("key") },
  });
  const out: TlsMemory[] = [];
  for (let i = 0; i < count; i++) {
    const base: XsMemory = memory(3); // collect, then restart the peaks
    let peak: XsMemory | undefined;
    let open: XsMemory | undefined;
    let status = 0;
    await new Promise<void>((resolve, reject) => {
      transport.request({ method: "GET", path: "/", timeoutMs: 20_000 }, {
        onHeaders(s) {
          status = s;
          peak = memory(0);
          open = memory(1);
        },
        onData() { /* the body is not needed */ },
        onDone: resolve,
        onError: reject,
      });
    });
    await wait(200); // the socket's close completes from its own callback
    const closed = memory(1);
    if (!peak || !open) throw new Error("no headers");
    out.push({
      exchange: i === 0 ? "first (full handshake)" : `again ${i} (session cache: resumed)`, status,
      peakChunks: peak.chunksPeak - base.chunks, peakSlots: peak.slotsPeak - base.slots,
      openChunks: open.chunks - base.chunks, openSlots: open.slots - base.slots,
      closedChunks: closed.chunks - base.chunks, closedSlots: closed.slots - base.slots,
    });
  }
  transport.close();
  return out;
}
