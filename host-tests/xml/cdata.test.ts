// CDATA sections: content taken literally, concatenated with the element's other text, "]]" handled at
// any position, and only inside the root element.
import test from "ava";
import { closeXs, outcome, read, texts } from "./support.ts";

test.after.always(closeXs);

test("markup and entities inside CDATA are data", async (t) => {
  t.deepEqual(await texts("<a><![CDATA[<b>&amp;</b>]]></a>"), ["<b>&amp;</b>"]);
});

test("CDATA joins the surrounding text; whitespace around it is kept when the run has text", async (t) => {
  t.deepEqual(await texts("<a>x <![CDATA[ y ]]> z</a>"), ["x  y  z"]);
});

test("an element whose only content is an empty CDATA section has text ''", async (t) => {
  t.deepEqual(await texts("<a><![CDATA[]]></a>"), [""]);
});

test("brackets before the end: ']' and ']]' are content, ']]]>' ends after two of them", async (t) => {
  t.deepEqual(await texts("<a><![CDATA[a]b]]c]]]></a>"), ["a]b]]c]"]);
  t.deepEqual(await texts("<a><![CDATA[]]]]]></a>"), ["]]]"]);
});

test("line ends inside CDATA are normalised to LF", async (t) => {
  t.deepEqual(await texts("<a><![CDATA[1\r\n2\r3\n]]></a>"), ["1\n2\n3\n"]);
});

test("CDATA split across chunks at every byte gives the same text", async (t) => {
  const doc = "<a>p<![CDATA[q]]r]]>s</a>";
  for (let size = 1; size <= 4; size++) {
    const r = await read(doc, size);
    t.deepEqual(r.events[1], ["text", "pq]]rs"], `chunks of ${size}`);
  }
});

test("CDATA outside the root element, or misspelt, is a syntax error", async (t) => {
  t.is(await outcome("<![CDATA[x]]><a/>"), "syntax");
  t.is(await outcome("<a/><![CDATA[x]]>"), "syntax");
  t.is(await outcome("<a><![CDAT[x]]></a>"), "syntax");
  t.is(await outcome("<a><![cdata[x]]></a>"), "syntax");
});

test("']]>' in ordinary text is a syntax error, but '>' and ']]' alone are not", async (t) => {
  t.is(await outcome("<a>x]]>y</a>"), "syntax");
  t.deepEqual(await texts("<a>x]]y>z]&gt;</a>"), ["x]]y>z]>"]);
});
