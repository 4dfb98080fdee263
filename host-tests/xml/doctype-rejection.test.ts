// DOCTYPE and every markup declaration are refused with "doctype" before anything is expanded, so entity
// expansion attacks (billion laughs, external entities) never start.
import test from "ava";
import { closeXs, read } from "./support.ts";

test.after.always(closeXs);

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
]>
<lolz>&lol2;</lolz>`;

test("billion laughs is refused at the DOCTYPE", async (t) => {
  const r = await read(BILLION_LAUGHS);
  t.is(r.error?.code, "doctype");
  t.is(r.error?.offset, BILLION_LAUGHS.indexOf("<!DOCTYPE"));
  t.deepEqual(r.events, []);
});

test("external entities (XXE) are refused", async (t) => {
  const r = await read(`<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>`);
  t.is(r.error?.code, "doctype");
});

test("declarations anywhere, in any chunking, are refused", async (t) => {
  for (const doc of [
    `<!DOCTYPE a><a/>`,
    `<!DOCTYPE a SYSTEM "a.dtd"><a/>`,
    `<a><!ENTITY x "y"></a>`,
    `<a><!ELEMENT a ANY></a>`,
    `<a><!ATTLIST a b CDATA #IMPLIED></a>`,
    `<a/><!NOTATION n SYSTEM "n">`,
  ]) {
    for (const size of [1, 2, 1000]) t.is((await read(doc, size)).error?.code, "doctype", `${doc} in chunks of ${size}`);
  }
});

test("an entity reference without a DTD is undefined: syntax error, nothing expanded", async (t) => {
  const r = await read(`<lolz>&lol9;</lolz>`);
  t.is(r.error?.code, "syntax");
});
