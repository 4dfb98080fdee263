// Bad input gives typed errors: OadrDecodeError with a reason and the element path — wrong root or
// namespace, missing required elements, values that do not parse, malformed XML, limits. Unknown
// elements are skipped (depth-counted), not errors.
import test from "ava";
import type { XsHost } from "../../engine/index.ts";
import { startCodec } from "./support.ts";
import type { DecodeOutcome } from "./xs-entry.ts";

const NS = 'xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07" xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110" ' +
  'xmlns:pyld="http://docs.oasis-open.org/ns/energyinterop/201110/payloads" xmlns:emix="http://docs.oasis-open.org/ns/emix/2011/06" ' +
  'xmlns:xcal="urn:ietf:params:xml:ns:icalendar-2.0" xmlns:strm="urn:ietf:params:xml:ns:icalendar-2.0:stream"';
const payload = (message: string): string => `<oadr:oadrPayload ${NS}><oadr:oadrSignedObject>${message}</oadr:oadrSignedObject></oadr:oadrPayload>`;

function event(descriptor: string, extra = ""): string {
  return payload(`<oadr:oadrDistributeEvent><pyld:requestID>r</pyld:requestID><ei:vtnID>v</ei:vtnID><oadr:oadrEvent><ei:eiEvent>` +
    `<ei:eventDescriptor>${descriptor}</ei:eventDescriptor>` +
    `<ei:eiActivePeriod><xcal:properties><xcal:dtstart><xcal:date-time>2026-11-22T00:00:00Z</xcal:date-time></xcal:dtstart>` +
    `<xcal:duration><xcal:duration>PT1H</xcal:duration></xcal:duration></xcal:properties><xcal:components/></ei:eiActivePeriod>` +
    `<ei:eiEventSignals><ei:eiEventSignal><strm:intervals><ei:interval><xcal:duration><xcal:duration>${extra || "PT1H"}</xcal:duration></xcal:duration>` +
    `<ei:signalPayload><ei:payloadFloat><ei:value>1</ei:value></ei:payloadFloat></ei:signalPayload></ei:interval></strm:intervals>` +
    `<ei:signalName>SIMPLE</ei:signalName><ei:signalType>level</ei:signalType><ei:signalID>s</ei:signalID></ei:eiEventSignal></ei:eiEventSignals>` +
    `<ei:eiTarget/></ei:eiEvent><oadr:oadrResponseRequired>always</oadr:oadrResponseRequired></oadr:oadrEvent></oadr:oadrDistributeEvent>`);
}
const D = (over: Record<string, string>): string => {
  const fields: Record<string, string> = {
    eventID: "<ei:eventID>E</ei:eventID>", modificationNumber: "<ei:modificationNumber>2</ei:modificationNumber>",
    marketContext: "<ei:eiMarketContext><emix:marketContext>http://m</emix:marketContext></ei:eiMarketContext>",
    createdDateTime: "<ei:createdDateTime>2026-11-22T00:00:00Z</ei:createdDateTime>", eventStatus: "<ei:eventStatus>far</ei:eventStatus>",
    ...over,
  };
  return Object.values(fields).join("");
};
const EVENT_PATH = "/oadrPayload/oadrSignedObject/oadrDistributeEvent/oadrEvent/eiEvent";

let xs: XsHost;
test.before(async () => { xs = await startCodec(); });
test.after.always(async () => { await xs?.close(); });

async function decode(xml: string): Promise<DecodeOutcome> {
  return xs.call<DecodeOutcome>("decode", new TextEncoder().encode(xml));
}

async function rejects(t: import("ava").ExecutionContext, xml: string, reason: string, path: string, message?: RegExp): Promise<void> {
  const outcome = await decode(xml);
  if (outcome.ok) return t.fail(`decoded: ${JSON.stringify(outcome.message)}`);
  t.is(outcome.error.reason, reason, outcome.error.message);
  t.is(outcome.error.path, path, outcome.error.message);
  if (message) t.regex(outcome.error.message, message);
}

test("the good document decodes (control)", async (t) => {
  const outcome = await decode(event(D({})));
  t.true(outcome.ok, JSON.stringify(outcome));
});

test("wrong root", async (t) => {
  await rejects(t, "<html><body/></html>", "root", "/html", /not an OpenADR 2\.0b payload/);
});

