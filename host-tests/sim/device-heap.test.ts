// The memory budget as a test: the complete firmware (main.ts on XS) runs the default scenario on the
// ESP32 board targets' fixed heap — 78,848 B of chunks, 4,928 slots — and within their 512-slot stack,
// leaving what a TLS connection needs: the handshake's reserve (≈32 KB of chunks, ≈1,580 slots, the
// peak of a SecureSocket handshake in the Moddable simulator) from each VTN request's start to its
// response head, then the established session (2,784 B, 341 slots, measured in mcsim by
// host-tests/mcsim/tls-memory.ts) until the socket closes, and the session cache's entry from the first
// exchange on (host-tests/engine/host/network.ts). Headroom: `npm run bench -- --only device_heap`.
//
// What made it fit (2026-11-22; the bench's smallest-heap searches are in README.md): the TLS model above
// (it held the handshake's peak through every reply's decode); the OpenADR decoder made per reply and
// dropped at its end (≈9 KB, ≈270 slots free while a handshake runs); VEN jobs as one object each;
// report batches not held through the exchange; report rings without a per-row sequence array; the
// CIOF outbox letting a delivered segment's lines go; the engine's timers as one object each (a device
// timer is a 2-slot host object). The binding moment is a VTN request starting at a 30-minute boundary
// (an oadrUpdateReport body held, the CIOF's new records queued) with the handshake's reserve held.
//
// The stack is counted as a device counts it (peak_stack_slots): XS's intrinsics plus every frame from
// where native code calls into JavaScript, without the host engine's own dispatch and bridge to Node
// (peak_stack_slots_host keeps the raw figure). The deepest path is a VTN reply's first fragment
// reaching the XML declaration check; on the real runtime `npm run test:mcsim` measured 351.
import test from "ava";
import { loadScenario } from "./scenario.ts";
import { ESP32_STACK_SLOTS, runSimulation, type SimRecords } from "./run.ts";
import { summarize, type Summary } from "./summary.ts";

let withoutTls: { records: SimRecords; summary: Summary };
let withTls: { records: SimRecords; summary: Summary };

test.before(async () => {
  const scenario = loadScenario("default");
  const run = async (tlsReserve: boolean) => {
    const records = await runSimulation({ scenario, heap: "esp32", tlsReserve });
    return { records, summary: await summarize(records) };
  };
  withTls = await run(true);
  withoutTls = await run(false);
});

test("ESP32 fixed heap, no TLS reserve: the complete firmware runs the default scenario and passes its checks", (t) => {
  const s = withoutTls.summary;
  t.log(`live heap ≤ ${s.peak_heap_bytes} B (chunks ${s.heap.live_chunks}, slots ${s.heap.live_slots}); stack ${s.heap.peak_stack_slots} slots; ${s.wall_seconds} s`);
  t.falsy(s.aborted, s.aborted);
  t.is(s.safety_violations, 0);
  t.is(s.events_executed, s.events_expected);
  t.is(s.ciof?.records_lost, 0);
  const { ["stack ≤ 512 slots (ESP32)"]: _stack, ...others } = s.checks;
  t.true(Object.values(others).every(Boolean), JSON.stringify(s.checks));
});

test("ESP32 fixed heap with the TLS reserve: the complete firmware runs the default scenario and passes its checks", (t) => {
  const s = withTls.summary;
  t.log(s.aborted ? `aborted at ${new Date(withTls.records.endMs).toISOString()}: ${s.aborted}` : `completed; live heap ≤ ${s.peak_heap_bytes} B (chunks ${s.heap.live_chunks}, slots ${s.heap.live_slots}); ${s.wall_seconds} s`);
  t.falsy(s.aborted, s.aborted);
  t.is(s.simulated_hours, 24);
  t.true(Object.values(s.checks).every(Boolean), JSON.stringify(s.checks));
});

test(`the firmware's stack stays within the ESP32's ${ESP32_STACK_SLOTS} slots`, (t) => {
  const { peak_stack_slots: peak, peak_stack_slots_host: host } = withoutTls.summary.heap;
  t.log(`peak stack ${peak} slots as a device counts it (XS's intrinsics and every firmware frame from where native code calls in; ${host} with the engine's own dispatch and bridge)`);
  t.true(peak > 0);
  t.true(peak <= ESP32_STACK_SLOTS, `peak stack ${peak} > ${ESP32_STACK_SLOTS}`);
});
