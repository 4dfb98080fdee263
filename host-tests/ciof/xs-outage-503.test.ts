// On XS: terminal down (503) for 6 simulated hours — nothing lost, nothing duplicated, delivered in
// order afterwards, with back-off rather than a request per poll.
import test from "ava";
import { makeXsRig } from "./xs-rig.ts";
import { T0 } from "./site.ts";

test("XS: 6 hours of 503, then everything once and in order", async (t) => {
  const rig = await makeXsRig();
  const { xs, terminal } = rig;
  try {
    await rig.boot();
    await xs.advance(2 * 3600_000 + 1000);
    t.is(terminal.uniqueMessages.length, 4);
    terminal.down = 503;
    const before = terminal.log.length;
    await xs.advance(3 * 3600_000);
    await xs.call("addDr", T0 + 4 * 3600_000);
    await xs.advance(3 * 3600_000);
    const requests = terminal.log.length - before;
    t.true(requests < 200, `backed off: ${requests} requests in 6 h`);
    const down = await xs.call("status");
    t.is(down.outbox.link, "backoff");
    t.true(down.outbox.queued >= 2);
    terminal.down = null;
    await xs.advance(10 * 60_000);
    const st = await xs.call("status");
    t.is(st.outbox.queued, 0);
    const rows = terminal.uniqueMessages.filter((m) => m.tradeContractId === "10001").flatMap((m) => m.contents.map((r) => r[0]));
    const expected: string[] = [];
    for (let s = T0; s + 1800_000 <= T0 + 8 * 3600_000; s += 1800_000) expected.push(new Date(s + 9 * 3600_000).toISOString().replace("Z", "+09:00"));
    t.deepEqual(rows, expected, "every slot once, in order");
    t.is(terminal.messages.filter((m) => m.duplicate).length, 0);
    t.is(terminal.uniqueMessages.filter((m) => m.tradeContractId === "10002").length, 1);
    for (const m of terminal.uniqueMessages) t.is(terminal.records.filter((r) => r.body.data_id === m.id).length, 1);
    t.is(st.outbox.lost, 0);
    t.deepEqual(xs.errors, []);
  } finally {
    await rig.close();
  }
});
