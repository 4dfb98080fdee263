// Only the winning signal of a name counts (priority, then first activated): a higher-priority SIMPLE 0
// keeps the load on despite a lower-priority SIMPLE 2. Test events, opted-out events and events for
// another resource never shed; an event for this relay's resource does.
import test from "ava";
import { run } from "../hardware/harness.ts";
import { ENTRY, simple } from "./support.ts";

test("shed-winner-only: priority winner, test, opt-out and resource targeting", async (t) => {
  const r = await run(ENTRY, "rules", [
    { rules: "simple", events: [simple(2, { priority: 2 }), simple(0, { priority: 1 })] },
    { rules: "simple", events: [simple(0, { priority: 2 }), simple(2, { priority: 1 })] },
    { rules: "simple", events: [simple(2, { test: true })] },
    { rules: "simple", events: [simple(2, { opt: "optOut" })] },
    { rules: "simple", resource: "load1", events: [simple(2, { resource: "load2" })] },
    { rules: "simple", resource: "load1", events: [simple(2, { resource: "load1" })] },
  ]);
  t.deepEqual(r.map((x: any) => x.shed), [false, true, false, false, false, true]);
});
