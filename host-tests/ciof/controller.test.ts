// Controller behaviour on Node: a structure mismatch stops trading with a clear error and status;
// pull requests answered with their request_parameter_id; delete requests carried out and recorded;
// received trade data kept before use and recorded; the full-outbox policy; a reboot while the
// terminal is down keeps queuing from the cached structure and contracts; oversized responses.
import test from "ava";
import { makeRig } from "./rig.ts";
import { T0 } from "./site.ts";

test("structure mismatch: no trading, an error per difference, exception statuses", async (t) => {
  const rig = makeRig();
  rig.terminal.data[0].data_property_implementations[1].data_type = "integer";
  rig.controller.start();
  await rig.time.advance(2 * 3600_000);
  const st = rig.controller.status;
  t.is(st.state, "mismatch");
  t.is(st.problems.length, 1);
  t.regex(st.problems[0], /registered data_type integer, device has float/);
  t.true(rig.lines.some((l) => l.level === "error" && /^structure mismatch: /.test(l.message)));
  t.is(rig.terminal.messages.length, 0);
  t.is(rig.terminal.statuses.get("data:10901")?.status, "exception");
  // corrected in the federation manager: trading resumes at the next check, nothing lost
  rig.terminal.data[0].data_property_implementations[1].data_type = "float";
  await rig.time.advance(6 * 60_000);
  t.is(rig.controller.status.state, "running");
  t.is(rig.terminal.uniqueMessages.flatMap((m) => m.contents).length, 4);
});

test("pull: a create request is answered with its request_parameter_id; a delete is recorded", async (t) => {
  const rig = makeRig();
  rig.controller.start();
  await rig.time.advance(3 * 3600_000);
  rig.terminal.requests.push({ trade_contract_id: "10003", domain_id: "90", request_type: "create", created_at: "2026-11-22T12:00:00+09:00", request_parameter_id: "rp-7", condition: "latest=3" });
  rig.terminal.requests.push({ trade_contract_id: "10001", domain_id: "90", request_type: "delete", created_at: "2026-11-22T12:00:00+09:00", request_parameter_id: "rp-8", data_id: rig.terminal.uniqueMessages[0].id });
  await rig.time.advance(2 * 60_000);
  const answer = rig.terminal.messages.find((m) => m.requestParameterId === "rp-7")!;
  t.truthy(answer);
  t.is(answer.id, "ven0001-qrp-7");
  t.is(answer.tradeContractId, "10003");
  t.deepEqual(answer.contents.map((r) => r[0]), ["2026-11-22T10:30:00.000+09:00", "2026-11-22T11:00:00.000+09:00", "2026-11-22T11:30:00.000+09:00"]);
  const del = rig.terminal.records.find((r) => r.body.event_type === "delete")!;
  t.is(del.body.data_id, rig.terminal.uniqueMessages[0].id);
  t.is(del.body.result, "0");
  t.is(rig.terminal.requests.length, 0);
  await rig.time.advance(10 * 60_000);
  t.is(rig.terminal.messages.filter((m) => m.requestParameterId === "rp-7").length, 1, "answered once");
});

test("consume: received data is stored before use, recorded, delivered once", async (t) => {
  const got: string[] = [];
  const rig = makeRig({ controller: { onMessage: (m) => { got.push(m.id); } } });
  rig.terminal.contracts.push({ ...rig.terminal.contracts[0], id: "20001", contract_type: "consume" });
  rig.controller.start();
  await rig.time.advance(1000);
  rig.terminal.inbound.push({ id: "x1", domain_id: "90", trade_contract_id: "20001", headers: ["a"], contents: [["1"]] });
  await rig.time.advance(60_000);
  t.deepEqual(got, ["x1"]);
  const store = rig.terminal.records.find((r) => r.body.data_id === "x1")!;
  t.is(store.body.event_type, "store");
  t.is(rig.store.map.get("cc_in"), undefined, "inbox cleared once handed over");
  t.regex(rig.store.map.get("cc_sn") ?? "", /90:x1/);
});

test("full outbox: the oldest segment is dropped, counted and reported", async (t) => {
  const rig = makeRig({ controller: { outbox: { segments: 2, segmentBytes: 600 } } });
  rig.controller.start();
  await rig.time.advance(1000);
  rig.terminal.down = 503;
  await rig.time.advance(12 * 3600_000);
  const st = rig.controller.status.outbox;
  t.true(st.lost > 0, JSON.stringify(st));
  t.true(rig.lines.some((l) => l.level === "error" && l.message === "outbox full: dropped the oldest records"));
  rig.terminal.down = null;
  await rig.time.advance(15 * 60_000);
  const rows = rig.terminal.uniqueMessages.flatMap((m) => m.contents.map((r) => r[0]));
  t.is(rows.length + rig.controller.status.outbox.lost, 24, "delivered + counted as lost = produced");
  t.deepEqual(rows, [...rows].sort(), "what remains is the newest, in order");
  t.regex(rig.terminal.statuses.get("data:10901")?.remarks ?? "", /rows dropped \(outbox full\)/);
});

test("reboot while the terminal is down: queues from the cached structure and contracts", async (t) => {
  const rig = makeRig();
  rig.controller.start();
  await rig.time.advance(1000);
  rig.terminal.down = 503;
  rig.reboot().start();
  await rig.time.advance(3 * 3600_000);
  t.true(rig.controller.status.outbox.queued > 0);
  rig.terminal.down = null;
  await rig.time.advance(10 * 60_000);
  t.is(rig.terminal.uniqueMessages.flatMap((m) => m.contents).length, 6);
  t.deepEqual(rig.terminal.controllerStatus.map((s) => s.status), ["ready", "ready"]);
});

test("a response larger than the limit is refused without parsing", async (t) => {
  const rig = makeRig({ controller: { http: { maxResponseBytes: 1024 } } });
  rig.controller.start();
  await rig.time.advance(1000);
  t.not(rig.controller.status.state, "running");
  t.regex(rig.controller.status.lastError ?? "", /larger than the configured limit/);
});

test("a reboot neither repeats nor skips slots", async (t) => {
  const rig = makeRig();
  rig.controller.start();
  await rig.time.advance(3600_000 + 1000);
  rig.time.powerCycle(0); // a reboot with no downtime: wall clock continues
  rig.store.revive();
  rig.controller = rig.reboot();
  rig.controller.start();
  await rig.time.advance(3600_000);
  const rows = rig.terminal.uniqueMessages.flatMap((m) => m.contents.map((r) => r[0]));
  t.deepEqual(rows, [...new Set(rows)].sort());
  t.is(rows[0], new Date(T0 + 9 * 3600_000).toISOString().replace("Z", "+09:00"));
});
