// Known names and whitespace between elements allocate nothing: a reader given the names reads a long
// indented document of them in the same few bytes as a short one. Measured with the patched worker's
// peak counters (host heap: nothing is collected during the call, so the peak is what was allocated).
import test from "ava";
import { distributeEventXml } from "./bench-doc.ts";
import { closeXs, encode, xs } from "./support.ts";

test.after.always(closeXs);

const indented = (n: number) => encode(`<a xmlns="urn:x">\n` + `  <b>\n    <c/>\n    <c></c>\n  </b>\n`.repeat(n) + `</a>\n`);

test("known names and indentation: the same small peak for 1,000 and 10,000 elements", async (t) => {
  const host = await xs();
  t.true(host.worker.patched, "needs the patched worker (npm run postinstall)");
  await host.call("prepare", ["a", "b", "c", "urn:x"]);
  const small = await host.callMetered("readPrepared", indented(330), 1460);
  const large = await host.callMetered("readPrepared", indented(3300), 1460);
  t.is(large.result.elements, 3300 * 3 + 1);
  t.true(large.meter.peakBytes <= 4096, `peak ${large.meter.peakBytes} bytes`);
  t.true(Math.abs(large.meter.peakBytes - small.meter.peakBytes) <= 512, `independent of the size: ${small.meter.peakBytes} and ${large.meter.peakBytes}`);
});

test("an OpenADR document: what is allocated is the text, about half a byte per input byte", async (t) => {
  const host = await xs();
  const doc = encode(distributeEventXml(20, 24));
  await host.call("prepare", []);
  const { result, meter } = await host.callMetered("readPrepared", doc, 1460);
  t.is(result.error, null);
  t.true(meter.peakBytes / doc.length < 1, `${(meter.peakBytes / doc.length).toFixed(2)} bytes per input byte`);
});
