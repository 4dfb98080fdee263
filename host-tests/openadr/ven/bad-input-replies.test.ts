// Bad VTN replies are logged with a reason, answered where the protocol allows, and the loop goes on:
// not well-formed, truncated (connection cut), oversized (over the reader's document limit: the
// exchange is abandoned early), not OpenADR, an unexpected message type, HTTP 500, and an event with a
// SIMPLE payload outside {0,1,2,3} (answered 454, optOut).
import test from "ava";
import { MINUTE, openSession, SECOND, simpleEvent, T0 } from "./support/session.ts";

// A well-formed, valid message a poll never returns.
const UNEXPECTED = `<?xml version="1.0" encoding="utf-8"?><oadr:oadrPayload xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07"><oadr:oadrSignedObject>` +
  `<oadr:oadrCanceledReport ei:schemaVersion="2.0b" xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110"><ei:eiResponse><ei:responseCode>200</ei:responseCode>` +
  `<requestID xmlns="http://docs.oasis-open.org/ns/energyinterop/201110/payloads">x</requestID></ei:eiResponse><oadr:oadrPendingReports/></oadr:oadrCanceledReport></oadr:oadrSignedObject></oadr:oadrPayload>`;

test("malformed, truncated, oversized, foreign, unexpected, 500 and invalid events: logged, loop goes on", async (t) => {
  const s = await openSession(t, { ven: { maxReplyBytes: 16_384 } });
  await s.until(() => s.sim.received("oadrPoll").length >= 1);
  const valid = s.sim.distributeEventXml();
  const big = simpleEvent("BIG", T0 + 10 * MINUTE, 60 * MINUTE, 1, { vtnComment: "x".repeat(3000) });
  const oversized = s.sim.distributeEventXml({ events: [1, 2, 3, 4, 5, 6, 7].map((i) => ({ ...big, eventID: `BIG-${i}` })) });
  t.true(Buffer.byteLength(oversized) > 16_384);
  s.sim.overrides.push(
    { endpoint: "OadrPoll", body: "<oadr:oadrPayload xmlns:oadr=\"http://openadr.org/oadr-2.0b/2012/07\"><oadr:oadrSignedObject>" },
    { endpoint: "OadrPoll", body: valid, truncateTo: 200 },
    { endpoint: "OadrPoll", body: oversized },
    { endpoint: "OadrPoll", body: "<html><body>502 Bad Gateway</body></html>" },
    { endpoint: "OadrPoll", body: UNEXPECTED },
    { endpoint: "OadrPoll", status: 500, body: "" },
  );
  await s.until(() => s.sim.overrides.length === 0);
  await s.xs.advance(SECOND);
  s.sim.putEvent(simpleEvent("BAD-LEVEL", T0 + 10 * MINUTE, 30 * MINUTE, 7));
  s.sim.putEvent(simpleEvent("GOOD", T0 + 10 * MINUTE, 30 * MINUTE, 2));
  s.sim.distribute();
  await s.until(() => s.sim.received("oadrCreatedEvent").length >= 1, 10 * MINUTE);

  const warnings = (await s.xs.call("logs", "warn")).map((l: { message: string; fields: Record<string, unknown> }) => `${l.message}: ${String(l.fields.reason ?? l.fields.type ?? "")}`);
  const notUsable = warnings.filter((w: string) => w.startsWith("reply not usable"));
  t.true(notUsable.some((w: string) => w.includes("malformed")), "not well-formed");
  t.true(notUsable.some((w: string) => w.includes("limit")), "oversized");
  t.true(notUsable.some((w: string) => /root|OpenADR/.test(w)), "not OpenADR");
  t.true(warnings.some((w: string) => w.startsWith("unexpected reply: oadrCanceledReport")), "unexpected type");
  const backoffs = warnings.filter((w: string) => w.startsWith("exchange failed; backing off"));
  t.true(backoffs.some((w: string) => /HTTP 500/.test(w)), `HTTP 500 backs off (${warnings.join(" | ")})`);
  t.true(backoffs.some((w: string) => /reset|truncat|aborted|ECONNRESET/i.test(w)), `truncated reply backs off (${backoffs.join(" | ")})`);

  const answers = s.sim.received("oadrCreatedEvent")[0]!.eventResponses!;
  t.deepEqual(answers.map((a) => [a.eventID, a.responseCode, a.optType]), [["BAD-LEVEL", "454", "optOut"], ["GOOD", "200", "optIn"]]);
  const polls = s.sim.received("oadrPoll").length;
  await s.xs.advance(MINUTE);
  t.true(s.sim.received("oadrPoll").length >= polls + 5, "polling continues at its period");
  t.like(await s.xs.call("status"), { state: "registered", failures: 0 });
});
