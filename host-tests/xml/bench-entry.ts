// XS-side contenders for `npm run bench` (called through xs.callMetered): the same document, as bytes,
// fed in chunks of `chunkSize` to (a) XmlReader with a no-op handler, (b) saxes through a streaming
// TextDecoder, (c) txml on the whole document decoded to one string, (d) the floor: a loop that visits
// every byte. Each returns a small number so that moving the result costs nothing.
// saxes is CommonJS: the engine hands it over as one ES module whose default export is module.exports.
import saxes from "saxes";
import { parse as txmlParse } from "txml/txml";
import { expose } from "../engine/xs/expose";
import { XmlReader, type XmlAttribute } from "../../modules/xml/reader";

const { SaxesParser } = saxes;

class Counter {
  count = 0;
  startElement(_ns: string, _local: string, _attributes: readonly XmlAttribute[]): void {
    this.count++;
  }
  text(_value: string): void {}
  endElement(_ns: string, _local: string): void {}
}

const counter = new Counter();
const reader = new XmlReader(counter);

/** (a) one reader, reset per document, as the codec keeps it. */
function readerRun(bytes: Uint8Array, chunkSize: number): number {
  reader.reset();
  counter.count = 0;
  for (let s = 0; s < bytes.length; s += chunkSize) reader.write(bytes, s, Math.min(s + chunkSize, bytes.length));
  reader.end();
  return counter.count;
}

/** (b) saxes, namespace-aware, fed decoded chunks. */
function saxesRun(bytes: Uint8Array, chunkSize: number): number {
  const decoder = new TextDecoder("utf-8");
  const parser = new SaxesParser({ xmlns: true });
  let count = 0;
  parser.on("opentag", () => {
    count++;
  });
  for (let s = 0; s < bytes.length; s += chunkSize) parser.write(decoder.decode(bytes.subarray(s, Math.min(s + chunkSize, bytes.length)), { stream: true }));
  parser.close();
  return count;
}

/** (c) txml: a DOM from the whole document as one string. */
function txmlRun(bytes: Uint8Array): number {
  const nodes = txmlParse(new TextDecoder("utf-8").decode(bytes));
  return nodes.length;
}

/** (d) the floor: visit every byte, chunk by chunk. */
function floorRun(bytes: Uint8Array, chunkSize: number): number {
  let x = 0;
  for (let s = 0; s < bytes.length; s += chunkSize) {
    const e = Math.min(s + chunkSize, bytes.length);
    for (let i = s; i < e; i++) x ^= bytes[i];
  }
  return x;
}

expose({ reader: readerRun, saxes: saxesRun, txml: txmlRun, floor: floorRun });
