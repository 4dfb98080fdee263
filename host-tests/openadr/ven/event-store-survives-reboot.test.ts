// Stored events read back after a reboot exactly as they were (every field the handler sees: windows,
// intervals with their uids, itemBase, targets, test flag, opt answer), in the compact NVS form; a
// bounded store (maxEvents) refuses what does not fit with 469 and opts out.
import test from "ava";
import { MINUTE, openSession, SECOND, sessionEvent, simpleEvent, T0 } from "./support/session.ts";

const POWER = `<power:powerReal xmlns:scale="http://docs.oasis-open.org/ns/emix/2011/06/siscale" xmlns:power="http://docs.oasis-open.org/ns/emix/2011/06/power"><power:itemDescription>RealPower</power:itemDescription><power:itemUnits>W</power:itemUnits><scale:siScaleCode>k</scale:siScaleCode><power:powerAttributes><power:hertz>60</power:hertz><power:voltage>120</power:voltage><power:ac>true</power:ac></power:powerAttributes></power:powerReal>`;

test("events after a reboot equal the events before; the store is bounded", async (t) => {
  const s = await openSession(t, { ven: { answers: { byEvent: { "EVT-B": "optOut" } }, options: { maxEvents: 3 } } });
  await s.until(() => s.sim.received("oadrPoll").length >= 1);
  s.sim.putEvent(sessionEvent({ eventID: "EVT-A", dtstart: T0 + 10 * MINUTE, testEvent: "yes", marketContext: "http://MarketContext1" }));
  const b = simpleEvent("EVT-B", T0 + 20 * MINUTE, 0, 1);
  s.sim.putEvent({ ...b, signals: [{ ...b.signals[0]!, name: "LOAD_DISPATCH", type: "delta", intervals: [{ duration: 15 * MINUTE, value: -5, uid: "a" }, { duration: 15 * MINUTE, value: -2.5, uid: "b" }], itemBaseXml: POWER }] });
  s.sim.putEvent(simpleEvent("EVT-C", T0 + 30 * MINUTE, 10 * MINUTE, 3));
  s.sim.putEvent(simpleEvent("EVT-D", T0 + 40 * MINUTE, 10 * MINUTE, 3));
  s.sim.distribute();
  await s.until(() => s.sim.received("oadrCreatedEvent").length >= 1);
  const answers = s.sim.received("oadrCreatedEvent")[0]!.eventResponses!.map((r) => [r.eventID, r.responseCode, r.optType]);
  t.deepEqual(answers, [["EVT-A", "200", "optIn"], ["EVT-B", "200", "optOut"], ["EVT-C", "200", "optIn"], ["EVT-D", "469", "optOut"]]);
  const before = await s.xs.call("events");
  t.is(before.length, 3);
  t.like(before[1].signals[0], { itemBase: { itemBase: "powerReal", siScaleCode: "k", powerAttributes: { hertz: 60, voltage: 120, ac: true } } });
  s.sim.setOffline(true);
  await s.reboot(5 * SECOND);
  t.deepEqual(await s.xs.call("events"), before);
  t.true(s.xs.preferences.used() < 4000, `compact (${s.xs.preferences.used()} bytes of NVS)`);
});
