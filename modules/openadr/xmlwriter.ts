// XmlWriter: writes XML as UTF-8 into one fixed-size Uint8Array through a cursor and hands the
// filled part to a sink whenever it is full (and on flush). The output is already in inclusive C14N
// 1.0 form for what it writes: start and end tags always (never `<a/>`), double-quoted attributes in
// the order given (callers give namespace declarations first, sorted by prefix), text escaped as
// `&amp; &lt; &gt; &#xD;`, attribute values as `&amp; &lt; &quot; &#x9; &#xA; &#xD;`.
// Leaves out: namespace bookkeeping (names are written as given), comments, CDATA, pretty printing.
// Characters XML 1.0 cannot carry (controls other than tab/LF/CR) are a TypeError; a lone
// surrogate becomes U+FFFD.

/** Receives a view of the writer's buffer, valid only during the call (copy it to keep it). */
export type ByteSink = (bytes: Uint8Array) => void;

export interface XmlWriterOptions {
  sink: ByteSink;
  /** Buffer size in bytes (default 1024, at least 64). */
  bufferSize?: number;
}

const MODE_TEXT = 0;
const MODE_ATTRIBUTE = 1;

export class XmlWriter {
  readonly #sink: ByteSink;
  readonly #buffer: Uint8Array;
  #length = 0;
  #open = false;
  #total = 0;

  constructor(options: XmlWriterOptions) {
    if (typeof options?.sink !== "function") throw new TypeError("XmlWriter: sink must be a function");
    const size = options.bufferSize ?? 1024;
    if (!Number.isInteger(size) || size < 64) throw new RangeError("XmlWriter: bufferSize must be an integer ≥ 64");
    this.#sink = options.sink;
    this.#buffer = new Uint8Array(size);
  }

  /** Bytes written so far (flushed or not). */
  get bytesWritten(): number { return this.#total + this.#length; }

  /** Writes ASCII markup as is (no escaping): the XML declaration, a known-safe fragment. */
  raw(ascii: string): void {
    this.#close();
    this.#ascii(ascii);
  }

  /** `<name` (the tag stays open for attributes until content or end). */
  start(name: string): void {
    this.#close();
    this.#byte(0x3C);
    this.#ascii(name);
    this.#open = true;
  }

  /** ` name="value"` on the open start tag. */
  attribute(name: string, value: string): void {
    if (!this.#open) throw new TypeError(`XmlWriter: attribute ${name} outside a start tag`);
    this.#byte(0x20);
    this.#ascii(name);
    this.#byte(0x3D);
    this.#byte(0x22);
    this.#escaped(value, MODE_ATTRIBUTE);
    this.#byte(0x22);
  }

  /** Escaped character data. */
  text(value: string): void {
    this.#close();
    this.#escaped(value, MODE_TEXT);
  }

  /** `</name>` (closing the start tag first when the element is empty: `<name></name>`). */
  end(name: string): void {
    this.#close();
    this.#byte(0x3C);
    this.#byte(0x2F);
    this.#ascii(name);
    this.#byte(0x3E);
  }

  /** `<name>value</name>`; value must be a string (the element name is in the error otherwise). */
  leaf(name: string, value: string): void {
    if (typeof value !== "string") throw new TypeError(`${name}: expected a string, got ${value === null ? "null" : typeof value}`);
    // start, text and end inlined: one frame less under the deepest encoder calls (XS stack)
    this.#close();
    this.#byte(0x3C);
    this.#ascii(name);
    this.#byte(0x3E);
    this.#escaped(value, 0 /* MODE_TEXT */);
    this.#byte(0x3C);
    this.#byte(0x2F);
    this.#ascii(name);
    this.#byte(0x3E);
  }

  /** Hands what is buffered to the sink. */
  flush(): void {
    this.#close();
    if (this.#length > 0) {
      const n = this.#length;
      this.#total += n;
      this.#length = 0;
      this.#sink(this.#buffer.subarray(0, n));
    }
  }

  #close(): void {
    if (this.#open) {
      this.#open = false;
      this.#byte(0x3E);
    }
  }

  #byte(b: number): void {
    if (this.#length === this.#buffer.length) this.#spill();
    this.#buffer[this.#length++] = b;
  }

  #spill(): void {
    const n = this.#length;
    this.#total += n;
    this.#length = 0;
    this.#sink(this.#buffer.subarray(0, n));
  }

  #ascii(s: string): void {
    const buffer = this.#buffer;
    const n = s.length;
    for (let i = 0; i < n; i++) {
      if (this.#length === buffer.length) this.#spill();
      buffer[this.#length++] = s.charCodeAt(i);
    }
  }

  #escaped(s: string, mode: number): void {
    const buffer = this.#buffer;
    const n = s.length;
    for (let i = 0; i < n; i++) {
      let c = s.charCodeAt(i);
      if (buffer.length - this.#length < 8) this.#spill();
      let at = this.#length;
      if (c < 0x80) {
        if (c > 0x3E || (c >= 0x20 && c !== 0x26 && c !== 0x3C && c !== 0x22 && c !== 0x3E)) {
          buffer[at++] = c;
        } else if (c === 0x26) {
          at = put(buffer, at, "&amp;");
        } else if (c === 0x3C) {
          at = put(buffer, at, "&lt;");
        } else if (c === 0x3E) {
          if (mode === 0 /* MODE_TEXT */) at = put(buffer, at, "&gt;");
          else buffer[at++] = c;
        } else if (c === 0x22) {
          if (mode === 1 /* MODE_ATTRIBUTE */) at = put(buffer, at, "&quot;");
          else buffer[at++] = c;
        } else if (c === 0x0D) {
          at = put(buffer, at, "&#xD;");
        } else if (c === 0x09 || c === 0x0A) {
          if (mode === 1 /* MODE_ATTRIBUTE */) at = put(buffer, at, c === 0x09 ? "&#x9;" : "&#xA;");
          else buffer[at++] = c;
        } else {
          throw new TypeError(`XmlWriter: character U+${c.toString(16).padStart(4, "0")} cannot be written in XML 1.0`);
        }
      } else if (c < 0x800) {
        buffer[at++] = 0xC0 | (c >> 6);
        buffer[at++] = 0x80 | (c & 63);
      } else {
        if (c >= 0xD800 && c <= 0xDFFF) {
          const d = c <= 0xDBFF && i + 1 < n ? s.charCodeAt(i + 1) : 0;
          if (d >= 0xDC00 && d <= 0xDFFF) {
            c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
            i++;
          } else {
            c = 0xFFFD;
          }
        } else if (c === 0xFFFE || c === 0xFFFF) {
          throw new TypeError(`XmlWriter: character U+${c.toString(16)} cannot be written in XML 1.0`);
        }
        if (c < 0x10000) {
          buffer[at++] = 0xE0 | (c >> 12);
          buffer[at++] = 0x80 | ((c >> 6) & 63);
          buffer[at++] = 0x80 | (c & 63);
        } else {
          buffer[at++] = 0xF0 | (c >> 18);
          buffer[at++] = 0x80 | ((c >> 12) & 63);
          buffer[at++] = 0x80 | ((c >> 6) & 63);
          buffer[at++] = 0x80 | (c & 63);
        }
      }
      this.#length = at;
    }
  }
}

function put(buffer: Uint8Array, at: number, ascii: string): number {
  for (let k = 0; k < ascii.length; k++) buffer[at++] = ascii.charCodeAt(k);
  return at;
}
