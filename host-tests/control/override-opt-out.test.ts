// The override button (Button driver on a pin, short press): the controller calls
// OverrideSink.requestOptOut(now + overrideMs, "overrideStatus"), status shows the override
// (oadrManualOverride), the shed load comes back as soon as its minimum off time allows, and when the
// period ends the event is obeyed again. A long press cancels: cancelOptOut, override off.
import test from "ava";
import { start } from "../hardware/harness.ts";
import { controller, ENTRY, MIN, relay, simple, WALL } from "./support.ts";

test("override-opt-out: press → opt-out call, status, service restored; long press cancels", async (t) => {
  const runner = await start(ENTRY);
  try {
    const spec = controller([relay({ minOffMs: 30_000 })], { overrideMs: 30 * MIN });
    const r = await runner.call("button", spec, [
      { op: "event", event: simple(2) },
      { op: "advance", ms: 10_000 },          // shed at boot takeover
      { op: "press" }, { op: "advance", ms: 300 }, { op: "release" },   // short press at 10 s
      { op: "advance", ms: 60_000 },
      { op: "advance", ms: 30 * MIN },        // override over
      { op: "press" }, { op: "advance", ms: 200 }, { op: "release" },   // again
      { op: "advance", ms: 60_000 },
      { op: "press" }, { op: "advance", ms: 3_500 }, { op: "release" }, // long press: cancel
      { op: "advance", ms: 60_000 },
    ]);
    const [first, second] = r.optOuts;
    t.is(first.reason, "overrideStatus");
    t.is(first.until, WALL + 10_300 + 30 * MIN);
    t.truthy(second);
    t.is(r.optCancels.length, 1);
    const tr = r.transitions.map((x: any) => `${x.on ? "on" : "off"}@${Math.round(x.t)}`);
    // off at takeover (0 s), on when min off allows (30 s), off after the override (10.3 s + 30 min), ...
    t.deepEqual(tr.slice(0, 3), ["off@0", "on@30000", `off@${10_300 + 30 * MIN}`], tr.join(" "));
    const afterPress = r.statuses[4];
    t.true(afterPress.override.active, "status shows the override right after the press");
    t.is(afterPress.override.until, first.until);
    const end = r.statuses[r.statuses.length - 1];
    t.false(end.override.active, "long press cancelled it");
    t.false(end.relays[0].loadOn, "event obeyed again after the cancel");
    t.true(r.log.some((l: any) => l.message === "load on" && l.fields.includes('"reason":"override"')));
  } finally {
    await runner.close();
  }
});
