// The VTN unreachable for 6 simulated hours in the middle of a 4-hour event: the event runs to its
// end and no further (it is stored), the VEN backs off with increasing, jittered, capped delays, keeps
// sampling into its bounded buffer, and when the VTN is back it re-syncs events (oadrRequestEvent)
// and backfills what the buffer kept, oldest first.
import test from "ava";
import { HOUR, MINUTE, openSession, requestTelemetry, simpleEvent, T0 } from "./support/session.ts";

test("6 h outage mid-event: event to its end, back-off, backfill within the bound, re-sync", async (t) => {
  const s = await openSession(t, {
    vtn: { pollFreq: MINUTE, reportRequests: requestTelemetry(5 * MINUTE, 15 * MINUTE) },
    ven: {
      pollInterval: MINUTE,
      options: { statusReport: false, reportBufferRows: 48, maxRowsPerReport: 24, backoff: { initial: 5000, factor: 2, max: 10 * MINUTE, jitter: 0.2 } },
      reports: [{ resourceId: "meter", measurement: "powerReal", unit: "W", reading: { base: 100, perHour: 60, since: T0 } }],
    },
  });
  await s.until(() => s.sim.received("oadrPoll").length >= 1);
  const eventEnd = T0 + 5 * MINUTE + 4 * HOUR;
  s.sim.putEvent(simpleEvent("EVT-LONG", T0 + 5 * MINUTE, 4 * HOUR, 2));
  s.sim.distribute();
  await s.until(() => s.xs.now >= T0 + 30 * MINUTE);
  const sentBefore = s.sim.received("oadrUpdateReport").length;
  t.true(sentBefore >= 1);

  const outageStart = s.xs.now;
  const requestsBefore = s.xs.network.log.length;
  s.sim.setOffline(true);
  await s.until(() => s.xs.now >= T0 + 2 * HOUR, 3 * HOUR);
  t.deepEqual((await s.xs.call("active")).map((a: { eventID: string }) => a.eventID), ["EVT-LONG"], "the event executes offline");
  t.is((await s.xs.call("status")).state, "offline");
  await s.until(() => s.xs.now >= eventEnd + MINUTE, 3 * HOUR);
  t.deepEqual(await s.xs.call("active"), [], "never past its end");
  await s.until(() => s.xs.now >= outageStart + 6 * HOUR, 5 * HOUR);

  // back-off: attempt spacing grows (± 20 % jitter) up to the 10-minute cap
  const attempts = s.xs.network.log.slice(requestsBefore).map((r) => r.ticks);
  const gaps = attempts.slice(1).map((x, i) => x - attempts[i]!);
  t.true(gaps[0]! >= 4000 && gaps[0]! <= 6000, `first retry ≈ 5 s (${gaps[0]})`);
  t.true(gaps[3]! > gaps[1]! * 2.5, "increasing");
  t.true(gaps.every((g) => g <= 12 * MINUTE + 1000), "capped (10 min + 20 %)");
  t.true(gaps.slice(-5).every((g) => g >= 8 * MINUTE), "at the cap by the end");
  t.true(new Set(gaps.slice(-5)).size > 1, "jittered");
  t.true(attempts.length < 60, `few attempts in 6 h (${attempts.length})`);

  s.sim.setOffline(false);
  const back = s.xs.now;
  const rowsAfter = () => s.sim.received("oadrUpdateReport").slice(sentBefore).flatMap((u) => u.reports![0]!.intervals.map((i) => i.dtstart!));
  await s.until(() => s.sim.exchanges.some((e) => e.at >= back && e.type === "oadrRequestEvent") && rowsAfter().length >= 48, 30 * MINUTE);
  const recovered = s.sim.exchanges.filter((e) => e.at >= back);
  t.truthy(recovered.find((e) => e.type === "oadrRequestEvent"), "re-sync with oadrRequestEvent");
  const backfill = rowsAfter();
  t.true(backfill.length >= 48, `the buffer's 48 rows arrive (${backfill.length})`);
  t.deepEqual(backfill.slice(0, 48), [...backfill.slice(0, 48)].sort((a, b) => a - b), "oldest first");
  t.true(backfill[0]! > outageStart, "older rows were dropped by the bound");
  t.true(backfill.slice(0, 46).every((x, i) => i === 0 || x - backfill[i - 1]! === 5 * MINUTE), "contiguous 5-minute rows");
  const firstBack = recovered.findIndex((e) => e.type === "oadrUpdateReport");
  t.true(recovered.slice(firstBack, firstBack + 2).every((e) => e.type === "oadrUpdateReport"), "backfill reports go out back to back");
  const stats = await s.xs.call("stats");
  t.true(stats.reports.dropped > 0);
});
