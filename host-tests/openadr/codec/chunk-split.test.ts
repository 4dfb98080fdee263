// The decoded result does not depend on how the body is cut: DistributeEvent fixtures (captured,
// signed, avob with whitespace) and the UTF-16 payload fed in chunks of 1, 2, 3, 7, 64, 1460 bytes
// decode to exactly what one write gives.
import test from "ava";
import type { XsHost } from "../../engine/index.ts";
import { haveFixtures, MISSING_SHARED } from "../../support/shared.ts";
import { fixture, startCodec } from "./support.ts";
import type { DecodeOutcome } from "./xs-entry.ts";

const CHUNKS = [1, 2, 3, 7, 64, 1460];
const FILES: [string, string][] = [
  ["session", "0008_ven-openleadr_OadrPoll_oadrDistributeEvent.resp.xml"],
  ["signed", "0007_ven-openleadr_OadrPoll_oadrDistributeEvent.resp.xml"],
  ["avob", "eievent__oadrDistributeEvent.xml"],
  ["openleadr-generated", "message_conversion__oadrDistributeEvent_02.xml"],
  ["avob", "xmlsignature__oadrPayload.xml"],
];

let xs: XsHost;
test.before(async () => { if (haveFixtures) xs = await startCodec(); });
test.after.always(async () => { await xs?.close(); });

for (const [folder, name] of FILES) {
  test(`${folder}/${name} decodes the same at every chunk size`, async (t) => {
    if (!haveFixtures) return t.log(MISSING_SHARED), t.pass();
    const bytes = fixture(folder, name);
    const whole = await xs.call<DecodeOutcome>("decode", bytes, 0);
    t.true(whole.ok, JSON.stringify(whole));
    for (const chunk of CHUNKS) {
      t.deepEqual(await xs.call<DecodeOutcome>("decode", bytes, chunk), whole, `chunk ${chunk}`);
    }
  });
}
