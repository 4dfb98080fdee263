// 400 and 422 never loop: the record goes to the dead letters, an error service record is sent,
// and the queue moves on. A rejected error record is dead-lettered without another error record.
import test from "ava";
import { makeRig } from "./rig.ts";

test("400 on trade data: dead letter, error record, no retry", async (t) => {
  const rig = makeRig();
  const { time, terminal, controller } = rig;
  controller.start();
  await time.advance(1000);
  // the terminal's definition changes under the device: one column fewer → 400 on every row
  const props = terminal.data[0].data_property_implementations;
  const removed = props.pop();
  await time.advance(3600_000);
  const bad = terminal.log.filter((l) => l.path.endsWith("/messages") && l.status === 400);
  t.is(bad.length, 2, "each of the two slots tried once");
  const errors = terminal.records.filter((r) => r.body.event_type === "error").map((r) => r.body);
  t.is(errors.length, 2);
  t.is(errors[0].result, "400");
  t.regex(errors[0].note, /rejected by the terminal: HTTP 400/);
  t.is(controller.status.outbox.deadLetters, 2);
  t.is(controller.status.outbox.queued, 0);
  t.true(rig.lines.some((l) => l.level === "error" && l.message === "terminal rejected trade data"));
  props.push(removed);
  await time.advance(1800_000);
  t.is(terminal.uniqueMessages.length, 1, "the queue moved on");
});

test("422 on a service record, and on its error record: dead-lettered, never looping", async (t) => {
  const rig = makeRig({ terminal: { errorRecordsNeedKnownData: true } });
  const { time, terminal, controller } = rig;
  controller.start();
  await time.advance(1000);
  // every service record is refused
  const original = terminal.handle.bind(terminal);
  terminal.handle = (req) => req.path.includes("/service_record") && req.method === "POST"
    ? (terminal.log.push({ seq: 0, at: 0, method: "POST", path: req.path, status: 422, request: req.body, response: "" }), { kind: "reply", status: 422, body: '{"errors":[{"parameter":"data","code":"is_invalid"}]}' })
    : original(req);
  await time.advance(1800_000 + 60_000);
  const posts = terminal.log.filter((l) => l.path.endsWith("/service_record"));
  t.is(posts.length, 2, "the record, then its error record, once each");
  t.true(posts[1].request.includes('"event_type":"error"'));
  t.is(controller.status.outbox.deadLetters, 2);
  t.is(controller.status.outbox.queued, 0);
  await time.advance(3600_000);
  t.is(terminal.log.filter((l) => l.path.endsWith("/service_record")).length, 6, "two more slots, two attempts each: no loop");
});

test("401 stops sending and reports a clear status; the key is tried again every 15 min", async (t) => {
  const rig = makeRig({ key: "wrong-key" });
  const { time, terminal, controller } = rig;
  controller.start();
  await time.advance(1000);
  t.is(controller.status.state, "unauthorized");
  t.is(controller.status.outbox.link, "unauthorized");
  t.regex(controller.status.outbox.lastError ?? "", /401/);
  t.true(rig.lines.some((l) => l.level === "error" && /authorization key \(401\)/.test(l.message)));
  const n = terminal.log.length;
  await time.advance(6 * 3600_000);
  const probes = terminal.log.slice(n);
  t.true(probes.length <= 6 * 4 * 2 + 2, `${probes.length} requests in 6 h after the 401: one try of the key every 15 min (a read and a send)`);
  t.true(probes.every((l) => l.status === 401));
});
