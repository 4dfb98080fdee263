// SIMPLE level ≥ 1 sheds (rule SIMPLE_LEVEL_1); level 0 does not.
import test from "ava";
import { run } from "../hardware/harness.ts";
import { ENTRY, simple } from "./support.ts";

test("shed-simple-level: levels 1–3 shed, 0 does not", async (t) => {
  const r = await run(ENTRY, "rules", [0, 1, 2, 3].map((v) => ({ rules: "simple", events: [simple(v)] })));
  t.deepEqual(r.map((x: any) => x.shed), [false, true, true, true]);
  t.is(r[1].status.relays[0].reason, "event");
  t.truthy(r[1].status.relays[0].eventID);
});
