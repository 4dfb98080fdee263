// Host embedded:io/digital and embedded:io/analog over sim pins; Resource; mc/config.
import test from "ava";
import { XsHost } from "./index.ts";

const entry = "host-tests/engine/fixtures/xs-platform.ts";

test("digital outputs reach the registry, input edges call onReadable on a later turn", async (t) => {
  const xs = await XsHost.start({ entry });
  try {
    const seen: number[] = [];
    xs.pins.onDigitalWrite(26, (level) => seen.push(level));
    await xs.call("relay", 26, 0);
    t.is(xs.pins.digitalLevel(26), 0);
    await xs.call("write", 26, 1);
    t.deepEqual(seen, [0, 1]);
    t.regex(await xs.call("openTwice", 26), /in use/);

    t.is(await xs.call("button", 0), 1, "pull-up idles high");
    xs.pins.setDigitalInput(0, 0); // press: falling edge
    xs.pins.setDigitalInput(0, 1); // release: rising edge, not watched
    await xs.advance(0);
    t.deepEqual(await xs.call("log"), ["pressed 1@0"], "onReadable runs after both changes; the level read is the current one");
    await xs.restart();
    t.is(xs.pins.digitalLevel(26), undefined, "outputs are not driven after a power cycle");
  } finally {
    await xs.close();
  }
});

test("analog reads sample the source at virtual time; each read costs analogReadUs", async (t) => {
  const xs = await XsHost.start({ entry });
  try {
    xs.pins.setAnalogSource(34, (ms) => 512 + 400 * Math.sin(2 * Math.PI * 50 * ms / 1000));
    const { values, elapsedUs } = await xs.call("sample", 34, 20);
    t.is(elapsedUs, 20_000);
    t.is(values[0], 512);
    t.is(values[5], 912, "50 Hz, one read per ms: read 5 is a quarter period later");
    t.is(values[10], 512);
    t.true(Math.max(...values) > 880 && Math.min(...values) < 140);
    xs.pins.setAnalogSource(34, 5000);
    t.deepEqual((await xs.call("sample", 34, 1)).values, [1023], "clamped to 10 bits");
  } finally {
    await xs.close();
  }
});

test("Resource and mc/config", async (t) => {
  const xs = await XsHost.start({ entry, resources: { "ca.der": new Uint8Array([0x30, 0x82]) }, config: { pollSeconds: 10 } });
  try {
    t.deepEqual(await xs.call("resource", "ca.der"), new Uint8Array([0x30, 0x82]));
    t.is(await xs.call("resource", "missing.der"), null);
    t.is((await xs.call("config")).pollSeconds, 10);
  } finally {
    await xs.close();
  }
});
