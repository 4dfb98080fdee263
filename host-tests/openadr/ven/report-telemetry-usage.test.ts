// 2.0b reports: METADATA_TELEMETRY_USAGE in oadrRegisterReport (reportRequestID 0, a duration), the
// VTN's request in oadrRegisteredReport answered with oadrCreatedReport (pending reports), then
// oadrUpdateReport every reportBackDuration with one interval per granularity, values as read, the
// reportName without METADATA_.
import test from "ava";
import { MINUTE, openSession, requestTelemetry, SECOND, T0 } from "./support/session.ts";

test("TELEMETRY_USAGE: registered, requested, created, updated on schedule", async (t) => {
  const s = await openSession(t, {
    vtn: { reportRequests: requestTelemetry(10 * SECOND, MINUTE) },
    ven: {
      options: { statusReport: false },
      reports: [
        { resourceId: "Device001", measurement: "powerReal", unit: "W", reading: { base: 768 } },
        { resourceId: "Device002", measurement: "powerReal", unit: "W", reading: { base: 500, perHour: 360, since: T0 } },
      ],
    },
  });
  await s.until(() => s.sim.received("oadrUpdateReport").length >= 3, 10 * MINUTE);
  const metadata = s.sim.ven().metadata;
  t.deepEqual(metadata.map((m) => [m.reportName, m.duration, m.descriptions.map((d) => [d.rID, d.resourceID, d.itemUnits, d.minPeriod])]), [
    ["METADATA_TELEMETRY_USAGE", "PT1H", [["Device001:powerReal", "Device001", "W", "PT10S"], ["Device002:powerReal", "Device002", "W", "PT10S"]]],
  ]);
  const created = s.sim.received("oadrCreatedReport")[0]!;
  t.true(JSON.stringify(created.message).includes("RR-TELEMETRY_USAGE-1"), "pending report listed");
  const updates = s.sim.received("oadrUpdateReport");
  const reports = updates.map((u) => u.reports![0]!);
  const rows = (r: (typeof reports)[number]) => [...new Set(r.intervals.map((i) => i.dtstart))];
  t.is(rows(reports[0]!).length, 5, "the first period starts at the first 10 s mark after the request");
  for (const r of reports.slice(1)) {
    t.is(r.reportName, "TELEMETRY_USAGE");
    t.is(r.reportRequestID, "RR-TELEMETRY_USAGE-1");
    t.is(r.intervals.length, 12, "6 intervals × 2 data points");
    t.is(r.dtstart! % MINUTE, 0, "aligned to the minute");
    t.deepEqual(rows(r), [0, 1, 2, 3, 4, 5].map((i) => r.dtstart! + i * 10 * SECOND));
  }
  t.is(reports[2]!.dtstart! - reports[1]!.dtstart!, MINUTE);
  t.is(updates[1]!.at - updates[0]!.at, MINUTE, "sent every reportBackDuration");
  const interval = reports[1]!.intervals[0]!;
  t.is(interval.duration, 10 * SECOND);
  const raw = updates[1]!.requestBody;
  t.true(raw.includes("<ei:rID>Device001:powerReal</ei:rID><ei:payloadFloat><ei:value>768</ei:value>"), "Device001 reads 768 W");
  // Device002 ramps 360 W/h from 500 W: at T0 + 70 s it reads 507 W
  t.true(raw.includes("<ei:value>507</ei:value>"), "Device002's value at its sample time");
  t.true(updates.every((u) => u.responseType === "oadrUpdatedReport"));
  t.deepEqual((await s.sim.validate()).map((e) => `${e.type} ${e.validation?.errors.join(";")}`), []);
});
