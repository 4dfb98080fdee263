// Node-side reference: saxes (namespace-aware) mapped to the reader's event model, for differential tests.
// A character-data run that is whitespace only is dropped; the others are concatenated per element and
// delivered before its end tag, as XmlReader does.
import { SaxesParser } from "saxes";
import type { XmlEvent } from "./tokenize.ts";

export function saxesEvents(xml: string): { events: XmlEvent[]; error: string | null } {
  const parser = new SaxesParser({ xmlns: true });
  const events: XmlEvent[] = [];
  const texts: (string | null)[] = [];
  let run = "";
  let cdata = false;
  const flush = () => {
    if (texts.length === 0) return;
    if (cdata || /[^ \t\r\n]/.test(run)) texts[texts.length - 1] = (texts[texts.length - 1] ?? "") + run;
    run = "";
    cdata = false;
  };
  parser.on("text", (t) => (run += t));
  parser.on("cdata", (t) => {
    run += t;
    cdata = true;
  });
  // A run ends at any markup: saxes reports text before each markup event.
  parser.on("comment", () => flush());
  parser.on("processinginstruction", () => flush());
  parser.on("opentag", (tag) => {
    flush();
    const attrs: [string, string, string][] = [];
    for (const a of Object.values(tag.attributes)) {
      if (a.prefix === "xmlns" || (a.prefix === "" && a.local === "xmlns")) continue;
      attrs.push([a.uri, a.local, a.value]);
    }
    events.push(["start", tag.uri ?? "", tag.local ?? "", attrs]);
    texts.push(null);
    if (tag.isSelfClosing) {
      /* closetag follows */
    }
  });
  parser.on("closetag", (tag) => {
    flush();
    const t = texts.pop();
    if (t !== null && t !== undefined) events.push(["text", t]);
    events.push(["end", tag.uri ?? "", tag.local ?? ""]);
  });
  let error: string | null = null;
  try {
    parser.write(xml).close();
  } catch (e) {
    error = String(e);
  }
  return { events, error };
}
