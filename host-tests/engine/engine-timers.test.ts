// Host timer/time modules on the virtual clock: ordering, repeats, clear, delay, Date.now, corrections.
import test from "ava";
import { XsHost, XsError } from "./index.ts";

const entry = "host-tests/engine/fixtures/xs-platform.ts";
const START = Date.UTC(2026, 10, 22);

test("timers fire in due order, repeats keep their phase, clear stops them", async (t) => {
  const xs = await XsHost.start({ entry });
  try {
    await xs.call("set", "a", 100);
    await xs.call("set", "b", 50);
    await xs.call("set", "c", 50); // same due time as b: creation order
    await xs.call("repeat", "r", 30, 3);
    await xs.call("set", "x", 70);
    await xs.call("clear", "x");
    await xs.advance(99);
    t.deepEqual(await xs.call("log"), ["r@30", "b@50", "c@50", "r@60", "r@90"]);
    t.is(xs.ticks, 99);
    await xs.advance(1);
    t.deepEqual(await xs.call("log"), ["a@100"]);
    t.regex(await xs.call("clearTwice", "a"), /already fired or cleared/);
  } finally {
    await xs.close();
  }
});

test("promise jobs run after each timer callback; a one-shot rescheduled in its callback is dropped", async (t) => {
  const xs = await XsHost.start({ entry });
  try {
    await xs.call("chain");
    await xs.advance(5);
    t.deepEqual(await xs.call("log"), ["a", "a-job", "b"]);
    await xs.call("rescheduleSelf", 20);
    await xs.advance(100);
    t.deepEqual(await xs.call("log"), ["first@15"]);
    t.true(xs.output.some((l) => l.includes("rescheduled from its own callback")));
  } finally {
    await xs.close();
  }
});

test("virtual clock: Date.now and new Date follow it; Timer.delay; Time.set; setClock; seeded random", async (t) => {
  const xs = await XsHost.start({ entry, random: { seed: 7 } });
  try {
    t.deepEqual(await xs.call("clock"), { now: START, newDate: START, ticks: 0 });
    await xs.advance(1500);
    t.deepEqual(await xs.call("clock"), { now: START + 1500, newDate: START + 1500, ticks: 1500 });
    t.is(await xs.call("delay", 250), 250);
    t.is(xs.ticks, 1750);
    await xs.setClock(START + 3_600_000);
    const c = await xs.call("clock");
    t.is(c.now, START + 3_600_000);
    t.is(c.ticks, 1750, "ticks do not jump");
    t.is(await xs.call("timeSet", 2_000_000_000), 2_000_000_000_000);
    t.is(xs.now, 2_000_000_000_000);
    const r1 = await xs.call("random");
    const other = await XsHost.start({ entry, random: { seed: 7 } });
    t.deepEqual(await other.call("random"), r1);
    await other.close();
  } finally {
    await xs.close();
  }
});

test("call drives the instant (Timer.set 0); waiting for time needs begin + advance / runUntil", async (t) => {
  const xs = await XsHost.start({ entry });
  try {
    t.is(await xs.call("immediate"), "now");
    const error = await t.throwsAsync(xs.call("wait", 1000), { instanceOf: XsError });
    t.is(error!.code, "pending");
    const p = xs.begin("wait", 1000);
    await xs.advance(999);
    let settled = false;
    p.then(() => { settled = true; });
    await Promise.resolve();
    t.false(settled);
    await xs.advance(1);
    t.is(await p, xs.ticks);
    await xs.call("set", "late", 5000);
    const elapsed = await xs.runUntil(async () => (xs.nextTimer ?? Infinity) > xs.ticks && xs.ticks >= 4000, { maxMs: 10_000 });
    t.true(elapsed >= 4000 - 1000);
    await t.throwsAsync(xs.runUntil(() => false, { maxMs: 100 }), { message: /still false/ });
  } finally {
    await xs.close();
  }
});

test("an invalid clock counts from the epoch until Time.set or setClock({ valid: true })", async (t) => {
  const xs = await XsHost.start({ entry, clock: { start: START, valid: false } });
  try {
    await xs.advance(1000);
    t.is((await xs.call("clock")).now, 1000);
    t.is(xs.now, 1000);
    t.is(xs.trueNow, START + 1000);
    await xs.setClock(xs.trueNow, { valid: true });
    t.is((await xs.call("clock")).now, START + 1000);
    await xs.restart();
    t.is((await xs.call("clock")).now, 0, "invalid again after a power cycle");
    t.is(await xs.call("timeSet", 1_800_000_000), 1_800_000_000_000);
    t.true(xs.clockValid);
  } finally {
    await xs.close();
  }
});
