// On the engine's embedded:io/digital: the Relay constructor writes the de-energised level at once
// (Moddable ignores initialValue) — active-low modules get 1, active-high 0 — so construction never
// switches the load; write() maps load on/off through wiring and polarity; close() de-energises, twice.
import test from "ava";
import { XsHost } from "../engine/index.ts";
import { onNode } from "./harness.ts";

test("relay-safe-level-at-construction: de-energised level written by the constructor", async (t) => {
  if (onNode) return t.pass("XS only");
  const xs = await XsHost.start({ entry: "host-tests/hardware/xs-engine-io.ts" });
  try {
    await xs.call("relay", 26, true, "on");   // active-low, fail-normal wiring
    await xs.call("relay", 27, false, "on");  // active-high
    await xs.call("relay", 25, true, "off");  // normally-open wiring
    t.deepEqual(xs.pins.writes.get(26)?.map((w) => w.level), [1]);
    t.deepEqual(xs.pins.writes.get(27)?.map((w) => w.level), [0]);
    t.deepEqual(xs.pins.writes.get(25)?.map((w) => w.level), [1]);
    t.true(await xs.call("relayWrite", 26, false), "load off = coil energised (NC contact)");
    t.is(xs.pins.digitalLevel(26), 0);
    t.false(await xs.call("relayWrite", 26, true));
    t.is(xs.pins.digitalLevel(26), 1);
    t.true(await xs.call("relayWrite", 25, true), "normally-open: load on = coil energised");
    t.is(xs.pins.digitalLevel(25), 0);
    await xs.call("relayClose", 25);
    t.is(xs.pins.digitalLevel(25), 1, "close de-energises");
  } finally {
    await xs.close();
  }
});
