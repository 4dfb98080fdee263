// decode(encode(x)) deep-equals x for the VTN → VEN payloads too (the VTN simulator encodes them and the
// VEN decodes them), including an oadrDistributeEvent with two events, targets and units.
import test from "ava";
import type { XsHost } from "../../engine/index.ts";
import { VTN_MESSAGE_TYPES, type OadrMessage } from "../../../modules/openadr/types.ts";
import { startCodec } from "./support.ts";
import type { DecodeOutcome } from "./xs-entry.ts";

let xs: XsHost;
let vtn: Record<string, OadrMessage>;
test.before(async () => {
  xs = await startCodec();
  vtn = (await xs.call<{ vtn: Record<string, OadrMessage> }>("samples")).vtn;
});
test.after.always(async () => { await xs?.close(); });

for (const type of VTN_MESSAGE_TYPES) {
  test(`${type} round-trips`, async (t) => {
    const outcome = await xs.call<DecodeOutcome>("roundTrip", vtn[type]);
    if (!outcome.ok) return t.fail(`${outcome.error.reason}: ${outcome.error.message}`);
    t.deepEqual(outcome.message, vtn[type] as unknown as Record<string, unknown>);
  });
}
