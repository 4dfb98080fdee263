// Host preference module: persistence across restart, NVS limits, power loss during a write.
import test from "ava";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { XsHost } from "./index.ts";

const entry = "host-tests/engine/fixtures/xs-platform.ts";

test("values persist across restart and across a new host on the same storeDir", async (t) => {
  const storeDir = mkdtempSync(path.join(os.tmpdir(), "xs-pref-test-"));
  const xs = await XsHost.start({ entry, storeDir });
  try {
    await xs.call("pset", "ven", "venID", "VEN-1");
    await xs.call("pset", "ven", "count", 42);
    await xs.call("pset", "ven", "ok", true);
    await xs.call("pbuffer", "ven", "blob", new Uint8Array([1, 2, 3]));
    await xs.restart();
    t.is(xs.boots, 2);
    t.is(await xs.call("pget", "ven", "venID"), "VEN-1");
    t.is(await xs.call("pget", "ven", "count"), 42);
    t.is(await xs.call("pget", "ven", "ok"), true);
    t.deepEqual(await xs.call("pget", "ven", "blob"), { buffer: new Uint8Array([1, 2, 3]) });
    t.deepEqual(await xs.call("pkeys", "ven"), ["blob", "count", "ok", "venID"]);
    await xs.call("pdel", "ven", "ok");
    t.is(await xs.call("pget", "ven", "ok"), undefined);
    t.deepEqual(xs.preferences.read("ven", "venID"), { type: "string", value: "VEN-1" });
  } finally {
    await xs.close();
  }
  const again = await XsHost.start({ entry, storeDir });
  t.is(await again.call("pget", "ven", "count"), 42);
  await again.close();
  rmSync(storeDir, { recursive: true, force: true });
});

test("NVS limits and types: key length, string length (key erased as on Moddable ESP32), floats", async (t) => {
  const xs = await XsHost.start({ entry });
  try {
    t.regex(await xs.call("ptry", "ven", "a_key_of_16_char", "x"), /1\.\.15 characters/);
    t.is(await xs.call("ptry", "ven", "k", "old"), "ok");
    t.regex(await xs.call("ptry", "ven", "k", "x".repeat(4000)), /nvs set fail/);
    t.is(await xs.call("pget", "ven", "k"), undefined, "Moddable erases the key before writing it");
    t.is(await xs.call("ptry", "ven", "k", "x".repeat(3999)), "ok");
    t.regex(await xs.call("ptry", "ven", "f", 1.5), /float unsupported/);
    t.regex(await xs.call("ptry", "ven", "o", { a: 1 }), /unsupported type/);
    xs.preferences.capacity = 5_000;
    t.regex(await xs.call("ptry", "ven", "big", "y".repeat(2000)), /store full/);
  } finally {
    await xs.close();
  }
});

test("power loss: a torn write keeps the old value, an erased one leaves no key; the worker dies", async (t) => {
  const xs = await XsHost.start({ entry });
  try {
    await xs.call("pset", "ven", "state", "v1");
    xs.preferences.failWrite(2, "torn");
    await xs.call("pset", "ven", "other", "a");
    const error = await t.throwsAsync(xs.call("pset", "ven", "state", "v2"));
    t.is((error as { code?: string }).code, "powerloss");
    await xs.restart();
    t.is(await xs.call("pget", "ven", "state"), "v1");
    t.is(await xs.call("pget", "ven", "other"), "a");

    xs.preferences.failWrite(1, "erased");
    await t.throwsAsync(xs.call("pset", "ven", "state", "v3"), { message: /power lost/ });
    await xs.restart();
    t.is(await xs.call("pget", "ven", "state"), undefined);

    xs.preferences.failWrite(1, "error");
    t.regex(await xs.call("ptry", "ven", "state", "v4"), /nvs set fail/);
    t.is(await xs.call("ptry", "ven", "state", "v5"), "ok");
    t.is(await xs.call("pget", "ven", "state"), "v5");
  } finally {
    await xs.close();
  }
});
