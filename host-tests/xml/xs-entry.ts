// XS-side entry of the XML reader tests: tokenize a document in chunks, and a few loops that would cost
// too much over the bridge one call at a time (every split point, every truncation, fuzz batches).
import { expose } from "../engine/xs/expose";
import { XmlError, XmlReader, type XmlAttribute } from "../../modules/xml/reader";
import { failure, fingerprint, tokenize, type TokenizeOptions, type TokenizeResult } from "./tokenize";

/** A handler that keeps nothing, for allocation and stack measurements. */
class Sink {
  elements = 0;
  texts = 0;
  startElement(_ns: string, _local: string, _attributes: readonly XmlAttribute[]): void {
    this.elements++;
  }
  text(_value: string): void {
    this.texts++;
  }
  endElement(_ns: string, _local: string): void {}
}
let prepared: { reader: XmlReader; sink: Sink } | undefined;

/** Split points for a feed in chunks of `size` whose first chunk is `offset` bytes long. */
function cuts(length: number, size: number, offset: number): number[] {
  const out: number[] = [];
  for (let p = offset > 0 ? offset : size; p < length; p += size) out.push(p);
  return out;
}

expose({
  tokenize(bytes: Uint8Array, chunkSize: number | number[], options?: TokenizeOptions | null): TokenizeResult {
    return tokenize(bytes, chunkSize, options);
  },

  /**
   * Feeds the document whole, then split in two at every position, then in chunks of 1..maxChunk bytes
   * at every phase; returns the feeds whose events or error differ from the whole-document run.
   */
  splitInvariance(bytes: Uint8Array, twoWay: boolean, maxChunk: number, options?: TokenizeOptions | null) {
    const whole = tokenize(bytes, bytes.length || 1, options);
    const reference = fingerprint(whole);
    const differing: string[] = [];
    let runs = 0;
    const check = (label: string, at: number | number[]) => {
      runs++;
      if (fingerprint(tokenize(bytes, at, options)) !== reference && differing.length < 10) differing.push(label);
    };
    if (twoWay) for (let p = 1; p < bytes.length; p++) check(`split at ${p}`, [p]);
    for (let size = 1; size <= maxChunk; size++) {
      for (let offset = 0; offset < size; offset++) check(`chunks of ${size} from ${offset}`, cuts(bytes.length, size, offset));
    }
    return { runs, differing, events: whole.events.length, error: whole.error };
  },

  /** The document cut after every byte (0..length-1), fed in chunks of `chunkSize`: each outcome. */
  truncations(bytes: Uint8Array, chunkSize: number) {
    const outcomes: { length: number; code: string; typed: boolean }[] = [];
    for (let n = 0; n < bytes.length; n++) {
      const r = tokenize(bytes.subarray(0, n), chunkSize);
      outcomes.push({ length: n, code: r.error ? r.error.code : "none", typed: r.error ? r.error.typed : true });
    }
    return outcomes;
  },

  /** Builds a reader (its buffers are allocated here, not in readPrepared). */
  prepare(names: string[]) {
    const sink = new Sink();
    prepared = { reader: new XmlReader(sink, { names }), sink };
    return true;
  },

  /** Reads a document with the prepared reader, reset first, in chunks; counts only. */
  readPrepared(bytes: Uint8Array, chunkSize: number) {
    const { reader, sink } = prepared!;
    reader.reset();
    sink.elements = 0;
    sink.texts = 0;
    try {
      for (let s = 0; s < bytes.length; s += chunkSize) reader.write(bytes, s, Math.min(s + chunkSize, bytes.length));
      reader.end();
    } catch (e) {
      return { elements: sink.elements, texts: sink.texts, error: failure(e) };
    }
    return { elements: sink.elements, texts: sink.texts, error: null };
  },

  /** Several documents through one reader, reset in between (the reader is reused, names are forgotten). */
  sequence(documents: Uint8Array[], chunkSize: number) {
    const events: unknown[] = [];
    const reader = new XmlReader({
      startElement: (ns, local) => events.push(["start", ns, local]),
      text: (value) => events.push(["text", value]),
      endElement: (ns, local) => events.push(["end", ns, local]),
    });
    const outcomes = documents.map((d) => {
      reader.reset();
      events.length = 0;
      try {
        for (let s = 0; s < d.length; s += chunkSize) reader.write(d, s, Math.min(s + chunkSize, d.length));
        reader.end();
        return { events: events.slice(), error: null };
      } catch (e) {
        return { events: events.slice(), error: failure(e) };
      }
    });
    return outcomes;
  },

  /** What the reader does around errors, end() and bad arguments: each observation as a short string. */
  lifecycle() {
    const seen: string[] = [];
    const attempt = (label: string, f: () => unknown) => {
      try {
        f();
        seen.push(`${label}: ok`);
      } catch (e) {
        seen.push(`${label}: ${e instanceof XmlError ? `XmlError ${e.code} ${e.offset}` : (e as Error).name}`);
      }
    };
    const handler = { startElement() {}, endElement() {} };
    const bytes = new TextEncoder().encode("<a></b><c/>");
    const reader = new XmlReader(handler);
    attempt("bad document", () => reader.write(bytes));
    attempt("write after error", () => reader.write(bytes, 0, 1));
    attempt("end after error", () => reader.end());
    reader.reset();
    attempt("after reset", () => reader.write(bytes, 0, 3));
    attempt("end of a complete prefix", () => reader.end());
    reader.reset();
    attempt("good document", () => {
      reader.write(new TextEncoder().encode("<a/>"));
      reader.end();
    });
    attempt("end twice", () => reader.end());
    attempt("write after end", () => reader.write(bytes));
    reader.reset();
    attempt("position and depth", () => {
      reader.write(new TextEncoder().encode("<a><b>"));
      if (reader.position !== 6 || reader.depth !== 2) throw new RangeError(`${reader.position} ${reader.depth}`);
    });
    attempt("not bytes", () => reader.write("<a/>" as unknown as Uint8Array));
    attempt("bad range", () => reader.write(bytes, 5, 2));
    attempt("no handler", () => new XmlReader({} as never));
    attempt("zero depth", () => new XmlReader(handler, { limits: { depth: 0 } }));
    attempt("fractional text", () => new XmlReader(handler, { limits: { textBytes: 1.5 } }));
    attempt("names not strings", () => new XmlReader(handler, { names: [1] as never }));
    attempt("unknown limit ignored", () => new XmlReader(handler, { limits: { bogus: 1 } as never }));
    const thrower = new XmlReader({ startElement() { throw new RangeError("handler"); }, endElement() {} });
    attempt("handler exception", () => thrower.write(bytes));
    attempt("handler exception again", () => thrower.write(bytes));
    return seen;
  },

  /** A batch of documents: outcome code (or "ok"), whether any error was an XmlError, and time taken. */
  batch(documents: Uint8Array[], chunkSize: number, options?: TokenizeOptions | null) {
    return documents.map((d) => {
      const t0 = performance.now();
      const r = tokenize(d, chunkSize, options);
      return { code: r.error ? r.error.code : "ok", typed: r.error ? r.error.typed : true, message: r.error?.message ?? "", ms: performance.now() - t0 };
    });
  },
});
