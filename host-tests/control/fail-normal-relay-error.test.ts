// A relay driver error is fatal: the controller goes fail-normal (health "fault" with the cause), puts
// every load back on as soon as its minimum off time allows, retries the failed relay, and sheds
// nothing more until restart. A SignalView that throws does the same.
import test from "ava";
import { start } from "../hardware/harness.ts";
import { controller, ENTRY, relay, simple } from "./support.ts";

test("fail-normal-relay-error: driver error → loads on, health fault, no more sheds", async (t) => {
  const runner = await start(ENTRY);
  try {
    const spec = controller([relay({ minOffMs: 20_000 }), relay({ resource: "load2" })]);
    const r = await runner.call("run", spec, [
      { op: "event", event: simple(1, { resource: "" }) },
      { op: "advance", ms: 0 },
      { op: "advance", ms: 10_000 },      // relay 0 shed at 0; relay 1 shed too
      { op: "relayFault", relay: 0 },     // the next write to relay 0 fails
      { op: "cancel", index: 0 },         // event ends → relay 0 restore attempt fails at 20 s
      { op: "advance", ms: 60_000 },
      { op: "event", event: simple(3) },  // ignored now
      { op: "advance", ms: 60_000 },
    ]);
    t.is(r.status.mode, "failNormal");
    t.is(r.status.health, "fault");
    t.regex(r.status.fault, /relay relay1: GPIO write failed/);
    t.deepEqual(r.physical, [true, true], "every load on");
    t.false(r.transitions.some((x: any) => !x.on && x.t > 20_000), "nothing shed after the fault");
    t.true(r.log.some((l: any) => l.level === "error" && l.message === "relay write failed"));
    t.true(r.log.some((l: any) => l.message === "load on" && l.fields.includes('"reason":"failNormal"')));

    const s = await runner.call("run", controller([relay()]), [
      { op: "event", event: simple(1) }, { op: "advance", ms: 1_000 },
      { op: "signalsThrow" }, { op: "clock", jumpMs: 0 }, { op: "advance", ms: 1_000 },
    ]);
    t.is(s.status.mode, "failNormal");
    t.regex(s.status.fault, /signals: event store corrupt/);
    t.deepEqual(s.physical, [true]);
  } finally {
    await runner.close();
  }
});
