// Every limit ends in its typed error at the first byte beyond it, and a document just within the limit
// is read; defaults apply when no limit is given.
import test from "ava";
import { closeXs, read } from "./support.ts";

test.after.always(closeXs);

async function edge(t: import("ava").ExecutionContext, limit: string, value: number, within: string, beyond: string, code: string) {
  for (const size of [1, 7, 100000]) {
    t.is((await read(within, size, { limits: { [limit]: value } })).error, null, `${limit} within, chunks of ${size}`);
    t.is((await read(beyond, size, { limits: { [limit]: value } })).error?.code, code, `${limit} beyond, chunks of ${size}`);
  }
}

test("documentBytes", async (t) => {
  await edge(t, "documentBytes", 12, "<a>12345</a>", "<a>123456</a>", "limit-document");
  const r = await read("<a>123456</a>", undefined, { limits: { documentBytes: 12 } });
  t.is(r.error?.offset, 12);
});

test("depth", async (t) => {
  await edge(t, "depth", 3, "<a><b><c/></b></a>", "<a><b><c><d/></c></b></a>", "limit-depth");
});

test("nameBytes: element names, attribute names and PI targets", async (t) => {
  await edge(t, "nameBytes", 5, "<abcde/>", "<abcdef/>", "limit-name");
  await edge(t, "nameBytes", 5, `<a bcdef="1"/>`, `<a bcdefg="1"/>`, "limit-name");
  await edge(t, "nameBytes", 5, "<?abcde?><a/>", "<?abcdef?><a/>", "limit-name");
});

test("textBytes: character data, CDATA and entities count decoded bytes", async (t) => {
  await edge(t, "textBytes", 4, "<a>1234</a>", "<a>12345</a>", "limit-text");
  await edge(t, "textBytes", 4, "<a><![CDATA[1234]]></a>", "<a><![CDATA[12345]]></a>", "limit-text");
  await edge(t, "textBytes", 4, "<a>&#x65E5;1</a>", "<a>&#x65E5;12</a>", "limit-text");
  await edge(t, "textBytes", 4, "<a>12<b/>34</a>", "<a>12<b/>345</a>", "limit-text");
});

test("textBytes: whitespace between elements never counts", async (t) => {
  await edge(t, "textBytes", 4, `<a>${" ".repeat(5000)}<b/>\n\n\n\n\n\n</a>`, `<a>  1234 <b/></a>`, "limit-text");
});

test("attributeBytes", async (t) => {
  await edge(t, "attributeBytes", 4, `<a b="1234"/>`, `<a b="12345"/>`, "limit-attribute");
  await edge(t, "attributeBytes", 4, `<a b="&amp;&amp;&amp;&amp;"/>`, `<a b="&amp;&amp;&amp;&amp;&amp;"/>`, "limit-attribute");
});

test("attributes, namespace declarations included", async (t) => {
  await edge(t, "attributes", 2, `<a x="1" xmlns="u"/>`, `<a x="1" y="2" xmlns="u"/>`, "limit-attributes");
});

test("distinctNames", async (t) => {
  const names = (n: number) => `<r>${Array.from({ length: n }, (_, i) => `<n${i}/>`).join("")}</r>`;
  // 4 built in (xml, xmlns and their namespaces) + r + the n names
  await edge(t, "distinctNames", 20, names(14), names(15), "limit-names");
});

test("defaults: 32 levels deep and a 4096-byte text are fine, 33 and 4097 are not", async (t) => {
  const deep = (n: number) => "<a>".repeat(n) + "</a>".repeat(n);
  t.is((await read(deep(32))).error, null);
  t.is((await read(deep(33))).error?.code, "limit-depth");
  t.is((await read(`<a>${"x".repeat(4096)}</a>`)).error, null);
  t.is((await read(`<a>${"x".repeat(4097)}</a>`)).error?.code, "limit-text");
});
