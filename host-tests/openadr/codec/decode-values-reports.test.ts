// Decoded report payloads match the XML (read independently with txml) in every fixture: report
// requests (reportRequestID, reportSpecifierID, granularity, reportBackDuration, specifier rIDs),
// reports (rIDs of descriptions, sampling rates, intervals and payload values), pending reports.
import test from "ava";
import { readFileSync } from "node:fs";
import type { XsHost } from "../../engine/index.ts";
import type { OadrReport, ReportRequest } from "../../../modules/openadr/types.ts";
import { haveFixtures, MISSING_SHARED } from "../../support/shared.ts";
import { all, at, child, children, dateMs, durationMs, localName, messageOf, root, text, type Node } from "./oracle.ts";
import { allFixtures, fixture, startCodec, xsdInvalidNames } from "./support.ts";
import type { DecodeOutcome } from "./xs-entry.ts";

/** t.is without the type coupling (decoded values are checked against loosely typed XML readings). */
const is = (t: import("ava").ExecutionContext, actual: unknown, expected: unknown, message?: string): void => { t.is(actual, expected, message); };

let xs: XsHost;
test.before(async () => { if (haveFixtures) xs = await startCodec(); });
test.after.always(async () => { await xs?.close(); });

type T = import("ava").ExecutionContext;
const num = (s: string | undefined): number | undefined => (s === undefined ? undefined : Number(s));

function checkRequests(t: T, label: string, xml: Node, requests: ReportRequest[]): number {
  const rr = children(xml, "oadrReportRequest");
  is(t, requests.length, rr.length, label);
  for (const [k, r] of rr.entries()) {
    const spec = child(r, "reportSpecifier")!;
    const d = requests[k];
    is(t, d.reportRequestID, text(child(r, "reportRequestID")), label);
    is(t, d.reportSpecifier.reportSpecifierID, text(child(spec, "reportSpecifierID")), label);
    is(t, d.reportSpecifier.granularity, durationMs(text(at(spec, "granularity", "duration"))), label);
    is(t, d.reportSpecifier.reportBackDuration, durationMs(text(at(spec, "reportBackDuration", "duration"))), label);
    is(t, d.reportSpecifier.reportInterval?.dtstart, dateMs(text(at(spec, "reportInterval", "properties", "dtstart", "date-time"))), label);
    t.deepEqual(d.reportSpecifier.specifierPayload.map((p) => p.rID), children(spec, "specifierPayload").map((p) => text(child(p, "rID"))), label);
    t.deepEqual(d.reportSpecifier.specifierPayload.map((p) => p.readingType), children(spec, "specifierPayload").map((p) => text(child(p, "readingType"))), label);
  }
  return rr.length;
}

function checkReports(t: T, label: string, xml: Node, reports: OadrReport[]): number {
  const rs = children(xml, "oadrReport");
  is(t, reports.length, rs.length, label);
  for (const [k, r] of rs.entries()) {
    const d = reports[k];
    is(t, d.reportRequestID, text(child(r, "reportRequestID")), label);
    is(t, d.reportSpecifierID, text(child(r, "reportSpecifierID")), label);
    is(t, d.reportName, text(child(r, "reportName")), label);
    is(t, d.eiReportID, text(child(r, "eiReportID")), label);
    is(t, d.createdDateTime, dateMs(text(child(r, "createdDateTime"))), label);
    is(t, d.duration, durationMs(text(at(r, "duration", "duration"))), label);
    is(t, d.dtstart, dateMs(text(at(r, "dtstart", "date-time"))), label);
    const descriptions = children(r, "oadrReportDescription");
    t.deepEqual(d.oadrReportDescription.map((x) => x.rID), descriptions.map((x) => text(child(x, "rID"))), label);
    t.deepEqual(d.oadrReportDescription.map((x) => x.reportType), descriptions.map((x) => text(child(x, "reportType"))), label);
    t.deepEqual(d.oadrReportDescription.map((x) => x.oadrSamplingRate?.oadrMinPeriod), descriptions.map((x) => durationMs(text(at(x, "oadrSamplingRate", "oadrMinPeriod")))), label);
    t.deepEqual(d.oadrReportDescription.map((x) => x.itemBase?.itemUnits), descriptions.map((x) => {
      const unit = children(x).find((c) => child(c, "itemUnits"));
      return unit && text(child(unit, "itemUnits"));
    }), label);
    const intervals = child(r, "intervals") ? all(child(r, "intervals")!, "interval") : [];
    is(t, d.intervals.length, intervals.length, label);
    for (const [j, i] of intervals.entries()) {
      const di = d.intervals[j];
      is(t, di.duration, durationMs(text(at(i, "duration", "duration"))), label);
      is(t, di.uid, text(at(i, "uid", "text")), label);
      const payloads = children(i, "oadrReportPayload");
      t.deepEqual(di.oadrReportPayload.map((p) => p.rID), payloads.map((p) => text(child(p, "rID"))), label);
      t.deepEqual(di.oadrReportPayload.map((p) => p.payloadFloat), payloads.map((p) => num(text(at(p, "payloadFloat", "value")))), label);
      t.deepEqual(di.oadrReportPayload.map((p) => p.confidence), payloads.map((p) => num(text(child(p, "confidence")))), label);
    }
  }
  return rs.length;
}

