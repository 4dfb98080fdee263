// 2.0b: oadrCreateReport (here TELEMETRY_STATUS, oadrPayloadResourceStatus) answered with
// oadrCreatedReport listing the pending reports; oadrCancelReport answered with oadrCanceledReport;
// with reportToFollow one last report of what is buffered follows, then nothing more.
import test from "ava";
import { MINUTE, openSession, SECOND } from "./support/session.ts";

test("CreateReport → CreatedReport, status reports, CancelReport(reportToFollow) → CanceledReport + a last report", async (t) => {
  const s = await openSession(t, { ven: { reports: [] } });
  await s.until(() => s.sim.received("oadrPoll").length >= 1);
  const status = s.sim.ven().metadata.find((m) => m.reportName === "METADATA_TELEMETRY_STATUS")!;
  t.deepEqual(status.descriptions.map((d) => [d.rID, d.reportType, d.readingType]), [["status", "x-resourceStatus", "x-notApplicable"]]);
  s.sim.createReport([{ reportRequestID: "RR-STATUS", reportSpecifierID: status.reportSpecifierID, granularity: 10 * SECOND, reportBackDuration: 30 * SECOND, rIDs: ["status"] }]);
  await s.until(() => s.sim.received("oadrUpdateReport").length >= 2);
  const created = s.sim.received("oadrCreatedReport").at(-1)!;
  t.true(created.requestBody.includes("<ei:reportRequestID>RR-STATUS</ei:reportRequestID>"));
  const report = s.sim.received("oadrUpdateReport")[1]!.reports![0]!;
  t.is(report.reportName, "TELEMETRY_STATUS");
  t.deepEqual(report.intervals.map((i) => i.status), [1, 2, 3].map(() => ({ online: true, manualOverride: false, levelOffset: undefined })));

  // an override shows in the status reports
  await s.xs.call("override", s.xs.now + 10 * MINUTE, "overrideStatus");
  const before = s.sim.received("oadrUpdateReport").length;
  await s.until(() => s.sim.received("oadrUpdateReport").length >= before + 2);
  t.true(s.sim.received("oadrUpdateReport").at(-1)!.reports![0]!.intervals.every((i) => i.status?.manualOverride === true));

  // cancel with reportToFollow: a CanceledReport, then one last report, then silence
  await s.until(() => s.xs.now % (30 * SECOND) > 12 * SECOND); // some samples buffered
  s.sim.cancelReport(["RR-STATUS"], true);
  await s.until(() => s.sim.received("oadrCanceledReport").length >= 1);
  const canceled = s.sim.received("oadrCanceledReport")[0]!;
  t.false(canceled.requestBody.includes("<ei:reportRequestID>RR-STATUS</ei:reportRequestID>"), "no longer pending");
  await s.xs.advance(2 * MINUTE);
  const after = s.sim.received("oadrUpdateReport").filter((u) => u.seq > canceled.seq);
  t.is(after.length, 1, "exactly one report follows");
  t.is(after[0]!.reports![0]!.reportRequestID, "RR-STATUS");
  t.deepEqual((await s.sim.validate()).map((e) => `${e.type} ${e.validation?.errors.join(";")}`), []);
});
