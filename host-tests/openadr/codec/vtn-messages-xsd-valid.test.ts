// The VTN → VEN payloads the simulator sends, encoded by the firmware encoder on XS, validate against
// oadr_20b.xsd (a VTN simulator that sent invalid XML would test nothing).
import test from "ava";
import type { XsHost } from "../../engine/index.ts";
import type { OadrMessage } from "../../../modules/openadr/types.ts";
import { validateMany } from "../../peers/vtn/validate.ts";
import { haveSchema, MISSING_SHARED } from "../../support/shared.ts";
import { startCodec, utf8 } from "./support.ts";

let xs: XsHost;
test.before(async () => { xs = await startCodec(); });
test.after.always(async () => { await xs?.close(); });

test("every VTN → VEN sample encodes to an XSD-valid payload", async (t) => {
  const { vtn } = await xs.call<{ vtn: Record<string, OadrMessage> }>("samples");
  const types = Object.keys(vtn);
  t.is(types.length, 16);
  const documents: string[] = [];
  for (const type of types) documents.push(utf8(await xs.call<Uint8Array>("encode", vtn[type])));
  if (!haveSchema) {
    t.log(MISSING_SHARED);
    return;
  }
  const outcomes = await validateMany(documents);
  for (const [i, outcome] of outcomes.entries()) t.true(outcome.valid, `${types[i]}: ${outcome.errors.join("; ")}`);
});
