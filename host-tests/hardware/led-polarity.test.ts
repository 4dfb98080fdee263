// The LED driver writes "off" at construction and maps on/off through its polarity; close() is
// idempotent and leaves it off.
import test from "ava";
import { run } from "./harness.ts";

test("led-polarity: off at construction, polarity respected", async (t) => {
  t.deepEqual(await run("host-tests/hardware/xs-entry.ts", "led", { activeLow: false }), [0, 1, 0]);
  t.deepEqual(await run("host-tests/hardware/xs-entry.ts", "led", { activeLow: true }), [1, 0, 1]);
});
