// On the engine's embedded:io/digital with edges from xs.pins: contact bounce on press and release
// gives one press with its held time; a glitch shorter than the debounce gives none; ≥ 3 s is a long
// press.
import test from "ava";
import { XsHost } from "../engine/index.ts";
import { onNode } from "./harness.ts";

test("button-debounce: bounces ignored, short and long presses reported on release", async (t) => {
  if (onNode) return t.pass("XS only");
  const xs = await XsHost.start({ entry: "host-tests/hardware/xs-engine-io.ts" });
  const pin = 4;
  const level = async (v: number, ms: number) => { xs.pins.setDigitalInput(pin, v); await xs.advance(ms); };
  try {
    xs.pins.setDigitalInput(pin, 1);
    await xs.call("button", pin, "up", 0);
    // press with bounce, hold 300 ms, release with bounce
    await level(0, 1); await level(1, 1); await level(0, 1); await level(1, 2); await level(0, 300);
    await level(1, 1); await level(0, 1); await level(1, 1000);
    t.deepEqual((await xs.call("presses")).map((p: any) => p.kind), ["press"]);
    // a 5 ms glitch: nothing
    await level(0, 5); await level(1, 1000);
    t.deepEqual(await xs.call("presses"), []);
    // a long press
    await level(0, 3_500); await level(1, 100);
    const long = await xs.call("presses");
    t.is(long.length, 1);
    t.is(long[0].kind, "long");
    t.true(long[0].heldMs >= 3_500);
  } finally {
    await xs.close();
  }
});
