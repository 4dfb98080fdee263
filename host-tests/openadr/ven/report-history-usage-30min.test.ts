// METI ERAB guideline: HISTORY_USAGE energy in 30-minute intervals (PT30M) aligned to local :00/:30
// (JST, UTC+9), from a cumulative energy counter; a slot the VEN did not see whole is not reported.
import test from "ava";
import type { RegisteredMetadata } from "../../peers/vtn/server.ts";
import { HOUR, MINUTE, openSession, T0 } from "./support/session.ts";

const historyRequest = (metadata: RegisteredMetadata[]) => {
  const history = metadata.find((m) => m.reportName === "METADATA_HISTORY_USAGE")!;
  return [{ reportRequestID: "RR-HISTORY", reportSpecifierID: history.reportSpecifierID, granularity: 30 * MINUTE, reportBackDuration: HOUR, rIDs: history.descriptions.map((d) => d.rID) }];
};

test("HISTORY_USAGE: PT30M slots at JST :00/:30, energy per slot from the counter", async (t) => {
  const start = T0 + 7 * MINUTE + 13_000; // 09:07:13 JST
  const s = await openSession(t, {
    xs: { clock: { start } },
    vtn: { reportRequests: historyRequest, pollFreq: 60_000 },
    ven: {
      pollInterval: 60_000,
      options: { statusReport: false, utcOffsetMinutes: 540 },
      reports: [{ reportName: "HISTORY_USAGE", resourceId: "meter", measurement: "energyReal", reading: { base: 12_000, perHour: 600, since: T0 } }],
    },
  });
  await s.until(() => s.sim.received("oadrUpdateReport").length >= 2, 4 * HOUR);
  const metadata = s.sim.ven().metadata[0]!;
  t.like(metadata.descriptions[0], { rID: "meter:energyReal", reportType: "usage", itemUnits: "Wh", minPeriod: "PT30M" });
  const intervals = s.sim.received("oadrUpdateReport").flatMap((u) => u.reports![0]!.intervals);
  t.true(intervals.length >= 3);
  for (const i of intervals) {
    t.is(i.duration, 30 * MINUTE);
    t.is((i.dtstart! + 9 * HOUR) % (30 * MINUTE), 0, "aligned to :00/:30 JST");
    t.is(Math.round(i.value! * 1000) / 1000, 300, "600 Wh/h → 300 Wh per slot");
  }
  t.is(intervals[0]!.dtstart, T0 + 30 * MINUTE, "09:00–09:30 was seen only in part: not reported");
  t.deepEqual((await s.sim.validate()).map((e) => `${e.type} ${e.validation?.errors.join(";")}`), []);
});
