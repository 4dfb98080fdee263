// Every value is escaped as C14N writes it (&amp; &lt; &gt; &#xD; in text), non-ASCII goes out as
// UTF-8, and what the encoder escapes the decoder reads back unchanged; characters XML cannot carry
// are refused with a TypeError instead of producing a broken document.
import test from "ava";
import type { XsHost } from "../../engine/index.ts";
import { startCodec, utf8 } from "./support.ts";
import type { DecodeOutcome } from "./xs-entry.ts";

let xs: XsHost;
test.before(async () => { xs = await startCodec(); });
test.after.always(async () => { await xs?.close(); });

const NASTY = `a&b<c>d"e'f]]>g\r\n\th – 電力 🔌`;

test("special characters are escaped in the bytes and survive the round trip", async (t) => {
  const message = {
    type: "oadrCreatePartyRegistration", requestID: NASTY, venID: "<ven & co>", oadrProfileName: "2.0b",
    oadrTransportName: "simpleHttp", oadrReportOnly: false, oadrXmlSignature: false, oadrVenName: NASTY,
  };
  const doc = utf8(await xs.call<Uint8Array>("encode", message));
  t.true(doc.includes("<pyld:requestID>a&amp;b&lt;c&gt;d\"e'f]]&gt;g&#xD;\n\th – 電力 🔌</pyld:requestID>"), doc);
  t.true(doc.includes("<ei:venID>&lt;ven &amp; co&gt;</ei:venID>"));
  const outcome = await xs.call<DecodeOutcome>("decode", new TextEncoder().encode(doc));
  t.deepEqual(outcome, { ok: true, message, signed: false });
});

test("a control character is refused, naming the problem", async (t) => {
  const error = await t.throwsAsync(xs.call("encode", { type: "oadrPoll", venID: "bad\u0001id" }));
  t.regex(error!.message, /U\+0001 cannot be written in XML 1\.0/);
});

test("a wrong value type is refused, naming the element", async (t) => {
  const error = await t.throwsAsync(xs.call("encode", { type: "oadrPoll", venID: 42 }));
  t.regex(error!.message, /ei:venID: expected a string, got number/);
  const unknown = await t.throwsAsync(xs.call("encode", { type: "oadrNope" }));
  t.regex(unknown!.message, /unknown message type "oadrNope"/);
});

test("small writer buffers: the payload is the same whatever the buffer size", async (t) => {
  const message = { type: "oadrCreatedEvent", eiResponse: { responseCode: "200", requestID: "" }, venID: NASTY, eventResponses: [] };
  const reference = await xs.call<Uint8Array>("encode", message);
  for (const size of [64, 65, 100, 4096]) t.deepEqual(await xs.call<Uint8Array>("encode", message, size), reference, `buffer ${size}`);
});
