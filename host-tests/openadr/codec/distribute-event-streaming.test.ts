// With onEvent, an oadrDistributeEvent's events are handed over one by one as each completes (with the
// message header already filled in), in document order, and the message keeps only the count.
import test from "ava";
import type { XsHost } from "../../engine/index.ts";
import type { OadrDistributeEvent, OadrMessage } from "../../../modules/openadr/types.ts";
import { startCodec } from "./support.ts";
import type { DecodeOutcome } from "./xs-entry.ts";

let xs: XsHost;
test.before(async () => { xs = await startCodec(); });
test.after.always(async () => { await xs?.close(); });

test("events arrive one by one through onEvent; the message carries requestID, vtnID and the count", async (t) => {
  const { vtn } = await xs.call<{ vtn: Record<string, OadrMessage> }>("samples");
  const sample = vtn.oadrDistributeEvent as OadrDistributeEvent;
  const bytes = await xs.call<Uint8Array>("encode", sample);
  const streamed = await xs.call<DecodeOutcome & { events: unknown[]; headers: unknown[] }>("decodeStreaming", bytes, 100);
  if (!streamed.ok) return t.fail(streamed.error.message);
  t.deepEqual(streamed.events, sample.events);
  // the header was complete when the first event arrived; the count grows as events complete
  t.deepEqual(streamed.headers, [
    { requestID: sample.requestID, vtnID: sample.vtnID, eventCount: 1 },
    { requestID: sample.requestID, vtnID: sample.vtnID, eventCount: 2 },
  ]);
  const { events, ...header } = sample;
  t.deepEqual(streamed.message, header as unknown as Record<string, unknown>);
  t.false("events" in streamed.message);
  t.is(events!.length, 2);
});

test("a DistributeEvent without events has eventCount 0", async (t) => {
  const bytes = await xs.call<Uint8Array>("encode", { type: "oadrDistributeEvent", requestID: "r", vtnID: "v", eventCount: 0 });
  const streamed = await xs.call<DecodeOutcome & { events: unknown[] }>("decodeStreaming", bytes);
  t.deepEqual(streamed, { ok: true, message: { type: "oadrDistributeEvent", requestID: "r", vtnID: "v", eventCount: 0 }, signed: false, events: [], headers: [] });
});
