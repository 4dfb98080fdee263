// The XML declaration's pseudo-attributes, checked once per document: version 1.x, encoding UTF-8 only
// (anything else is "encoding"), standalone yes|no, in that order.

import { WS } from "./chars";
import { XmlError } from "./errors";

/** version="1.x" [encoding="UTF-8"] [standalone="yes|no"], in that order. */
export function checkDeclaration(tb: Uint8Array, tl: number, at: number): void {
  let r = 0;
  const fields: string[] = [];
  const values: string[] = [];
  for (;;) {
    const spaced = r;
    while (r < tl && WS[tb[r]] !== 0) r++;
    if (r === tl) break;
    if (r === spaced && fields.length > 0) throw new XmlError("syntax", at, "malformed XML declaration");
    let s = r;
    while (r < tl && ((tb[r] | 0x20) >= 0x61 && (tb[r] | 0x20) <= 0x7a)) r++;
    const field = String.fromCharCode(...tb.subarray(s, r));
    while (r < tl && WS[tb[r]] !== 0) r++;
    if (tb[r] !== 0x3d) throw new XmlError("syntax", at, "malformed XML declaration");
    r++;
    while (r < tl && WS[tb[r]] !== 0) r++;
    const quote = tb[r];
    if (r >= tl || (quote !== 0x22 && quote !== 0x27)) throw new XmlError("syntax", at, "malformed XML declaration");
    s = ++r;
    while (r < tl && tb[r] !== quote) r++;
    if (r >= tl) throw new XmlError("syntax", at, "malformed XML declaration");
    fields.push(field);
    values.push(String.fromCharCode(...tb.subarray(s, r)));
    r++;
  }
  const order = ["version", "encoding", "standalone"];
  let last = -1;
  for (let f = 0; f < fields.length; f++) {
    const o = order.indexOf(fields[f]);
    if (o <= last) throw new XmlError("syntax", at, `unexpected "${fields[f]}" in the XML declaration`);
    last = o;
    const v = values[f];
    if (o === 0 && !(v.length >= 3 && v.startsWith("1.") && [...v.slice(2)].every((ch) => ch >= "0" && ch <= "9"))) {
      throw new XmlError("syntax", at, `unsupported XML version ${v}`);
    }
    if (o === 1 && v.toLowerCase() !== "utf-8") throw new XmlError("encoding", at, `encoding ${v} is not supported: only UTF-8`);
    if (o === 2 && v !== "yes" && v !== "no") throw new XmlError("syntax", at, "standalone must be yes or no");
  }
  if (fields[0] !== "version") throw new XmlError("syntax", at, "the XML declaration needs a version");
}
