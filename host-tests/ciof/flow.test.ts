// Full flow against the emulator on Node: start-up status, structure check and local_id registration,
// contracts in force only, a day of 30-minute slots and one DR event traded with their service
// records, orderly shutdown status.
import test from "ava";
import { makeRig } from "./rig.ts";
import { sampleDrEvent } from "./fakes.ts";
import { T0 } from "./site.ts";

test("a day of slots and a DR event, with statuses and service records", async (t) => {
  const rig = makeRig();
  const { time, terminal, controller } = rig;
  controller.start();
  await time.advance(1000);
  t.is(controller.status.state, "running", JSON.stringify(controller.status.problems));
  t.deepEqual(terminal.controllerStatus.map((s) => [s.status, s.polling_rate]), [["ready", 60]]);
  // local ids registered, statuses reported
  t.is(terminal.services[0].local_id, "svc_dr");
  t.is(terminal.services[0].process_implementations[1].event_implementations[0].local_id, "ev_dr");
  t.is(terminal.data[0].data_property_implementations[1].local_id, "wh");
  t.is(terminal.statuses.get("svc:10501")?.status, "ready");
  t.is(terminal.statuses.get("data:10901")?.status, "valid");
  t.is(controller.status.contractsInForce, 3);

  // a day passes; a DR event at 18:00 JST
  await time.advance(9 * 3600_000);
  rig.dr.add(sampleDrEvent(T0 + 9 * 3600_000));
  controller.produce();
  await time.advance(15 * 3600_000 + 60_000);
  const energy = terminal.uniqueMessages.filter((m) => m.tradeContractId === "10001");
  const drMsgs = terminal.uniqueMessages.filter((m) => m.tradeContractId === "10002");
  t.is(energy.length, 48, "one message per slot on the normal path");
  t.is(drMsgs.length, 1);
  t.is(terminal.messages.filter((m) => m.duplicate).length, 0);
  t.false(terminal.messages.some((m) => ["10003", "10004", "10005", "10006"].includes(m.tradeContractId)), "only push contracts in force");
  // cells formatted per data_type, in index order
  t.deepEqual(energy[0].contents[0], ["2026-11-22T09:00:00.000+09:00", "100", "0.2", "0.3", "true", "true"]);
  const starts = energy.map((m) => m.contents[0][0]);
  t.deepEqual(starts, [...starts].sort(), "in order");
  const dr = drMsgs[0].contents[0];
  t.is(dr[0], "evt-2026-11-22-01");
  t.is(dr[4], "2026-11-22T18:00:00.000+09:00");
  t.deepEqual(JSON.parse(dr[6])[0], { relay: "relay1", action: "shed", at: "2026-11-22T18:00:12.000+09:00" });
  // a service record follows each message: read for energy, use (per contract parameter) for DR
  const recs = terminal.records.filter((r) => !r.duplicate).map((r) => r.body);
  t.is(recs.length, 49);
  for (const m of energy) t.truthy(recs.find((r) => r.data_id === m.id && r.event_type === "read"), m.id);
  const use = recs.find((r) => r.data_id === drMsgs[0].id)!;
  t.is(use.event_type, "use");
  t.is(use.event_implementation_local_id, "ev_dr");
  t.regex(use.timestamp, /\+09:00$/);
  // every message precedes its record on the wire
  const seqOf = (pred: (l: (typeof terminal.log)[number]) => boolean) => terminal.log.findIndex(pred);
  t.true(seqOf((l) => l.path.endsWith("/messages") && l.request.includes(drMsgs[0].id)) < seqOf((l) => l.path.endsWith("/service_record") && l.request.includes(drMsgs[0].id)));
  t.is(controller.status.outbox.queued, 0);
  t.is(terminal.log.filter((l) => l.status !== 200).length, 0, JSON.stringify(terminal.log.filter((l) => l.status !== 200).slice(0, 3)));

  const stopped = controller.stop();
  await time.advance(5000);
  await stopped;
  t.deepEqual(terminal.controllerStatus.map((s) => s.status), ["ready", "stopped"]);
  t.is(controller.status.state, "stopped");
  t.false(rig.lines.some((l) => JSON.stringify(l).includes("k3y-For-Tests")), "the key is never logged");
});
