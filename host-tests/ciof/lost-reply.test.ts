// A reply lost after the terminal acted (timeout or reset): the retry carries the same message id, so
// the duplicate is recognisable; the service record is reconciled with GET /service_record instead
// of being sent twice.
import test from "ava";
import { makeRig } from "./rig.ts";

test("lost reply on POST /messages: retried with the same id", async (t) => {
  const rig = makeRig();
  const { time, terminal, controller } = rig;
  controller.start();
  await time.advance(1000);
  terminal.inject("lose-reply", 1, (r) => r.method === "POST" && r.path.endsWith("/messages"));
  await time.advance(1800_000 + 30_000);
  const posts = terminal.messages;
  t.is(posts.length, 2);
  t.is(posts[0].id, posts[1].id, "same id on the retry");
  t.true(posts[1].duplicate, "recognised as a duplicate by the terminal");
  t.is(terminal.uniqueMessages.length, 1);
  t.is(terminal.records.length, 1);
});

test("timeout on POST /service_record: reconciled, not duplicated", async (t) => {
  const rig = makeRig({ controller: { http: { timeoutMs: 10_000 } } });
  const { time, terminal, controller } = rig;
  controller.start();
  await time.advance(1000);
  // the terminal stores the record but the reply never arrives
  terminal.inject("lose-reply", 1, (r) => r.method === "POST" && r.path.endsWith("/service_record"));
  await time.advance(1800_000 + 60_000);
  t.is(terminal.records.length, 1);
  t.true(terminal.log.some((l) => l.method === "GET" && l.path.includes("/service_record?data_id=")), "asked before resending");
  t.is(controller.status.outbox.queued, 0);
  t.true(rig.lines.some((l) => /already on the terminal/.test(l.message)));
});

test("timeouts and 502 are retried with back-off; nothing lost", async (t) => {
  const rig = makeRig({ controller: { http: { timeoutMs: 10_000 } } });
  const { time, terminal, controller } = rig;
  controller.start();
  await time.advance(1000);
  terminal.inject("timeout", 3, (r) => r.method === "POST");
  terminal.inject(502, 3, (r) => r.method === "POST");
  terminal.inject(500, 2, (r) => r.method === "POST");
  await time.advance(2 * 3600_000 + 20 * 60_000);
  const rows = terminal.uniqueMessages.flatMap((m) => m.contents.map((r) => r[0]));
  t.is(rows.length, 4, "four slots, each once");
  t.is(new Set(rows).size, 4);
  t.true(terminal.messages.length - terminal.uniqueMessages.length <= 3, "duplicates only after timeouts, and recognisable");
  t.is(controller.status.outbox.queued, 0);
  t.is(controller.status.outbox.deadLetters, 0);
});
