// On XS (the run that counts): the full flow against the emulator over loopback HTTP — start-up
// status, structure check, contracts, a day of 30-minute slots and one DR event traded with their
// service records, orderly shutdown status — on the ESP32 heap profile (fixed 78,848-byte chunk heap).
import test from "ava";
import { makeXsRig } from "./xs-rig.ts";
import { T0 } from "./site.ts";

test("XS: a day of slots and a DR event, statuses, service records, shutdown", async (t) => {
  // esp32 heap (fixed 78,848-byte chunks, 4,928 slots); the stack is raised only for loading the
  // bundle (one IIFE frame holds every module's top-level bindings, which a device never does) and
  // the run's own peak is checked against the device's 512 slots below.
  const rig = await makeXsRig({ heap: "esp32", stack: 768 });
  const { xs, terminal } = rig;
  try {
    await xs.resetPeak();
    await rig.boot();
    await xs.advance(1000);
    const s0 = await xs.call("status");
    t.is(s0.state, "running", JSON.stringify(s0.problems));
    t.deepEqual(terminal.controllerStatus.map((s) => [s.status, s.polling_rate]), [["ready", 60]]);
    t.is(terminal.services[0].local_id, "svc_dr");
    t.is(terminal.data[1].data_property_implementations[6].local_id, "actions");
    t.is(terminal.statuses.get("event:10803")?.status, "ready");
    await xs.advance(9 * 3600_000);
    await xs.call("addDr", T0 + 9 * 3600_000);
    await xs.call("setHealth", { vtnReachable: false });
    await xs.advance(60_000);
    t.is(terminal.statuses.get("svc:10501")?.status, "exception");
    t.is(terminal.statuses.get("svc:10501")?.remarks, "VTN unreachable");
    await xs.call("setHealth", { vtnReachable: true, ctFault: true });
    await xs.advance(60_000);
    t.is(terminal.statuses.get("data:10901")?.status, "invalid");
    t.is(terminal.statuses.get("svc:10501")?.status, "failure");
    await xs.call("setHealth", { ctFault: false });
    await xs.advance(15 * 3600_000);
    const energy = terminal.uniqueMessages.filter((m) => m.tradeContractId === "10001");
    const rows = energy.flatMap((m) => m.contents.map((r) => r[0]));
    t.is(rows.length, 48);
    t.deepEqual(rows, [...rows].sort());
    t.is(terminal.uniqueMessages.filter((m) => m.tradeContractId === "10002").length, 1);
    t.is(terminal.messages.filter((m) => m.duplicate).length, 0);
    for (const m of terminal.uniqueMessages) t.is(terminal.records.filter((r) => r.body.data_id === m.id).length, 1, m.id);
    t.is(terminal.log.filter((l) => l.status !== 200).length, 0, JSON.stringify(terminal.log.filter((l) => l.status !== 200).slice(0, 2)));
    const stopping = xs.begin("stop");
    await xs.advance(5000);
    const final = await stopping;
    t.is(final.state, "stopped");
    t.deepEqual(terminal.controllerStatus.map((s) => s.status), ["ready", "stopped"]);
    t.deepEqual(await xs.call("logLines", "error"), []);
    t.deepEqual(xs.errors, []);
    const peak = await xs.peak();
    await xs.call("collect");
    const live = await xs.peak();
    t.log(`XS over the day (ESP32 heap, GC when full): peak stack ${peak.peakStackDevice} slots as a device counts it (${peak.peakStack} with the engine's dispatch and bridge); live after GC at the end ${live.chunksInUse} chunk bytes, ${live.slotsInUse} slots (host slot 32 B) over the loaded bundle`);
    t.true(peak.peakStackDevice < 512, "within the ESP32 stack");
  } finally {
    await rig.close();
  }
});
