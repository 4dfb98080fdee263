// The reader's life cycle: errors are sticky until reset(), end() checks completeness, reset() makes the
// reader reusable (and forgets names learnt from the last document), options are checked up front.
import test from "ava";
import { closeXs, encode, xs } from "./support.ts";

test.after.always(closeXs);

test("errors, end(), reset() and argument checks", async (t) => {
  const seen: string[] = await (await xs()).call("lifecycle");
  t.deepEqual(seen, [
    "bad document: XmlError syntax 3",
    "write after error: XmlError syntax 3",
    "end after error: XmlError syntax 3",
    "after reset: ok",
    "end of a complete prefix: XmlError truncated 3",
    "good document: ok",
    "end twice: ok",
    "write after end: XmlError syntax 4",
    "position and depth: ok",
    "not bytes: TypeError",
    "bad range: RangeError",
    "no handler: TypeError",
    "zero depth: RangeError",
    "fractional text: RangeError",
    "names not strings: TypeError",
    "unknown limit ignored: ok",
    "handler exception: RangeError",
    "handler exception again: RangeError",
  ]);
});

test("one reader, reset between documents, gives each document's own events", async (t) => {
  const docs = ["<a xmlns='urn:1'><b>x</b></a>", "<p:a xmlns:p='urn:2'><p:b>y</p:b></p:a>", "<a><b></a>", "<c>z</c>"].map(encode);
  const runs = await (await xs()).call("sequence", docs, 3);
  t.deepEqual(runs[0].events, [["start", "urn:1", "a"], ["start", "urn:1", "b"], ["text", "x"], ["end", "urn:1", "b"], ["end", "urn:1", "a"]]);
  t.deepEqual(runs[1].events, [["start", "urn:2", "a"], ["start", "urn:2", "b"], ["text", "y"], ["end", "urn:2", "b"], ["end", "urn:2", "a"]]);
  t.is(runs[2].error.code, "syntax");
  t.deepEqual(runs[3], { events: [["start", "", "c"], ["text", "z"], ["end", "", "c"]], error: null });
});

test("names learnt in one document do not fill the table for the next", async (t) => {
  const many = (tag: string) => encode(`<r>${Array.from({ length: 300 }, (_, i) => `<${tag}${i}/>`).join("")}</r>`);
  const runs = await (await xs()).call("sequence", [many("a"), many("b"), many("c")], 1460);
  for (const run of runs) t.is(run.error, null);
});
