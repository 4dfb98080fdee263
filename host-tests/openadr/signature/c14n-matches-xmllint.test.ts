// The streaming canonicaliser (run on XS over the reader's raw tap, root element captured) writes what
// libxml2's `xmllint --c14n` writes for whole documents: namespaces, attribute order, empty elements,
// references in text and attributes, CR and whitespace normalisation, CDATA, PIs, non-ASCII — and for
// every fixture without comments (xmllint keeps comments; C14N without comments is tested apart).
// Fed in one piece, 7-byte and 1-byte chunks: the same bytes.
import test from "ava";
import { validateXML } from "xmllint-wasm";
import type { XsHost } from "../../engine/index.ts";
import { fixtureFiles, haveFixtures } from "../../support/shared.ts";
import { readFileSync } from "node:fs";
import path from "node:path";
import { startSignature, utf8 } from "./support.ts";

const CRAFTED: Record<string, string> = {
  namespaces:
    `<r xmlns="urn:d" xmlns:a="urn:a" xmlns:unused="urn:u"><a:x xmlns:a="urn:a"><y xmlns=""><z xmlns="urn:d2"/></y></a:x>` +
    `<b:x xmlns:b="urn:a" xmlns:a="urn:a2"><a:q/></b:x><e xmlns="urn:d"/></r>`,
  attributeOrder: `<r xmlns:z="urn:a" xmlns:b="urn:z" b:x="1" z:y="2" c="3" a="4" xmlns="urn:default"><s z:b="1" z:a="2" b="3"/></r>`,
  emptyElements: `<r><a/><b /><c x="1"/><d></d></r>`,
  referencesInText: `<r>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#13;&#10;&#9;&#x10FFFF;&#233; a&gt;b "q" 'a'</r>`,
  referencesInAttributes: `<r a="&#9;&#10;&#13;x&lt;&quot;&gt;&amp;&apos;" b='"' c="it's &#x20AC;"/>`,
  whitespaceInTags: `<r   x = "1"\n\ty='2'  ><s\r\n  a="b"\t/></r   >`,
  lineEnds: `<r a="l1\r\nl2\rl3\nl4\tl5">line1\r\nline2\rline3\n\r\n</r>`,
  cdata: `<r><![CDATA[<&>]]]]><![CDATA[]]>x<![CDATA[a]b]]c\r\nd\re]]></r>`,
  processingInstructions: `<r><?pi  data  here ?><?empty?><?spaced   ?><s><?t x?y?></s></r>`,
  nonAscii: `<é:r xmlns:é="urn:e" é:ä="ö" a="日本">ünïcødé 日本 𝄞</é:r>`,
  deep: `<a xmlns:p="urn:p"><b p:x="1"><c xmlns:p="urn:q" p:x="2"><d xmlns:p="urn:p" p:y="3">t</d></c></b></a>`,
  mixed: `<r>  lead <i>in</i> tail  <j/>\n</r>`,
  xmlAttributes: `<r xml:lang="en" xml:space="preserve"><s xml:lang="fr"/></r>`,
};

const rootName = (xml: string): [string, string] => {
  const name = /<([^\s/>?!]+)/.exec(xml.replace(/^<\?xml[^>]*\?>/, ""))![1];
  const [prefix, local] = name.includes(":") ? name.split(":") : ["", name];
  const decl = new RegExp(`xmlns${prefix ? ":" + prefix : ""}=["']([^"']*)["']`).exec(xml);
  return [decl ? decl[1] : "", local];
};

async function xmllintC14n(docs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const xml of docs) {
    const r = await validateXML({ xml: [{ fileName: "doc.xml", contents: xml }], normalization: "c14n" });
    out.push(r.normalized);
  }
  return out;
}

let xs: XsHost;
test.before(async () => { xs = await startSignature(); });
test.after.always(async () => { await xs?.close(); });

async function canonical(xml: string, chunk: number): Promise<string> {
  const [ns, local] = rootName(xml);
  // roomier bounds than a VEN's defaults: some fixtures declare a dozen namespaces on the root
  const limits = { tagBytes: 4096, namespaceBytes: 4096, bindings: 64 };
  const r = await xs.call<{ parts: Uint8Array[]; error?: string }>("canonicalize", new Uint8Array(Buffer.from(xml, "utf8")), { elements: [[1, ns, local]], chunk, limits });
  if (r.error) throw new Error(r.error);
  return utf8(r.parts[0]);
}

for (const [name, xml] of Object.entries(CRAFTED)) {
  test(`crafted: ${name}`, async (t) => {
    const [expected] = await xmllintC14n([xml]);
    t.not(expected, "", "xmllint produced output");
    for (const chunk of [0, 7, 1]) t.is(await canonical(xml, chunk) + "\n", expected, `chunk ${chunk}`);
  });
}

test("every fixture without comments, as the root", async (t) => {
  if (!haveFixtures) return t.pass();
  const files = ["signed", "session", "openleadr-docs", "openleadr-generated", "avob"].flatMap((f) => fixtureFiles(f));
  let compared = 0;
  const docs: { name: string; xml: string }[] = [];
  for (const file of files) {
    const xml = readFileSync(file, "utf8");
    if (xml.includes("<!--") || xml.includes("<!DOCTYPE") || xml.trim() === "" || xml.charCodeAt(0) === 0xfeff || /encoding="utf-16"/i.test(xml)) continue;
    docs.push({ name: path.basename(file), xml });
  }
  // one xmllint run for all: it writes the canonical documents one after the other, then a newline
  const r = await validateXML({ xml: docs.map((d, i) => ({ fileName: `${i}.xml`, contents: d.xml })), normalization: "c14n" });
  let mine = "";
  for (const d of docs) {
    let c: string;
    try {
      c = await canonical(d.xml, 1460);
    } catch (error) {
      t.log(`${d.name}: ${(error as Error).message}`);
      continue;
    }
    mine += c;
    compared++;
  }
  t.true(compared > 100, `compared ${compared}`);
  t.is(mine + "\n", r.normalized);
});
