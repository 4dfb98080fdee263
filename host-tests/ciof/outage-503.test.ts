// Terminal down (503) for 6 simulated hours: nothing lost, nothing duplicated, delivered in order
// afterwards; the outbox backs off (with jitter, capped) instead of hammering the terminal.
import test from "ava";
import { makeRig } from "./rig.ts";
import { sampleDrEvent } from "./fakes.ts";

test("6 hours of 503: all records delivered once, in order, after recovery", async (t) => {
  const rig = makeRig();
  const { time, terminal, controller } = rig;
  controller.start();
  await time.advance(2 * 3600_000);
  const before = terminal.uniqueMessages.length;
  t.is(before, 4);
  terminal.down = 503;
  const logBefore = terminal.log.length;
  await time.advance(3 * 3600_000);
  rig.dr.add(sampleDrEvent(time.now() - 3600_000));
  controller.produce();
  await time.advance(3 * 3600_000);
  const attempts = terminal.log.length - logBefore;
  t.true(attempts < 6 * 60, `backed off: ${attempts} requests in 6 h`);
  t.is(controller.status.outbox.link, "backoff");
  t.true(controller.status.outbox.queued >= 2, "queued while down (slots coalesce while waiting)");
  terminal.down = null;
  await time.advance(10 * 60_000);
  t.is(controller.status.outbox.queued, 0);
  const energy = terminal.uniqueMessages.filter((m) => m.tradeContractId === "10001");
  const rows = energy.flatMap((m) => m.contents.map((r) => r[0]));
  t.is(rows.length, 16 + 0, "8 hours of slots: none lost");
  t.deepEqual(rows, [...new Set(rows)].sort(), "in order, no row twice");
  t.is(terminal.messages.filter((m) => m.duplicate).length, 0);
  t.is(terminal.uniqueMessages.filter((m) => m.tradeContractId === "10002").length, 1);
  const recs = terminal.records.map((r) => r.body);
  for (const m of terminal.uniqueMessages) t.is(recs.filter((r) => r.data_id === m.id).length, 1, "one record per message: " + m.id);
  t.is(controller.status.outbox.lost, 0);
  t.true(controller.status.outbox.delivered >= energy.length);
});
