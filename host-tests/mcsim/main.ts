// mcsim smoke test app: runs firmware modules on the SDK's own XS (release build, lin) and prints one
// line per case, "ok <name>" or "not ok <name>: <why>", then "# mcsim-done <passed> <failed>" and
// exits with 1 if any failed. tools/test-mcsim.ts builds it, runs it and reads those lines.
// Cases stay small and self-contained (no network, no shared fixtures); the integration scenario
// against the VTN simulator comes later. No top-level await (it aborts a lin app's main module).
import "../../modules/platform/moddable/text-globals";
import exit from "../../hardware/sim/exit/exit";
import { parseDateTime, formatDuration } from "../../modules/openadr/iso8601";
import { decodeOadr } from "../../modules/openadr/decode";
import { TransportError } from "../../modules/platform/types";
import { PreferenceStore } from "../../modules/platform/moddable/store";

type Case = readonly [name: string, run: () => void | Promise<void>];

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

const DISTRIBUTE_EVENT = `<?xml version="1.0" encoding="utf-8"?>
<oadr:oadrPayload xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07"><oadr:oadrSignedObject><oadr:oadrDistributeEvent ei:schemaVersion="2.0b" xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110" xmlns:pyld="http://docs.oasis-open.org/ns/energyinterop/201110/payloads" xmlns:xcal="urn:ietf:params:xml:ns:icalendar-2.0" xmlns:strm="urn:ietf:params:xml:ns:icalendar-2.0:stream" xmlns:emix="http://docs.oasis-open.org/ns/emix/2011/06">
<ei:eiResponse><ei:responseCode>200</ei:responseCode><ei:responseDescription>OK</ei:responseDescription><pyld:requestID/></ei:eiResponse>
<pyld:requestID>req-mcsim-1</pyld:requestID><ei:vtnID>VTN-TEST</ei:vtnID>
<oadr:oadrEvent><ei:eiEvent><ei:eventDescriptor><ei:eventID>event-節電-1</ei:eventID><ei:modificationNumber>2</ei:modificationNumber><ei:priority>1</ei:priority><ei:eiMarketContext><emix:marketContext>http://market.example/dr</emix:marketContext></ei:eiMarketContext><ei:createdDateTime>2026-11-22T00:00:00Z</ei:createdDateTime><ei:eventStatus>far</ei:eventStatus><ei:testEvent>false</ei:testEvent><ei:vtnComment></ei:vtnComment></ei:eventDescriptor>
<ei:eiActivePeriod><xcal:properties><xcal:dtstart><xcal:date-time>2026-11-22T09:00:00+09:00</xcal:date-time></xcal:dtstart><xcal:duration><xcal:duration>PT1H</xcal:duration></xcal:duration></xcal:properties><xcal:components/></ei:eiActivePeriod>
<ei:eiEventSignals><ei:eiEventSignal><strm:intervals><ei:interval><xcal:duration><xcal:duration>PT30M</xcal:duration></xcal:duration><xcal:uid><xcal:text>0</xcal:text></xcal:uid><ei:signalPayload><ei:payloadFloat><ei:value>1</ei:value></ei:payloadFloat></ei:signalPayload></ei:interval><ei:interval><xcal:duration><xcal:duration>PT30M</xcal:duration></xcal:duration><xcal:uid><xcal:text>1</xcal:text></xcal:uid><ei:signalPayload><ei:payloadFloat><ei:value>2</ei:value></ei:payloadFloat></ei:signalPayload></ei:interval></strm:intervals><ei:signalName>SIMPLE</ei:signalName><ei:signalType>level</ei:signalType><ei:signalID>signal-1</ei:signalID><ei:currentValue><ei:payloadFloat><ei:value>0</ei:value></ei:payloadFloat></ei:currentValue></ei:eiEventSignal></ei:eiEventSignals>
<ei:eiTarget><ei:venID>VEN-TEST</ei:venID></ei:eiTarget></ei:eiEvent><oadr:oadrResponseRequired>always</oadr:oadrResponseRequired></oadr:oadrEvent>
</oadr:oadrDistributeEvent></oadr:oadrSignedObject></oadr:oadrPayload>`;

