// The wire quirks of real traffic are tolerated (fixtures README): 6 fractional digits, "None" and
// empty requestIDs, intervals with and without dtstart, a one-line oadrSignedObject, an empty body,
// plus a bare message root, a UTF-8 BOM, UTF-16 with a BOM, whitespace around values.
import test from "ava";
import type { XsHost } from "../../engine/index.ts";
import type { OadrCreatedEvent, OadrDistributeEvent } from "../../../modules/openadr/types.ts";
import { haveFixtures, MISSING_SHARED } from "../../support/shared.ts";
import { fixture, startCodec } from "./support.ts";
import type { DecodeOutcome } from "./xs-entry.ts";

let xs: XsHost;
test.before(async () => { xs = await startCodec(); });
test.after.always(async () => { await xs?.close(); });

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
async function decode(bytes: Uint8Array, chunk = 0): Promise<Record<string, unknown>> {
  const outcome = await xs.call<DecodeOutcome>("decode", bytes, chunk);
  if (!outcome.ok) throw new Error(`${outcome.error.reason}: ${outcome.error.message}`);
  return outcome.message;
}
const POLL = '<oadr:oadrPoll xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07" xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110"><ei:venID>V1</ei:venID></oadr:oadrPoll>';

test("timestamps with 6 fractional digits (truncated to ms)", async (t) => {
  if (!haveFixtures) return t.log(MISSING_SHARED), t.pass();
  const m = await decode(fixture("session", "0008_ven-openleadr_OadrPoll_oadrDistributeEvent.resp.xml")) as unknown as OadrDistributeEvent;
  t.is(m.events![0].eventDescriptor.modificationDateTime, Date.UTC(2026, 10, 22, 2, 8, 36, 7)); // …36.007408Z
  t.is(m.events![0].eiEventSignals[0].intervals[1].dtstart, Date.UTC(2026, 10, 22, 2, 9, 16)); // …16.000000Z
});

test('"None" as a requestID is kept as is', async (t) => {
  if (!haveFixtures) return t.log(MISSING_SHARED), t.pass();
  const m = await decode(fixture("session", "0008_ven-openleadr_OadrPoll_oadrDistributeEvent.resp.xml")) as unknown as OadrDistributeEvent;
  t.is(m.eiResponse?.requestID, "None");
});

test("an empty <requestID/> is the empty string", async (t) => {
  if (!haveFixtures) return t.log(MISSING_SHARED), t.pass();
  const m = await decode(fixture("avob", "eievent__unvalidatingOadrCreatedEvent.xml")) as unknown as OadrCreatedEvent;
  t.is(m.eiResponse.requestID, "");
  const g = await decode(fixture("openleadr-generated", "message_conversion__oadrCreatedEvent_01.xml")) as unknown as OadrCreatedEvent;
  t.is(g.eiResponse.requestID, "");
});

test("intervals with and without their own dtstart", async (t) => {
  if (!haveFixtures) return t.log(MISSING_SHARED), t.pass();
  const withStart = await decode(fixture("session", "0008_ven-openleadr_OadrPoll_oadrDistributeEvent.resp.xml")) as unknown as OadrDistributeEvent;
  t.true(withStart.events![0].eiEventSignals[0].intervals.every((i) => typeof i.dtstart === "number"));
  const without = await decode(fixture("avob", "eievent__oadrDistributeEvent.xml")) as unknown as OadrDistributeEvent;
  const intervals = without.events![0].eiEventSignals[0].intervals;
  t.deepEqual(intervals, [{ duration: 900_000, uid: "0", signalPayload: 3 }, { duration: 900_000, uid: "1", signalPayload: 2 }]);
});

test("whitespace around a date-time (pretty-printed XML) is ignored", async (t) => {
  if (!haveFixtures) return t.log(MISSING_SHARED), t.pass();
  const m = await decode(fixture("avob", "eievent__oadrDistributeEvent.xml")) as unknown as OadrDistributeEvent;
  t.is(m.events![0].eventDescriptor.modificationDateTime, Date.UTC(2001, 11, 17, 9, 30, 47)); // "…47.000Z\n\t\t\t\t"
});

test("an empty body (or only whitespace) is type empty", async (t) => {
  t.deepEqual(await decode(new Uint8Array(0)), { type: "empty" });
  t.deepEqual(await decode(enc(" \r\n\t ")), { type: "empty" });
  t.deepEqual(await decode(enc(" \r\n\t "), 1), { type: "empty" });
  if (haveFixtures) t.deepEqual(await decode(fixture("session", "0035_ven-openleadr_EiRegisterParty_empty.resp.xml")), { type: "empty" });
});

test("a bare message as the root, with or without a declaration, BOM or leading whitespace", async (t) => {
  const expected = { type: "oadrPoll", venID: "V1" };
  t.deepEqual(await decode(enc(POLL)), expected);
  t.deepEqual(await decode(enc(`<?xml version="1.0" encoding="UTF-8"?>\n${POLL}`)), expected);
  t.deepEqual(await decode(enc(`\uFEFF<?xml version="1.0"?>${POLL}`)), expected);
  t.deepEqual(await decode(enc(`\uFEFF${POLL}`), 1), expected);
  t.deepEqual(await decode(enc(`\n\n  ${POLL}\n`), 2), expected);
});

test("UTF-16 with a byte order mark (big- and little-endian) is transcoded", async (t) => {
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`<?xml version="1.0" encoding="UTF-16"?>\n${POLL.replace("V1", "V\u00e9\u{1F50C}")}`, "utf16le")]);
  const be = Buffer.from(le).swap16();
  const expected = { type: "oadrPoll", venID: "V\u00e9\u{1F50C}" };
  t.deepEqual(await decode(le), expected);
  t.deepEqual(await decode(be, 1), expected);
  t.deepEqual(await decode(le, 3), expected);
  if (!haveFixtures) return;
  t.deepEqual(await decode(fixture("avob", "xmlsignature__oadrPayload.xml")), {
    type: "oadrResponse", eiResponse: { responseCode: "200", requestID: "REQ_12345" },
  });
});

test("a one-line oadrSignedObject with per-element namespace declarations (OpenLEADR)", async (t) => {
  if (!haveFixtures) return t.log(MISSING_SHARED), t.pass();
  const m = await decode(fixture("session", "0003_ven-openleadr_EiReport_oadrRegisterReport.req.xml"));
  t.is(m.type, "oadrRegisterReport");
  t.is((m.oadrReport as unknown[]).length, 2);
});
