// The handler may answer through a promise: the VEN holds (no poll) until the answers are in and
// responds before polling again; a handler that never answers, or throws, is answered optOut (after
// decideTimeoutMs) and the loop goes on.
import test from "ava";
import { MINUTE, openSession, SECOND, simpleEvent, T0 } from "./support/session.ts";

test("async handler: respond before polling again; timeouts and errors opt out", async (t) => {
  const s = await openSession(t, { ven: { answers: { delayMs: 25 * SECOND, byEvent: { HANG: "never", BAD: "throw" } }, options: { decideTimeoutMs: 40 * SECOND } } });
  await s.until(() => s.sim.received("oadrPoll").length >= 1);
  s.sim.putEvent(simpleEvent("SLOW", T0 + 10 * MINUTE, 30 * MINUTE));
  s.sim.putEvent(simpleEvent("HANG", T0 + 10 * MINUTE, 30 * MINUTE));
  s.sim.putEvent(simpleEvent("BAD", T0 + 10 * MINUTE, 30 * MINUTE));
  s.sim.distribute();
  const distributedAt = await (async () => {
    await s.until(() => s.sim.exchanges.some((e) => e.responseType === "oadrDistributeEvent" && e.type === "oadrPoll"));
    return s.sim.exchanges.find((e) => e.responseType === "oadrDistributeEvent" && e.type === "oadrPoll")!;
  })();
  await s.until(() => s.sim.received("oadrCreatedEvent").length >= 1, 5 * MINUTE);
  const created = s.sim.received("oadrCreatedEvent")[0]!;
  const next = s.sim.exchanges[created.seq - 2]!;
  t.is(next.seq, distributedAt.seq, "nothing between the distribute and its answer");
  t.true(created.at - distributedAt.at >= 40 * SECOND, "waited for the slow answers (up to the timeout)");
  t.deepEqual(created.eventResponses!.map((r) => [r.eventID, r.optType]), [["SLOW", "optIn"], ["HANG", "optOut"], ["BAD", "optOut"]]);
  const errors = (await s.xs.call("logs", "error")).map((l: { message: string }) => l.message);
  t.true(errors.includes("onEvent did not answer in time; opting out"));
  t.true(errors.includes("onEvent threw; opting out"));
  const polls = s.sim.received("oadrPoll").length;
  await s.xs.advance(MINUTE);
  t.true(s.sim.received("oadrPoll").length > polls, "polling goes on");
});