const cases: readonly Case[] = [
  ["text-globals-utf8-round-trip", () => {
    const bytes = new TextEncoder().encode("デマンドレスポンス");
    check(bytes.length === 27, `encoded ${bytes.length} bytes, expected 27`);
    check(new TextDecoder().decode(bytes) === "デマンドレスポンス", "decoded text differs");
  }],
  ["iso8601-jst-date-time-and-duration", () => {
    check(parseDateTime("2026-11-22T09:00:00+09:00") === Date.UTC(2026, 10, 22, 0, 0, 0), "JST date-time");
    check(formatDuration(30 * 60_000) === "PT30M", `formatDuration: ${formatDuration(30 * 60_000)}`);
  }],
  ["openadr-decode-distribute-event", () => {
    const message = decodeOadr(new TextEncoder().encode(DISTRIBUTE_EVENT));
    check(message.type === "oadrDistributeEvent", `type ${message.type}`);
    if (message.type !== "oadrDistributeEvent") return;
    check(message.requestID === "req-mcsim-1" && message.vtnID === "VTN-TEST", "requestID / vtnID");
    const event = message.events?.[0];
    check(message.eventCount === 1 && event !== undefined, `eventCount ${message.eventCount}`);
    check(event!.eventDescriptor.eventID === "event-節電-1", `eventID ${event!.eventDescriptor.eventID}`);
    check(event!.eventDescriptor.modificationNumber === 2, "modificationNumber");
    check(event!.eiActivePeriod.dtstart === Date.UTC(2026, 10, 22, 0, 0, 0), "dtstart");
    const signal = event!.eiEventSignals[0];
    check(signal.signalName === "SIMPLE" && signal.intervals.length === 2, "signal");
    check(signal.intervals[1].signalPayload === 2 && signal.intervals[1].duration === 30 * 60_000, `interval 1: ${JSON.stringify(signal.intervals[1])}`);
  }],
  ["error-subclass-sets-name", () => {
    // Error.prototype is frozen after preload on Moddable: `this.name = …` in a constructor throws there.
    const error = new TransportError("timeout", "no answer");
    check(error.name === "TransportError" && error.code === "timeout", `name ${error.name}`);
  }],
  ["preference-store-round-trip", () => {
    const store = new PreferenceStore({ domain: "mcsimtest" });
    store.set("k1", "値");
    check(store.get("k1") === "値", `get: ${store.get("k1")}`);
    store.delete("k1");
    check(store.get("k1") === undefined, "delete");
  }],
  ["tls-suites-offer-ecdhe-ecdsa-aes128-cbc-sha256", async () => {
    const name: string = "ssl/ciphersuites";
    const suites = (await import(name)).default as readonly { value: readonly number[] }[];
    check(suites.length > 0 && suites[0].value[0] === 0xc0 && suites[0].value[1] === 0x23, "0xC023 is not first");
    check(suites.some((s) => s.value[0] === 0x00 && s.value[1] === 0x3c), "0x003C missing");
    check(!suites.some((s) => s.value[0] === 0x00 && s.value[1] === 0x67), "DHE suites offered (config.tls.DHE_RSA should be false)");
  }],
];

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

async function run(): Promise<void> {
  let passed = 0;
  let failed = 0;
  for (const [name, body] of cases) {
    try {
      await body();
      passed++;
      trace(`ok ${name}\n`);
    } catch (error) {
      failed++;
      trace(`not ok ${name}: ${describe(error)}\n`);
    }
  }
  trace(`# mcsim-done ${passed} ${failed}\n`);
  exit(failed === 0 ? 0 : 1);
}

run().catch((error: unknown) => {
  trace(`not ok harness: ${describe(error)}\n# mcsim-done 0 1\n`);
  exit(2);
});
