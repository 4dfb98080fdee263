// Interned names for the XML reader: a fixed-size open-addressing hash table over the bytes of
// names and namespace URIs, with the bytes kept in one arena. A name seen before costs a hash and a
// byte comparison and allocates nothing. Leaves out: resizing (the table is full → "limit-names").

import { XmlError } from "./errors";

/** Entry 0 is always the empty string (no prefix, no namespace). */
export const EMPTY = 0;
/** Arena bytes per entry (OpenADR local names average 12 bytes, qualified names 15, namespace URIs 45). */
export const ARENA_PER_NAME = 16;
/** Entries fit 16-bit arrays (ids, and arena offsets below 64 KB). */
export const MAX_NAMES = 4096;
const UNSPLIT = -1;

/** The part of TextDecoder ("utf-8", fatal) the table needs. */
export interface Utf8Decoder {
  decode(input: Uint8Array): string;
}

/** A few bytes and the length: cheap, and enough to spread names (the bytes are compared anyway). */
function hash(src: Uint8Array, s: number, n: number): number {
  return (n * 0x9e5) ^ (src[s] * 0x1f) ^ (src[s + (n >> 1)] * 0x3d) ^ (src[s + n - 1] * 0x83) ^ (src[s + (n >> 2)] << 9);
}

export class NameTable {
  // Most used by the scanner's per-element path first (XS walks an object's properties in creation order).
  /** For a prefix: the namespace URI entry it is bound to now (-1: unbound). Kept by the reader. */
  readonly current: Int16Array;
  /** Predictions, by entry: the start tag that last followed this element's start tag / end tag. */
  readonly afterStart: Int16Array;
  readonly afterEnd: Int16Array;
  /** For a qualified name: the entry of its prefix (EMPTY when unprefixed), -1 until first needed. */
  readonly prefix: Int16Array;
  /** Bytes of every entry; entry `id` is arena[offset[id] .. offset[id] + length[id]). */
  readonly arena: Uint8Array;
  readonly offset: Uint16Array;
  readonly length: Uint16Array;
  /** For a qualified name: the entry of its local part (its string is decoded when the name is split). */
  readonly local: Int16Array;
  /** Decoded strings by entry (undefined until needed; see string()). */
  readonly strings: (string | undefined)[] = [""];
  /** The arena as a DataView, to compare names four bytes at a time. */
  readonly view: DataView;
  /** For an xmlns attribute name: the URI it last declared, if that URI needs no decoding. */
  readonly lastUri: Int16Array;
  readonly #slots: Uint16Array; // entry + 1, 0 = free
  readonly #mask: number;
  readonly #capacity: number;
  readonly #decoder: Utf8Decoder;
  #count = 1;
  #top = 0;
  #fixedCount = 1;
  #fixedTop = 0;

  constructor(capacity: number, decoder: Utf8Decoder) {
    let size = 4;
    while (size < capacity * 2) size *= 2;
    this.#capacity = capacity;
    this.#mask = size - 1;
    this.#slots = new Uint16Array(size);
    this.arena = new Uint8Array(capacity * ARENA_PER_NAME);
    this.offset = new Uint16Array(capacity);
    this.length = new Uint16Array(capacity);
    this.prefix = new Int16Array(capacity).fill(UNSPLIT);
    this.local = new Int16Array(capacity).fill(UNSPLIT);
    this.view = new DataView(this.arena.buffer);
    this.current = new Int16Array(capacity).fill(-1);
    this.afterStart = new Int16Array(capacity);
    this.afterEnd = new Int16Array(capacity);
    this.lastUri = new Int16Array(capacity);
    this.current[EMPTY] = EMPTY;
    this.prefix[EMPTY] = EMPTY;
    this.local[EMPTY] = EMPTY;
    this.#decoder = decoder;
  }

  /** The entry for bytes src[s..e), added if new. `at` is the document offset for errors. */
  intern(src: Uint8Array, s: number, e: number, at: number): number {
    const n = e - s;
    if (n === 0) return EMPTY;
    const A = this.arena;
    const O = this.offset;
    const L = this.length;
    const T = this.#slots;
    const mask = this.#mask;
    let h = hash(src, s, n) & mask;
    for (;;) {
      const id = T[h] - 1;
      if (id < 0) return this.#insert(src, s, e, h, at);
      if (L[id] === n) {
        const o = O[id] - s;
        let k = s;
        while (k < e && A[o + k] === src[k]) k++;
        if (k === e) return id;
      }
      h = (h + 1) & mask;
    }
  }

