// decode(encode(x)) deep-equals x for every VEN → VTN payload type, both steps on XS.
import test from "ava";
import type { XsHost } from "../../engine/index.ts";
import { VEN_MESSAGE_TYPES, type OadrMessage } from "../../../modules/openadr/types.ts";
import { startCodec } from "./support.ts";
import type { DecodeOutcome } from "./xs-entry.ts";

let xs: XsHost;
let ven: Record<string, OadrMessage>;
test.before(async () => {
  xs = await startCodec();
  ven = (await xs.call<{ ven: Record<string, OadrMessage> }>("samples")).ven;
});
test.after.always(async () => { await xs?.close(); });

for (const type of VEN_MESSAGE_TYPES) {
  test(`${type} round-trips`, async (t) => {
    const message = ven[type];
    t.is(message.type, type);
    const outcome = await xs.call<DecodeOutcome>("roundTrip", message);
    if (!outcome.ok) return t.fail(`${outcome.error.reason}: ${outcome.error.message}`);
    t.deepEqual(outcome.message, message as unknown as Record<string, unknown>);
  });
}
