// Character data: delivered once per element before its end, whitespace kept; whitespace-only runs
// between markup dropped; mixed content concatenated; line ends normalised; no text event without text.
import test from "ava";
import { closeXs, read, texts } from "./support.ts";

test.after.always(closeXs);

test("leaf text keeps its surrounding whitespace", async (t) => {
  t.deepEqual(await texts("<a>  x \t y  </a>"), ["  x \t y  "]);
});

test("whitespace-only elements and indentation give no text events", async (t) => {
  const r = await read("<a>\n  <b>   </b>\n  <c/>\n</a>");
  t.deepEqual(r.events.map((e) => e[0]), ["start", "start", "end", "start", "end", "end"]);
});

test("mixed content: the runs with text, concatenated, before the parent's end", async (t) => {
  const r = await read("<a>one <b>two</b> three<c/>\n  <d/>four</a>");
  t.deepEqual(r.events, [
    ["start", "", "a", []],
    ["start", "", "b", []],
    ["text", "two"],
    ["end", "", "b"],
    ["start", "", "c", []],
    ["end", "", "c"],
    ["start", "", "d", []],
    ["end", "", "d"],
    ["text", "one  threefour"],
    ["end", "", "a"],
  ]);
});

test("CR LF and lone CR become LF, in text split anywhere", async (t) => {
  const doc = "<a>\r\n1\r\n2\r3\r\n\r\n</a>";
  for (let size = 1; size <= 5; size++) t.deepEqual((await read(doc, size)).events[1], ["text", "\n1\n2\n3\n\n"], `chunks of ${size}`);
});

test("leading whitespace held over a chunk boundary is kept", async (t) => {
  const doc = `<a>${" ".repeat(10)}\r\nx</a>`;
  for (const cut of [3, 5, 13, 14]) t.deepEqual((await read(doc, [cut])).events[1], ["text", `${" ".repeat(10)}\nx`], `cut at ${cut}`);
});

test("empty and self-closing elements have no text event", async (t) => {
  t.deepEqual(await texts("<a><b></b><c/></a>"), []);
});
