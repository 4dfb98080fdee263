// The checker refuses ESP32 strapping pins (0, 2, 5, 12, 15), flash pins and input-only pins for relays
// and the LED, analog inputs outside ADC1 (GPIO32–39), pins used twice, a bias outside the ADC window,
// windows that are not whole cycles at 50 and 60 Hz, and a voltage sensor that would clip.
import test from "ava";
import board from "../../hardware/boards/esp32-devkitc.ts";
import { start } from "./harness.ts";

type Mutate = (b: any) => void;
const cases: [string, Mutate, RegExp][] = [
  ...[0, 2, 5, 12, 15].map((pin): [string, Mutate, RegExp] => [`relay on GPIO${pin}`, (b) => { b.relays[0].pin = pin; }, /strapping pin/]),
  ["relay on a flash pin", (b) => { b.relays[0].pin = 9; }, /SPI flash/],
  ["relay on an input-only pin", (b) => { b.relays[1].pin = 35; }, /input only/],
  ["LED on GPIO2", (b) => { b.statusLed.pin = 2; }, /strapping pin/],
  ["CT on ADC2 (GPIO25)", (b) => { b.ct[0].pin = 25; }, /not an ADC1 pin/],
  ["pin used twice", (b) => { b.relays[1].pin = b.relays[0].pin; }, /already used/],
  ["GPIO that does not exist", (b) => { b.relays[0].pin = 24; }, /does not exist/],
  ["bias outside the ADC window", (b) => { b.ct[0].biasVolts = 2.6; }, /inside the ADC window/],
  ["window not whole cycles", (b) => { b.sampling.windowMs = 150; }, /whole number of (50|60) Hz cycles/],
  ["button pull on an input-only pin", (b) => { b.button.pin = 36; b.ct[0].pin = 32; }, /no internal pull/],
  ["voltage sensor clipping", (b) => { b.voltage = { pin: 34, ratio: 100, biasVolts: 1.3 }; }, /headroom/],
];

test("board-check-pin-rules: strapping, flash, input-only, ADC2, duplicates, bias, cycles", async (t) => {
  const runner = await start("host-tests/hardware/xs-entry.ts");
  try {
    t.deepEqual((await runner.call("check", board)).filter((i: any) => i.severity === "error"), []);
    for (const [name, mutate, expected] of cases) {
      const b = structuredClone(board) as any;
      mutate(b);
      const errors = (await runner.call("check", b)).filter((i: any) => i.severity === "error");
      t.true(errors.some((e: any) => expected.test(e.message)), `${name}: ${JSON.stringify(errors)}`);
    }
    const no = structuredClone(board) as any;
    no.relays[0].loadWhenDeenergized = "off";
    const warnings = (await runner.call("check", no)).filter((i: any) => i.severity === "warning");
    t.true(warnings.some((w: any) => /not fail-normal/.test(w.message)), "normally-open wiring is flagged");
  } finally {
    await runner.close();
  }
});
