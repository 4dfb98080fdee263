// Smoke test of the engine: a tiny entry on XS, results, errors, bytes, meters.
import test from "ava";
import { XsHost, XsError } from "./index.ts";

const entry = "host-tests/engine/fixtures/xs-smoke.ts";

test("calls, bytes, errors and meters on XS", async (t) => {
  const xs = await XsHost.start({ entry });
  try {
    t.is(await xs.call("add", 2, 3), 5);
    t.deepEqual(await xs.call("echo", { a: [1, "x", null, true], n: { m: 1.5 } }), { a: [1, "x", null, true], n: { m: 1.5 } });
    const data = new Uint8Array(200_000).map((_, i) => i % 7);
    t.is(await xs.call("sum", data), data.reduce((a, b) => a + b, 0));
    const echoed = await xs.call("echo", { nested: [data.subarray(0, 10)] });
    t.true(echoed.nested[0] instanceof Uint8Array);
    t.deepEqual([...echoed.nested[0]], [...data.subarray(0, 10)]);
    const { b, n } = await xs.call("bytes", 300);
    t.is(n, 300);
    t.true(b instanceof Uint8Array);
    t.is(b[299], 299 & 255);
    t.is(await xs.call("later", 21), 42);
    const error = await t.throwsAsync(xs.call("fail", "boom"), { instanceOf: XsError });
    t.regex(error!.message, /boom/);
    t.is(error!.code, "exception");
    await t.throwsAsync(xs.call("nope"), { message: /no exposed function/ });
    t.is(await xs.call("count"), 1);
    t.is(await xs.call("count"), 2);
    t.is(await xs.call("hello"), "object");
    t.deepEqual(xs.output.slice(-1), ["hello 42"]);
    t.is(await xs.call("now"), xs.now);

    const small = await xs.callMetered("loop", 100);
    const big = await xs.callMetered("loop", 10_000);
    t.is(big.result, 49_995_000);
    t.true(small.meter.compute > 0);
    t.true(big.meter.compute > 50 * small.meter.compute, `${big.meter.compute} vs ${small.meter.compute}`);
    const again = await xs.callMetered("loop", 10_000);
    t.is(again.meter.compute, big.meter.compute, "compute is repeatable");
  } finally {
    await xs.close();
    await xs.close(); // idempotent
  }
});
