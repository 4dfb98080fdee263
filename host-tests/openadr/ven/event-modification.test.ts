// 2.0b event rules: a higher modificationNumber replaces the stored event (the handler sees the
// modification; the startafter offset is kept); the same number changes nothing; a lower one is an
// error (450) and the stored event stays. Every eventResponse reuses the oadrDistributeEvent's requestID.
import test from "ava";
import { MINUTE, openSession, SECOND, sessionEvent, T0 } from "./support/session.ts";

test("modificationNumber: higher replaces (offset kept), equal is unchanged, lower answers 450", async (t) => {
  const s = await openSession(t);
  await s.until(() => s.sim.received("oadrPoll").length >= 1);
  const event = sessionEvent({ dtstart: T0 + 10 * MINUTE, startafter: 5 * MINUTE });
  s.sim.putEvent(event);
  s.sim.distribute();
  await s.until(() => s.sim.received("oadrCreatedEvent").length >= 1);
  const [first] = await s.xs.call("events");
  t.is(first.modificationNumber, 0);
  const offset = first.activePeriod.randomization;
  t.true(offset >= 0 && offset <= 5 * MINUTE);

  s.sim.putEvent({ ...event, modificationNumber: 1, modificationReason: "price update", dtstart: event.dtstart + MINUTE });
  s.sim.distribute();
  await s.until(() => s.sim.received("oadrCreatedEvent").length >= 2);
  const [modified] = await s.xs.call("events");
  t.is(modified.modificationNumber, 1);
  t.is(modified.activePeriod.randomization, offset, "the same randomisation offset across modifications");
  t.is(modified.activePeriod.start, event.dtstart + MINUTE + offset);
  const handled = await s.xs.call("handled");
  t.deepEqual(handled.map((h: { modificationNumber: number }) => h.modificationNumber), [0, 1]);

  s.sim.distribute(); // same number again
  await s.until(() => s.sim.received("oadrCreatedEvent").length >= 3);
  t.is((await s.xs.call("handled")).length, 2, "unchanged: the handler is not asked again");

  s.sim.putEvent({ ...event, modificationNumber: 0 });
  s.sim.distribute();
  await s.until(() => s.sim.received("oadrCreatedEvent").length >= 4);
  const stale = s.sim.received("oadrCreatedEvent")[3]!.eventResponses![0]!;
  t.is(stale.responseCode, "450");
  t.is((await s.xs.call("events"))[0].modificationNumber, 1, "the stored event stays");

  // each eventResponse carries the requestID of the distribute it answers
  const distributes = s.sim.exchanges.filter((e) => e.responseType === "oadrDistributeEvent" && e.type === "oadrPoll");
  const created = s.sim.received("oadrCreatedEvent");
  for (let i = 0; i < created.length; i++) {
    const requestID = /<requestID xmlns="[^"]+">(dist-[^<]+)<\/requestID>/.exec(distributes[i]!.responseBody)![1];
    t.true(created[i]!.eventResponses!.every((r) => r.requestID === requestID), `response ${i} reuses ${requestID}`);
    t.true(created[i]!.at - distributes[i]!.at < 10 * SECOND, "answered before the next poll");
  }
  t.deepEqual((await s.sim.validate()).map((e) => e.type), []);
});
