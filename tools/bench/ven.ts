// Bench section "ven": the VEN engine on XS against the VTN simulator over TLS with client
// certificates (the engine's host network, Moddable's legacy http + SecureSocket semantics).
//   compute_idle_poll         XS compute of one poll answered by an empty oadrResponse
//   compute_distribute_1/_10  XS compute of a poll that brings 1 / 10 events, deciding them and
//                             sending the oadrCreatedEvent (decode + schedule + encode + two exchanges)
//   handshakes_per_100_polls  full TLS handshakes (not resumed) per 100 steady polls (goal ≤ 1)
//   peak_heap_session_bytes   largest live XS heap on the ESP32 profile (chunks + slots × 16, sampled
//                             after a GC between exchanges) over a session: registered, 10 events
//                             stored and answered, a report request and its reports (patched worker).
//                             Plain HTTP: excludes what an open TLS connection holds (≈32 KB chunks +
//                             ≈1,580 slots on the device).
// Standalone: `npx tsx tools/bench/ven.ts` prints the figures as JSON.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { XsHost } from "../../host-tests/engine/index.ts";
import { makePki } from "../../host-tests/peers/pki.ts";
import type { SimEvent } from "../../host-tests/peers/vtn/messages.ts";
import { VtnSimulator } from "../../host-tests/peers/vtn/server.ts";
import { requestTelemetry, sessionEvent } from "../../host-tests/openadr/ven/support/session.ts";

const ENTRY = "host-tests/openadr/ven/xs-ven.ts";
const T0 = Date.UTC(2026, 10, 22, 0, 0, 0);
const SECOND = 1000;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * A registered VEN against the simulator. `device: true` runs XS with the ESP32 heap (fixed 78,848 B
 * chunks and 4,928 slots, so the collector really runs) over plain HTTP, with a 1,024-slot stack: this
 * bench drives the VEN through the engine's calls, whose raw stack count includes the engine's own
 * frames. The whole firmware on the ESP32 heap with the TLS memory and the 512-slot stack (counted as a
 * device counts it) is the device-heap test's (host-tests/sim/device-heap.test.ts) and the device_heap
 * bench section's.
 */
async function session(options: { reports?: boolean; device?: boolean } = {}) {
  const pki = makePki();
  let xs: XsHost | undefined;
  const plain = options.device === true;
  const sim = await VtnSimulator.start({ pki: plain ? undefined : pki, clock: () => xs?.now ?? T0, pollFreq: SECOND, reportRequests: options.reports ? requestTelemetry(10 * SECOND, 60 * SECOND) : undefined });
  xs = await XsHost.start({ entry: ENTRY, clock: { start: T0 }, ...(options.device ? { heap: "esp32" as const, stack: 1024 } : {}) });
  const ven = pki.vens["ven-1"]!;
  await xs.call("start", {
    vtnURL: sim.url, venName: "bench", pollInterval: 10 * SECOND, logLevels: ["error"],
    ...(plain ? { development: true, readerLimits: { distinctNames: 256, textBytes: 2048, attributeBytes: 512 } } : { tls: { ca: pki.ca.certDer, certificate: ven.certDer, key: ven.keyDer } }),
    reports: options.reports ? [{ resourceId: "meter", measurement: "powerReal", unit: "W", reading: { base: 500 } }] : [],
  });
  await xs.runUntil(() => sim.received("oadrPoll").length >= 1, { maxMs: 60_000 });
  return { xs, sim, close: async () => { await xs!.close(); await sim.close(); } };
}

/**
 * XS compute of one poll cycle: pollOnce(kind) settles when the exchange of `kind` ended. The work
 * spans many worker commands (timer, network events, promise jobs) and xsnap meters each command on
 * its own, so the meters of every command in between are summed.
 */
async function cycleCompute(xs: XsHost, kind: string): Promise<number> {
  let sum = 0;
  let last = xs.lastMeter;
  let done = false;
  const take = () => {
    if (xs.lastMeter !== last) {
      last = xs.lastMeter;
      sum += last.compute;
    }
  };
  const result = xs.begin("pollOnce", kind).then(() => (done = true));
  await xs.runUntil(() => {
    take();
    return done;
  }, { maxMs: 60_000 });
  await result;
  take();
  return sum;
}

function events(n: number, at: number): SimEvent[] {
  return Array.from({ length: n }, (_, i) => sessionEvent({ eventID: `BENCH-${i}`, dtstart: at + 3_600_000 + i * 60_000 }));
}

export async function run(ctx?: { repetitions?: number; log?: (line: string) => void }): Promise<Record<string, number>> {
  const repetitions = ctx?.repetitions ?? 5;
  const out: Record<string, number> = {};

  // idle polls and handshakes
  {
    const s = await session();
    const idle: number[] = [];
    for (let i = 0; i < repetitions; i++) {
      await s.xs.advance(2 * SECOND);
      idle.push(await cycleCompute(s.xs, "oadrPoll"));
    }
    out["ven.compute_idle_poll"] = median(idle);
    const handshakes = s.xs.network.stats.handshakes;
    const polls = s.sim.received("oadrPoll").length;
    await s.xs.runUntil(() => s.sim.received("oadrPoll").length >= polls + 100, { maxMs: 3_600_000 });
    out["ven.handshakes_per_100_polls"] = s.xs.network.stats.handshakes - handshakes;
    out["ven.resumptions_per_100_polls"] = s.xs.network.stats.resumptions;
    await s.close();
  }

  // distribute with 1 and 10 events (fresh events each time, so each is decided and answered)
  for (const n of [1, 10]) {
    const s = await session();
    const computes: number[] = [];
    for (let i = 0; i < repetitions; i++) {
      for (const e of s.sim.events.keys()) s.sim.removeEvent(e);
      for (const e of events(n, s.xs.now)) s.sim.putEvent({ ...e, eventID: `${e.eventID}-${i}` });
      s.sim.distribute();
      await s.xs.advance(2 * SECOND);
      computes.push(await cycleCompute(s.xs, "oadrCreatedEvent"));
    }
    out[`ven.compute_distribute_${n}`] = median(computes);
    await s.close();
  }

  // live heap over a session: after a GC (callMetered collects first), at each stage
  {
    const s = await session({ reports: true, device: true });
    let chunks = 0;
    let slots = 0;
    const live = async () => {
      const { meter } = await s.xs.callMetered("status");
      chunks = Math.max(chunks, meter.chunksInUse);
      slots = Math.max(slots, meter.slotsInUse);
      return meter.chunksInUse + meter.slotsInUse * 16; // ESP32 slots are 16 bytes
    };
    const samples = [await live()];
    for (const e of events(10, s.xs.now)) s.sim.putEvent(e);
    s.sim.distribute();
    await s.xs.runUntil(() => s.sim.received("oadrCreatedEvent").length >= 1, { maxMs: 60_000 });
    samples.push(await live());
    await s.xs.runUntil(() => s.sim.received("oadrUpdateReport").length >= 3, { maxMs: 600_000 });
    samples.push(await live());
    out["ven.peak_heap_session_bytes"] = Math.max(...samples);
    out["ven.peak_live_chunks_bytes"] = chunks;
    out["ven.peak_live_slots"] = slots;
    if (!s.xs.worker.patched) ctx?.log?.("stock xsnap-worker: heap figures are 0 (run npm run postinstall)");
    await s.close();
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  run({ log: (line) => process.stderr.write(line + "\n") }).then((figures) => {
    process.stdout.write(JSON.stringify(figures, null, 2) + "\n");
  }, (error) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  });
}