  #insert(src: Uint8Array, s: number, e: number, h: number, at: number): number {
    const id = this.#count;
    const n = e - s;
    const o = this.#top;
    if (id >= this.#capacity || o + n > this.arena.length) {
      throw new XmlError("limit-names", at, `more distinct names than the table holds (${this.#capacity} names, ${this.arena.length} bytes)`);
    }
    const A = this.arena;
    let high = 0;
    for (let k = 0; k < n; k++) {
      const c = src[s + k];
      A[o + k] = c;
      high |= c;
    }
    this.offset[id] = o;
    this.length[id] = n;
    this.prefix[id] = UNSPLIT;
    this.local[id] = UNSPLIT;
    this.current[id] = -1;
    this.afterStart[id] = 0;
    this.afterEnd[id] = 0;
    this.lastUri[id] = 0;
    let str: string | undefined;
    if (high >= 0x80) {
      try {
        str = this.#decoder.decode(A.subarray(o, o + n));
      } catch {
        throw new XmlError("encoding", at, "invalid UTF-8 in a name");
      }
    }
    this.strings[id] = str;
    this.#slots[h] = id + 1;
    this.#count = id + 1;
    this.#top = o + n;
    return id;
  }

  /** Adds a string as a permanent entry whose string is that very object. */
  add(name: string, bytes: Uint8Array): number {
    const id = this.intern(bytes, 0, bytes.length, 0);
    if (id !== EMPTY) this.strings[id] = name;
    return id;
  }

  /** The entry's string, decoded once. */
  string(id: number): string {
    let s = this.strings[id];
    if (s === undefined) {
      const o = this.offset[id];
      s = this.#decoder.decode(this.arena.subarray(o, o + this.length[id]));
      this.strings[id] = s;
    }
    return s as string;
  }

  /** Splits a qualified name into prefix and local entries (once) and decodes the local name; returns the
      prefix entry. Throws "namespace" if it is not a QName. */
  split(id: number, at: number): number {
    const A = this.arena;
    const o = this.offset[id];
    const end = o + this.length[id];
    let colon = -1;
    for (let k = o; k < end; k++) {
      if (A[k] === 0x3a) {
        if (colon >= 0) throw new XmlError("namespace", at, `"${this.string(id)}" has more than one colon`);
        colon = k;
      }
    }
    if (colon < 0) {
      this.string(id);
      this.prefix[id] = EMPTY;
      this.local[id] = id;
      return EMPTY;
    }
    if (colon === o || colon === end - 1) throw new XmlError("namespace", at, `"${this.string(id)}" is not a qualified name`);
    const p = this.intern(A, o, colon, at);
    const l = this.intern(this.arena, colon + 1, end, at);
    this.string(l);
    this.prefix[id] = p;
    this.local[id] = l;
    return p;
  }

  /** True if the entry's bytes can be matched against raw attribute-value bytes (no '&', '<', quotes, controls). */
  plain(id: number, stop: Uint8Array): boolean {
    const A = this.arena;
    const end = this.offset[id] + this.length[id];
    for (let k = this.offset[id]; k < end; k++) if (stop[A[k]] !== 0) return false;
    return true;
  }

  /** Makes every current entry permanent: drop() keeps them. */
  fix(): void {
    this.#fixedCount = this.#count;
    this.#fixedTop = this.#top;
  }

  /** Forgets the entries added since fix(), so a document cannot fill the table for the next. */
  drop(): void {
    const fixed = this.#fixedCount;
    // Later entries sit in slots that were free when fix() ran, so clearing them restores that table.
    const T = this.#slots;
    const mask = this.#mask;
    for (let id = fixed; id < this.#count; id++) {
      let h = hash(this.arena, this.offset[id], this.length[id]) & mask;
      while (T[h] !== id + 1) h = (h + 1) & mask;
      T[h] = 0;
    }
    for (let id = 1; id < fixed; id++) {
      if (this.prefix[id] >= fixed || this.local[id] >= fixed) {
        this.prefix[id] = UNSPLIT;
        this.local[id] = UNSPLIT;
      }
      if (this.afterStart[id] >= fixed) this.afterStart[id] = 0;
      if (this.afterEnd[id] >= fixed) this.afterEnd[id] = 0;
      if (this.lastUri[id] >= fixed) this.lastUri[id] = 0;
    }
    this.afterStart[EMPTY] = 0;
    this.afterEnd[EMPTY] = 0;
    this.strings.length = fixed;
    this.#count = fixed;
    this.#top = this.#fixedTop;
  }
}
