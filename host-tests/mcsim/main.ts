// mcsim smoke test app: runs firmware modules on the SDK's own XS (release build, lin) and prints one
// line per case, "ok <name>" or "not ok <name>: <why>", then "# mcsim-done <passed> <failed>" and
// exits with 1 if any failed. tools/test-mcsim.ts builds it, runs it and reads those lines.
// Cases stay small and self-contained (no network, no shared fixtures). Then, when the run's Preference
// file says so (domain "mcsim": runFor seconds), the integration scenario: the firmware exactly as
// main.ts wires it (site configuration and TLS identity from the same Preference file, written by
// tools/test-mcsim.ts with the peers' ports), run for that long against the VTN simulator and the CIOF
// terminal emulator, with trace lines for what the peers cannot see: "# relay <pin> <level> <epoch ms>"
// for every relay pin write of the simulated board, "# status <json>" and "# mem <json>" (the XS
// machine's counters) every statusEvery seconds, "# final <json>" after an orderly stop. The checks
// are made by tools/test-mcsim.ts. No top-level await (it aborts a lin app's main module).
import "../../modules/platform/moddable/text-globals";
import Preference from "preference";
import Time from "time";
import Timer from "timer";
import exit from "../../hardware/sim/exit/exit";
import memory, { type XsMemory } from "./memory/memory";
import firmwareMain from "../../main";
import type { Firmware } from "../../modules/app/firmware";
import type { SimTarget } from "../../hardware/target/platform";
import { parseDateTime, formatDuration } from "../../modules/openadr/iso8601";
import { decodeOadr } from "../../modules/openadr/decode";
import { TransportError } from "../../modules/platform/types";
import { PreferenceStore } from "../../modules/platform/moddable/store";
import { measureTls } from "./tls-memory";

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

// XS abort hook (manifest defines xs.abortHook): the exception behind an "XS abort" goes to the trace
// before mcsim aborts (tools/test-mcsim.ts stops mcsim once it sees the abort line).
(globalThis as unknown as { abort: (why: string, exception: unknown) => void }).abort = (why, exception) => {
  const stack = (exception as { stack?: unknown } | undefined)?.stack;
  trace(`# xs-abort-hook ${why}: ${describe(exception)}${stack ? `\n${String(stack)}` : ""}\n`);
};

const wait = (ms: number) => new Promise<void>((resolve) => { Timer.set(() => resolve(), ms); });

function memoryLine(label: string, flags: number): XsMemory {
  const m = memory(flags);
  trace(`# mem ${JSON.stringify({ label, uptime: Math.round(Time.ticks / 1000), ...m })}\n`);
  return m;
}

function compactStatus(firmware: Firmware): unknown {
  const s = firmware.status();
  return { ven: s.ven, events: s.events, control: s.control, meter: s.meter, reports: s.reports, ciof: s.ciof, led: s.led };
}

/** The firmware as main.ts starts it, for `runFor` seconds; returns [passed, failed] of its own cases. */
async function scenario(runFor: number, statusEvery: number): Promise<[number, number]> {
  // What the SDK's SecureSocket costs the heap (full handshake, then resumed), before the firmware runs.
  let passed = 0;
  let failed = 0;
  try {
    for (const m of await measureTls(3)) trace(`# tls-mem ${JSON.stringify(m)}\n`);
    trace("ok tls-memory-measured\n");
    passed++;
  } catch (error) {
    failed++;
    trace(`not ok tls-memory-measured: ${describe(error)}\n`);
  }
  memoryLine("before-firmware", 3);
  const firmware = firmwareMain();
  if (!firmware) {
    trace("not ok firmware-starts: main() returned undefined (its log line above says why)\n");
    return [passed, failed + 1];
  }
  trace(`ok firmware-starts\n`);
  memoryLine("after-start", 2);
  const target = firmware.target as SimTarget;
  let seen = 0;
  const flushWrites = () => {
    const offset = Date.now() - Time.ticks;
    for (; seen < target.relayWrites.length; seen++) {
      const w = target.relayWrites[seen]!;
      trace(`# relay ${w.pin} ${w.level} ${Math.round(w.ticks + offset)}\n`);
    }
  };
  const end = Time.ticks + runFor * 1000;
  let nextStatus = Time.ticks + statusEvery * 1000;
  while (Time.ticks < end) {
    await wait(1000);
    flushWrites();
    if (Time.ticks >= nextStatus) {
      nextStatus += statusEvery * 1000;
      trace(`# status ${JSON.stringify(compactStatus(firmware))}\n`);
      memoryLine("interval", 3);
    }
  }
  let stopped = false;
  await Promise.race([firmware.stop().then(() => { stopped = true; }), wait(20_000)]);
  flushWrites();
  trace(`# final ${JSON.stringify(compactStatus(firmware))}\n`);
  memoryLine("end", 1);
  trace(stopped ? "ok firmware-stops\n" : "not ok firmware-stops: stop() did not settle within 20 s\n");
  if (stopped) passed++;
  else failed++;
  return [passed, failed];
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
  const runFor = Preference.get("mcsim", "runFor");
  if (typeof runFor === "number" && runFor > 0) {
    const every = Preference.get("mcsim", "statusEvery");
    const [p, f] = await scenario(runFor, typeof every === "number" && every > 0 ? every : 30);
    passed += p;
    failed += f;
  }
  trace(`# mcsim-done ${passed} ${failed}\n`);
  exit(failed === 0 ? 0 : 1);
}

run().catch((error: unknown) => {
  trace(`not ok harness: ${describe(error)}\n# mcsim-done 0 1\n`);
  exit(2);
});
