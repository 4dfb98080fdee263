// ELECTRICITY_PRICE above the threshold (30) sheds; at or below it does not; SIMPLE is ignored by a
// price-only relay.
import test from "ava";
import { run } from "../hardware/harness.ts";
import { ENTRY, simple } from "./support.ts";

test("shed-price-threshold: price > 30 sheds", async (t) => {
  const price = (value: number) => ({ startIn: 0, durationMs: -1, signalName: "ELECTRICITY_PRICE", signalType: "price", value });
  const r = await run(ENTRY, "rules", [
    { rules: "price30", events: [price(25)] },
    { rules: "price30", events: [price(30)] },
    { rules: "price30", events: [price(30.5)] },
    { rules: "price30", events: [simple(3)] },
  ]);
  t.deepEqual(r.map((x: any) => x.shed), [false, false, true, false]);
});