test("report requests, reports and pending reports equal the XML in every fixture", async (t) => {
  if (!haveFixtures) return t.log(MISSING_SHARED), t.pass();
  const invalid = xsdInvalidNames();
  let requests = 0, reports = 0, pending = 0;
  for (const f of allFixtures()) {
    if (invalid.has(f.name)) continue;
    const bytes = readFileSync(f.file);
    if (bytes.length === 0) continue;
    const xml = messageOf(root(bytes));
    const type = localName(xml);
    if (!/Report$/.test(type)) continue;
    const outcome = await xs.call<DecodeOutcome>("decode", bytes);
    if (!outcome.ok) return t.fail(`${f.name}: ${outcome.error.message}`);
    const m = outcome.message as Record<string, unknown>;
    const label = `${f.folder}/${f.name}`;
    if (type === "oadrCreateReport" || type === "oadrRegisteredReport") requests += checkRequests(t, label, xml, m.oadrReportRequest as ReportRequest[]);
    if (type === "oadrRegisterReport" || type === "oadrUpdateReport") reports += checkReports(t, label, xml, m.oadrReport as OadrReport[]);
    if (type === "oadrCreatedReport" || type === "oadrCanceledReport") {
      const ids = all(xml, "oadrPendingReports").flatMap((p) => children(p, "reportRequestID").map((r) => text(r) ?? ""));
      t.deepEqual(m.oadrPendingReports, ids, label);
      pending++;
    }
    if (type === "oadrCancelReport") {
      t.deepEqual(m.reportRequestID, children(xml, "reportRequestID").map((r) => text(r)), label);
      is(t, m.reportToFollow, text(child(xml, "reportToFollow"))!.trim() === "true", label);
    }
  }
  t.true(requests >= 10 && reports >= 30 && pending >= 10, `${requests} requests, ${reports} reports, ${pending} pending lists`);
  t.log(`${requests} report requests, ${reports} reports, ${pending} pending-report lists checked`);
});

test("captured RegisteredReport (session 0003): literal values", async (t) => {
  if (!haveFixtures) return t.log(MISSING_SHARED), t.pass();
  const outcome = await xs.call<DecodeOutcome>("decode", fixture("session", "0003_ven-openleadr_EiReport_oadrRegisteredReport.resp.xml"));
  if (!outcome.ok) return t.fail(outcome.error.message);
  t.deepEqual(outcome.message, {
    type: "oadrRegisteredReport",
    eiResponse: { responseCode: "200", responseDescription: "OK", requestID: "1136c2da-c1ff-43be-a4e5-e99ca064ee66" },
    oadrReportRequest: [{
      reportRequestID: "RR-TELEMETRY_USAGE-13075a86",
      reportSpecifier: {
        reportSpecifierID: "USAGE-RPT", granularity: 10_000, reportBackDuration: 10_000,
        specifierPayload: [
          { rID: "4290defc-07ab-4c1b-ba47-747bf0ef11ea", readingType: "Direct Read" },
          { rID: "400b461a-2a4c-40e6-bdc6-4a2c11873462", readingType: "Direct Read" },
        ],
      },
    }],
    venID: "VEN-OPENLEADR-1",
  });
});
