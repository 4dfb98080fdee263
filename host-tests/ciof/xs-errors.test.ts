// On XS: 400 and 422 never loop (dead letter + error service record, the queue moves on); 401 stops
// sending and reports a clear status, the key is tried again every 15 min; 502 and timeouts are retried.
import test from "ava";
import { makeXsRig } from "./xs-rig.ts";

test("XS: 400 on trade data is recorded once, never retried", async (t) => {
  const rig = await makeXsRig();
  const { xs, terminal } = rig;
  try {
    await rig.boot();
    await xs.advance(1000);
    const removed = terminal.data[0].data_property_implementations.pop();
    await xs.advance(3600_000);
    t.is(terminal.log.filter((l) => l.path.endsWith("/messages") && l.status === 400).length, 2);
    const errors = terminal.records.filter((r) => r.body.event_type === "error").map((r) => r.body);
    t.is(errors.length, 2);
    t.is(errors[0].result, "400");
    t.regex(errors[0].timestamp, /\+09:00$/);
    const st = await xs.call("status");
    t.is(st.outbox.deadLetters, 2);
    t.is(st.outbox.queued, 0);
    t.true((await xs.call("logLines", "error")).some((l: { message: string }) => l.message === "terminal rejected trade data"));
    terminal.data[0].data_property_implementations.push(removed);
    await xs.advance(1800_000);
    t.is(terminal.uniqueMessages.length, 1);
  } finally {
    await rig.close();
  }
});

test("XS: 422 for a record and for its error record: two attempts, then nothing", async (t) => {
  const rig = await makeXsRig({ terminal: { errorRecordsNeedKnownData: true } });
  const { xs, terminal } = rig;
  try {
    await rig.boot();
    await xs.advance(1000);
    // a contract whose service implementation id the terminal does not know: its records get 422
    terminal.contracts[0].service_implementation_id = "99999";
    await xs.call("status");
    await xs.advance(900_000 + 1000); // contracts refreshed
    await xs.advance(1800_000);
    const posts = terminal.log.filter((l) => l.method === "POST" && l.path.endsWith("/service_record"));
    t.true(posts.length >= 2);
    t.true(posts.every((p) => p.status === 422));
    const st = await xs.call("status");
    t.is(st.outbox.queued, 0);
    const n = posts.length;
    await xs.advance(600_000);
    t.is(terminal.log.filter((l) => l.method === "POST" && l.path.endsWith("/service_record")).length, n, "no loop");
  } finally {
    await rig.close();
  }
});

test("XS: 401 stops sending, with a clear status; the key is tried again every 15 min", async (t) => {
  const rig = await makeXsRig({ boot: { key: "not-the-key" } });
  const { xs, terminal } = rig;
  try {
    await rig.boot();
    await xs.advance(1000);
    const st = await xs.call("status");
    t.is(st.state, "unauthorized");
    t.regex(st.outbox.lastError, /401/);
    const errs = await xs.call("logLines", "error");
    t.true(errs.some((l: { message: string }) => /authorization key \(401\)/.test(l.message)));
    t.false(JSON.stringify(errs).includes("not-the-key"), "the key is not logged");
    const n = terminal.log.length;
    await xs.advance(6 * 3600_000);
    const probes = terminal.log.slice(n);
    t.true(probes.length <= 6 * 4 * 2 + 2, `${probes.length} requests in 6 h: the key is only tried again every 15 min (a read and a send)`);
    t.true(probes.every((l) => l.status === 401));
    (terminal.options as { authorizationKey: string }).authorizationKey = "not-the-key"; // the terminal now accepts the device's key
    await xs.advance(16 * 60_000);
    t.not((await xs.call("status")).state, "unauthorized", "sending resumes without a reboot");
  } finally {
    await rig.close();
  }
});

test("XS: 502, a transport timeout and a lost reply: retried, nothing lost, the duplicate recognisable", async (t) => {
  const rig = await makeXsRig({ boot: { timeoutMs: 5000 } });
  const { xs, terminal } = rig;
  try {
    await rig.boot();
    await xs.advance(1000);
    terminal.inject(502, 2, (r) => r.method === "POST");
    // a timeout over loopback is the engine's network fault (the transport's own timer acts)
    xs.network.failNext({ kind: "timeout" }, (r) => r.method === "POST" && r.path.endsWith("/messages"));
    terminal.inject("lose-reply", 1, (r) => r.method === "POST" && r.path.endsWith("/messages"));
    await xs.advance(2 * 3600_000);
    const rows = terminal.uniqueMessages.flatMap((m) => m.contents.map((r) => r[0]));
    t.is(rows.length, 4);
    t.is(new Set(rows).size, 4);
    const dups = terminal.messages.filter((m) => m.duplicate);
    t.true(dups.length >= 1, "the lost reply's retry arrived");
    for (const d of dups) t.truthy(terminal.uniqueMessages.find((m) => m.id === d.id), "same id as the original");
    t.is((await xs.call("status")).outbox.queued, 0);
  } finally {
    await rig.close();
  }
});
