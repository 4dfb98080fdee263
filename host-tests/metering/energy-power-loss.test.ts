// The energy counter on the real Store path (PreferenceStore over the engine's NVS model): a power loss
// in the middle of a write — the key erased (Moddable's ESP32 Preference.set erases before writing) or
// the write torn — never loses the count: the next boot resumes from the other copy, at most two
// persist intervals behind, never backwards past it, never from zero.
import test from "ava";
import { XsHost } from "../engine/index.ts";
import { onNode } from "../hardware/harness.ts";

const INTERVAL = 60_000;
const WH_PER_MS = 1000 / 3_600_000; // 1 kVA

for (const mode of ["erased", "torn"] as const) {
  test(`energy-power-loss: ${mode} write → resumes from the other copy`, async (t) => {
    if (onNode) return t.pass("XS only");
    const xs = await XsHost.start({ entry: "host-tests/metering/xs-persist.ts" });
    try {
      await xs.call("start", INTERVAL);
      await xs.advance(10 * 60_000);
      const before = await xs.call("energy");
      t.true(before.writes >= 8, `${before.writes} writes in 10 min`);
      xs.preferences.failWrite(1, mode);
      await t.throwsAsync(xs.advance(2 * INTERVAL), { message: /power lost/ });
      await xs.restart();
      await xs.call("start", INTERVAL);
      const after = await xs.call("energy");
      t.true(after.wh >= before.persisted - 1e-6, `resumed at ${after.wh} Wh, last persisted before the loss ${before.persisted}`);
      // the failed write comes at most one interval after "before"; what it loses is at most two intervals
      t.true(before.wh + INTERVAL * WH_PER_MS - after.wh <= 2 * INTERVAL * WH_PER_MS + 0.5, "lost at most two intervals");
      await xs.advance(5 * 60_000);
      const later = await xs.call("energy");
      t.true(later.wh > after.wh && later.persisted > after.wh, "counting and persisting again");
      t.log(`${mode}: ${before.wh.toFixed(2)} Wh before, resumed at ${after.wh.toFixed(2)} Wh`);
    } finally {
      await xs.close();
    }
  });
}