test("2.0a namespace on a known root", async (t) => {
  await rejects(t, '<oadr:oadrPoll xmlns:oadr="http://openadr.org/oadr-2.0a/2012/07"/>', "namespace", "/oadrPoll", /2\.0a/);
});

test("unknown message inside oadrSignedObject", async (t) => {
  await rejects(t, payload("<oadr:oadrSomething/>"), "root", "/oadrPayload/oadrSignedObject/oadrSomething");
});

test("payload without a message", async (t) => {
  await rejects(t, `<oadr:oadrPayload ${NS}/>`, "missing", "/oadrPayload/oadrSignedObject");
});

test("missing required element, with its path", async (t) => {
  await rejects(t, event(D({ eventID: "" })), "missing", `${EVENT_PATH}/eventDescriptor/eventID`, /required eventID missing/);
  await rejects(t, payload("<oadr:oadrPoll/>"), "missing", "/oadrPayload/oadrSignedObject/oadrPoll/venID");
});

test("values that do not parse", async (t) => {
  await rejects(t, event(D({ modificationNumber: "<ei:modificationNumber>two</ei:modificationNumber>" })), "number", `${EVENT_PATH}/eventDescriptor/modificationNumber`, /"two"/);
  await rejects(t, event(D({ modificationNumber: "<ei:modificationNumber>-1</ei:modificationNumber>" })), "number", `${EVENT_PATH}/eventDescriptor/modificationNumber`);
  await rejects(t, event(D({ modificationNumber: "<ei:modificationNumber>0x10</ei:modificationNumber>" })), "number", `${EVENT_PATH}/eventDescriptor/modificationNumber`);
  await rejects(t, event(D({ createdDateTime: "<ei:createdDateTime>2026-13-01T00:00:00Z</ei:createdDateTime>" })), "date-time", `${EVENT_PATH}/eventDescriptor/createdDateTime`);
  await rejects(t, event(D({ eventStatus: "<ei:eventStatus>soon</ei:eventStatus>" })), "enum", `${EVENT_PATH}/eventDescriptor/eventStatus`, /far/);
  await rejects(t, event(D({}), "PT1X"), "duration", `${EVENT_PATH}/eiEventSignals/eiEventSignal/intervals/interval/duration/duration`);
  await rejects(t, payload("<oadr:oadrCancelReport><pyld:requestID>r</pyld:requestID><ei:reportRequestID>x</ei:reportRequestID><pyld:reportToFollow>yes</pyld:reportToFollow></oadr:oadrCancelReport>"),
    "boolean", "/oadrPayload/oadrSignedObject/oadrCancelReport/reportToFollow");
});

test("malformed XML is reason xml with the reader's cause", async (t) => {
  const outcome = await decode(payload("<oadr:oadrPoll><ei:venID>x</oadr:oadrPoll>"));
  if (outcome.ok) return t.fail();
  t.is(outcome.error.reason, "xml");
  t.regex(outcome.error.message, /malformed XML/);
  const truncated = await decode(payload("<oadr:oadrPoll><ei:venID>x</ei:venID></oadr:oadrPoll>").slice(0, -20));
  t.false(truncated.ok);
  if (!truncated.ok) t.is(truncated.error.reason, "xml");
});

test("unknown elements are skipped with their subtree", async (t) => {
  const outcome = await decode(payload('<oadr:oadrPoll><x:ext xmlns:x="urn:x"><x:a><ei:venID>not this</ei:venID></x:a></x:ext><ei:venID>V</ei:venID><ei:extra>1</ei:extra></oadr:oadrPoll>'));
  t.deepEqual(outcome, { ok: true, message: { type: "oadrPoll", venID: "V" }, signed: false });
});

test("nesting beyond the reader's depth limit is reason limit", async (t) => {
  const deep = "<x:a>".repeat(40) + "</x:a>".repeat(40);
  await rejects(t, payload(`<oadr:oadrPoll><ei:venID>V</ei:venID><x:z xmlns:x="urn:x">${deep}</x:z></oadr:oadrPoll>`).replace(/<x:a>/, '<x:a xmlns:x="urn:x">'), "limit",
    "/oadrPayload/oadrSignedObject/oadrPoll");
});
