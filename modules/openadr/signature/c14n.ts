// Streaming inclusive Canonical XML 1.0 (without comments) of chosen elements, fed by the XML reader's
// raw-byte tap (XmlHandler.raw) and written into digests as it goes: nothing of the document is kept
// but the start tag being read and the namespace declarations in scope. An element is chosen by name at
// a given depth (ds:SignedInfo) or by the value of its Id attribute (local name Id, ID or id, in any
// namespace: oadr:Id="oadrSignedObject", Id="prop"); it is canonicalised as a document subset apex:
// every namespace in scope goes on it (those it inherits included), and the xml:* attributes of its
// ancestors. Below it, a namespace declaration is rendered only where it changes the value in scope.
// Also: attributes sorted (namespace URI, then local name) after the namespace declarations (sorted by
// prefix), empty elements expanded, attribute values normalised (whitespace → space) and re-escaped,
// entity and character references resolved, CR LF / CR → LF, CDATA turned into escaped text, comments
// dropped, processing instructions kept, whitespace inside tags normalised.
//
// The reader has already checked well-formedness (and throws before passing malformed bytes on), so this
// scanner trusts the syntax; it only guards its own bounds. It records the expanded names of the root and
// of its children so that a verifier can pin what a reference points at (signature wrapping).
// Leaves out: exclusive C14N, C14N 1.1, the WithComments variant, XPath filtering, DTD attribute defaults
// (the reader rejects DTDs).
//
// Scanner states (per document; depth-0 bytes — prolog, epilog — are never looked at):
//
//   state      | on                      | next
//   -----------+-------------------------+-----------------------------------------------
//   text       | '<'                     | lt           (text bytes go out, escaped, when capturing)
//   text       | '&'                     | entity → text
//   lt         | '/' / '!' / '?' / other | end / bang / pi-target / start
//   start      | '>' outside quotes      | text         (tag parsed, namespaces bound, rendered)
//   end        | '>'                     | text         (bindings of the element dropped)
//   bang       | '-' / '['               | comment / cdata-open → cdata
//   comment    | "-->"                   | text
//   cdata      | "]]>"                   | text
//   pi-target  | space / '?'             | pi-space → pi-data → text at "?>"

export interface DigestTarget {
  /** Canonical bytes (a view, valid only during the call). */
  update(bytes: Uint8Array): void;
}

export interface C14nLimits {
  /** Bytes of one start tag as written (default 1024). */
  tagBytes: number;
  /** Attributes on one element, namespace declarations included (default 16). */
  attributes: number;
  /** Bytes of namespace prefixes and URIs (and ancestors' xml:* attributes) in scope (default 1024). */
  namespaceBytes: number;
  /** Namespace declarations (and xml:* attributes) in scope (default 32). */
  bindings: number;
  /** Output buffer: canonical bytes go to the digests in pieces of this size (default 512). */
  outputBytes: number;
}

export const C14N_LIMITS: Readonly<C14nLimits> = Object.freeze({ tagBytes: 1024, attributes: 16, namespaceBytes: 1024, bindings: 32, outputBytes: 512 });

/** What was captured for one request. */
export interface Capture {
  readonly target: DigestTarget;
  /** Times an element matched (an Id seen twice is 2). */
  count: number;
  /** Depth of the (first) matching element, 0 if none. */
  depth: number;
  /** Its namespace URI and local name. */
  ns: string;
  local: string;
  /** Its end tag has been written. */
  done: boolean;
}

const MAX_CAPTURES = 6;
const MAX_CHILDREN = 4;

// states
const T_TEXT = 0;
const T_LT = 1;
const T_START = 2;
const T_END = 3;
const T_ENTITY = 4;
const T_BANG = 5;
const T_COMMENT = 6;
const T_CDATA_OPEN = 7;
const T_CDATA = 8;
const T_PI_TARGET = 9;
const T_PI_SPACE = 10;
const T_PI_DATA = 11;
const T_FAILED = 12;

// capture states
const C_ARMED = 0;
const C_ACTIVE = 1;
const C_DONE = 2;

const XML_NS = "http://www.w3.org/XML/1998/namespace";
const SPACE = 0x20, TAB = 0x09, LF = 0x0a, CR = 0x0d, AMP = 0x26, LT = 0x3c, GT = 0x3e, QUOT = 0x22, APOS = 0x27;
const SLASH = 0x2f, COLON = 0x3a, EQUALS = 0x3d, SEMI = 0x3b, HASH = 0x23, QUESTION = 0x3f, BANG = 0x21, DASH = 0x2d;
const LSQB = 0x5b, RSQB = 0x5d;

function asciiTable(chars: readonly number[]): Uint8Array {
  const t = new Uint8Array(256);
  for (const c of chars) t[c] = 1;
  return t;
}
/** Text bytes that need more than a copy. */
const TEXT_SPECIAL = asciiTable([AMP, LT, GT, CR]);
/** CDATA bytes that need more than a copy. */
const CDATA_SPECIAL = asciiTable([AMP, LT, GT, CR, RSQB]);
const WHITE = asciiTable([SPACE, TAB, LF, CR]);

function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
const XMLNS = ascii("xmlns");
const XML = ascii("xml");
const XML_NS_BYTES = ascii(XML_NS);
const AMP_ESC = ascii("&amp;");
const LT_ESC = ascii("&lt;");
const GT_ESC = ascii("&gt;");
const QUOT_ESC = ascii("&quot;");
const CR_ESC = ascii("&#xD;");
const TAB_ESC = ascii("&#x9;");
const LF_ESC = ascii("&#xA;");

/** Id, ID or id: the attribute names a same-document reference (URI="#…") may point at. */
function isIdName(t: Uint8Array, s: number, e: number): boolean {
  if (e - s !== 2) return false;
  const a = t[s], b = t[s + 1];
  return (a === 0x49 && (b === 0x64 || b === 0x44)) || (a === 0x69 && b === 0x64);
}

let textDecoder: { decode(bytes: Uint8Array): string } | undefined;
function decode(bytes: Uint8Array): string {
  if (textDecoder === undefined) textDecoder = new TextDecoder();
  return textDecoder.decode(bytes);
}

/** UTF-8 bytes of a string (short strings: names, ids). */
function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

function same(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): boolean {
  if (ae - as !== be - bs) return false;
  for (let i = 0; i < ae - as; i++) if (a[as + i] !== b[bs + i]) return false;
  return true;
}

/** Byte-wise (= code point) order of two ranges. */
function order(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  const n = Math.min(ae - as, be - bs);
  for (let i = 0; i < n; i++) {
    const d = a[as + i] - b[bs + i];
    if (d !== 0) return d;
  }
  return ae - as - (be - bs);
}

/** Writes code point c as UTF-8; returns the new end. */
function putUtf8(to: Uint8Array, at: number, c: number): number {
  if (c < 0x80) to[at++] = c;
  else if (c < 0x800) { to[at++] = 0xc0 | (c >> 6); to[at++] = 0x80 | (c & 63); }
  else if (c < 0x10000) { to[at++] = 0xe0 | (c >> 12); to[at++] = 0x80 | ((c >> 6) & 63); to[at++] = 0x80 | (c & 63); }
  else { to[at++] = 0xf0 | (c >> 18); to[at++] = 0x80 | ((c >> 12) & 63); to[at++] = 0x80 | ((c >> 6) & 63); to[at++] = 0x80 | (c & 63); }
  return at;
}

/** The code point of an entity or character reference name (bytes between '&' and ';'), or -1. */
function entityValue(e: Uint8Array, n: number): number {
  if (n >= 2 && e[0] === HASH) {
    let v = 0;
    if (e[1] === 0x78) {
      if (n < 3) return -1;
      for (let i = 2; i < n; i++) {
        const d = e[i];
        const h = d >= 0x30 && d <= 0x39 ? d - 0x30 : d >= 0x61 && d <= 0x66 ? d - 0x57 : d >= 0x41 && d <= 0x46 ? d - 0x37 : -1;
        if (h < 0 || v > 0x10ffff) return -1;
        v = v * 16 + h;
      }
    } else {
      for (let i = 1; i < n; i++) {
        const d = e[i];
        if (d < 0x30 || d > 0x39 || v > 0x10ffff) return -1;
        v = v * 10 + d - 0x30;
      }
    }
    return v > 0x10ffff ? -1 : v;
  }
  if (n === 2 && e[1] === 0x74) return e[0] === 0x6c ? LT : e[0] === 0x67 ? GT : -1;
  if (n === 3 && e[0] === 0x61 && e[1] === 0x6d && e[2] === 0x70) return AMP;
  if (n === 4 && e[0] === 0x71 && e[1] === 0x75 && e[2] === 0x6f && e[3] === 0x74) return QUOT;
  if (n === 4 && e[0] === 0x61 && e[1] === 0x70 && e[2] === 0x6f && e[3] === 0x73) return APOS;
  return -1;
}

class Request {
  readonly capture: Capture;
  /** 0: by element name at a depth, 1: by Id value. */
  readonly kind: number;
  readonly name: Uint8Array; // local name (kind 0) or Id value (kind 1)
  readonly ns: Uint8Array; // kind 0
  readonly at: number; // kind 0: depth
  state = C_ARMED;
  constructor(kind: number, name: Uint8Array, ns: Uint8Array, at: number, target: DigestTarget) {
    this.kind = kind;
    this.name = name;
    this.ns = ns;
    this.at = at;
    this.capture = { target, count: 0, depth: 0, ns: "", local: "", done: false };
  }
}

/** The scanner; plain properties (see the facade below). */
class Core {
  // limits
  readonly tagMax: number;
  readonly attrMax: number;
  readonly arenaMax: number;
  readonly bindMax: number;
  // output
  readonly out: Uint8Array;
  n = 0;
  readonly active: Request[] = [];
  // requests
  readonly requests: Request[] = [];
  // scanner
  state = T_TEXT;
  crPending = false;
  quote = 0;
  readonly tag: Uint8Array;
  tl = 0;
  readonly entity = new Uint8Array(12);
  el = 0;
  entityOverflow = false;
  dashes = 0;
  brackets = 0;
  openLeft = 0;
  piData = false;
  depth = 0;
  error: string | undefined = undefined;
  // attributes of the tag being processed (indexes into tag)
  readonly aName: Int32Array; // qname start
  readonly aNameEnd: Int32Array;
  readonly aColon: Int32Array; // -1 when unprefixed
  readonly aValue: Int32Array;
  readonly aValueEnd: Int32Array;
  readonly aKind: Uint8Array; // 0 attribute, 1 xmlns, 2 xmlns:p, 3 xml:*
  readonly aNs: Int32Array; // attribute: binding index of its namespace, -1 none, -2 xml
  readonly aShow: Uint8Array; // declaration rendered below the apex
  readonly sorted: Int32Array;
  na = 0;
  // bindings: prefix (or xml:* local name) and value in the arena
  readonly arena: Uint8Array;
  arenaTop = 0;
  readonly bKind: Uint8Array; // 0 namespace, 1 xml:* attribute
  readonly bPrefix: Int32Array;
  readonly bPrefixEnd: Int32Array;
  readonly bValueEnd: Int32Array;
  readonly bDepth: Int32Array;
  bTop = 0;
  // scratch for the apex
  readonly pick: Int32Array;
  // structure
  root = "";
  readonly children: string[] = [];
  childCount = 0;
  anyArmed = false;

  constructor(limits: C14nLimits) {
    this.tagMax = limits.tagBytes;
    this.attrMax = limits.attributes;
    this.arenaMax = limits.namespaceBytes;
    this.bindMax = limits.bindings;
    this.out = new Uint8Array(limits.outputBytes);
    this.tag = new Uint8Array(limits.tagBytes + 8);
    const a = limits.attributes + limits.bindings; // room for inherited xml:* attributes
    this.aName = new Int32Array(a);
    this.aNameEnd = new Int32Array(a);
    this.aColon = new Int32Array(a);
    this.aValue = new Int32Array(a);
    this.aValueEnd = new Int32Array(a);
    this.aKind = new Uint8Array(a);
    this.aNs = new Int32Array(a);
    this.aShow = new Uint8Array(a);
    this.sorted = new Int32Array(a);
    this.arena = new Uint8Array(limits.namespaceBytes);
    this.bKind = new Uint8Array(limits.bindings);
    this.bPrefix = new Int32Array(limits.bindings);
    this.bPrefixEnd = new Int32Array(limits.bindings);
    this.bValueEnd = new Int32Array(limits.bindings);
    this.bDepth = new Int32Array(limits.bindings);
    this.pick = new Int32Array(limits.bindings);
  }

  fail(message: string): void {
    if (this.error === undefined) this.error = message;
    this.state = T_FAILED;
    this.active.length = 0;
    this.n = 0;
  }

  // ------------------------------------------------------------ output

  flush(): void {
    const n = this.n;
    if (n === 0) return;
    this.n = 0;
    const view = this.out.subarray(0, n);
    const active = this.active;
    for (let k = 0; k < active.length; k++) active[k].capture.target.update(view);
  }

  put(c: number): void {
    if (this.n === this.out.length) this.flush();
    this.out[this.n++] = c;
  }

  putRange(src: Uint8Array, s: number, e: number): void {
    const out = this.out;
    for (let i = s; i < e; i++) {
      if (this.n === out.length) this.flush();
      out[this.n++] = src[i];
    }
  }

  putAll(src: Uint8Array): void {
    this.putRange(src, 0, src.length);
  }

  /** An attribute value, escaped as C14N says: & < " TAB LF CR. */
  putValue(src: Uint8Array, s: number, e: number): void {
    for (let i = s; i < e; i++) {
      const c = src[i];
      if (c === AMP) this.putAll(AMP_ESC);
      else if (c === LT) this.putAll(LT_ESC);
      else if (c === QUOT) this.putAll(QUOT_ESC);
      else if (c === TAB) this.putAll(TAB_ESC);
      else if (c === LF) this.putAll(LF_ESC);
      else if (c === CR) this.putAll(CR_ESC);
      else this.put(c);
    }
  }

  /** A character of text (from a reference or CDATA), escaped as C14N says: & < > CR. */
  putTextChar(c: number): void {
    if (c === AMP) this.putAll(AMP_ESC);
    else if (c === LT) this.putAll(LT_ESC);
    else if (c === GT) this.putAll(GT_ESC);
    else if (c === CR) this.putAll(CR_ESC);
    else if (c < 0x80) this.put(c);
    else {
      if (this.out.length - this.n < 4) this.flush();
      this.n = putUtf8(this.out, this.n, c);
    }
  }

  // ------------------------------------------------------------ scanning

  write(b: Uint8Array, start: number, end: number): void {
    let i = start;
    let state = this.state;
    while (i < end) {
      if (state === T_TEXT) {
        if (this.active.length === 0) {
          // not capturing: only markup matters
          while (i < end && b[i] !== LT) i++;
          if (i === end) break;
          i++;
          state = T_LT;
        } else {
          if (this.crPending) {
            this.crPending = false;
            if (b[i] === LF) {
              i++;
              continue;
            }
          }
          const out = this.out;
          let n = this.n;
          const max = out.length;
          let c = 0;
          while (i < end) {
            c = b[i];
            if (TEXT_SPECIAL[c] !== 0) break;
            if (n === max) {
              this.n = n;
              this.flush();
              n = 0;
            }
            out[n++] = c;
            i++;
          }
          this.n = n;
          if (i === end) break;
          i++;
          if (c === LT) state = T_LT;
          else if (c === AMP) {
            state = T_ENTITY;
            this.el = 0;
            this.entityOverflow = false;
          } else if (c === GT) this.putAll(GT_ESC);
          else {
            // CR: a line end (CR LF and lone CR both become LF)
            this.put(LF);
            if (i < end) {
              if (b[i] === LF) i++;
            } else this.crPending = true;
          }
        }
      } else if (state === T_START) {
        const tag = this.tag;
        let tl = this.tl;
        let quote = this.quote;
        let c = 0;
        let closed = false;
        while (i < end) {
          c = b[i++];
          if (quote !== 0) {
            if (c === quote) quote = 0;
          } else if (c === GT) {
            closed = true;
            break;
          } else if (c === QUOT || c === APOS) quote = c;
          if (tl === this.tagMax) {
            this.tl = tl;
            this.fail(`start tag longer than ${this.tagMax} bytes`);
            return;
          }
          tag[tl++] = c;
        }
        this.tl = tl;
        this.quote = quote;
        if (closed) {
          const empty = tl > 0 && tag[tl - 1] === SLASH;
          if (empty) this.tl = tl - 1;
          this.startTag(empty);
          if (this.error !== undefined) return;
          this.tl = 0;
          state = T_TEXT;
        }
      } else if (state === T_LT) {
        const c = b[i];
        if (c === SLASH) {
          i++;
          state = T_END;
          this.tl = 0;
        } else if (c === BANG) {
          i++;
          state = T_BANG;
        } else if (c === QUESTION) {
          i++;
          state = T_PI_TARGET;
          this.piData = false;
          if (this.active.length !== 0) {
            this.put(LT);
            this.put(QUESTION);
          }
        } else {
          state = T_START;
          this.tl = 0;
          this.quote = 0;
        }
      } else if (state === T_END) {
        let c = 0;
        while (i < end) {
          c = b[i++];
          if (c === GT) break;
          if (WHITE[c] === 0) {
            if (this.tl === this.tagMax) {
              this.fail(`end tag longer than ${this.tagMax} bytes`);
              return;
            }
            this.tag[this.tl++] = c;
          }
        }
        if (c === GT) {
          this.endTag();
          state = T_TEXT;
        }
      } else {
        // rare states
        const c = b[i++];
        switch (state) {
          case T_ENTITY:
            if (c === SEMI) {
              const v = this.entityOverflow ? -1 : entityValue(this.entity, this.el);
              if (v < 0) {
                this.fail("malformed reference in text");
                return;
              }
              this.putTextChar(v);
              state = T_TEXT;
            } else if (this.el < this.entity.length) this.entity[this.el++] = c;
            else this.entityOverflow = true;
            break;
          case T_BANG:
            if (c === DASH) {
              state = T_COMMENT;
              this.dashes = -1; // the second dash of "<!--" comes next
            } else if (c === LSQB) {
              state = T_CDATA_OPEN;
              this.openLeft = 6; // "CDATA["
            } else {
              this.fail("unexpected markup declaration");
              return;
            }
            break;
          case T_COMMENT:
            if (c === DASH) this.dashes++;
            else if (c === GT && this.dashes >= 2) state = T_TEXT;
            else this.dashes = 0;
            break;
          case T_CDATA_OPEN:
            if (--this.openLeft === 0) {
              state = T_CDATA;
              this.brackets = 0;
            }
            break;
          case T_CDATA:
            this.state = T_CDATA;
            i = this.cdata(b, i - 1, end);
            state = this.state;
            break;
          case T_PI_TARGET:
            if (c === QUESTION || WHITE[c] !== 0) {
              state = c === QUESTION ? T_PI_DATA : T_PI_SPACE;
              if (c === QUESTION) {
                this.dashes = 1; // a '?' is held
              } else this.dashes = 0;
            } else if (this.active.length !== 0) this.put(c);
            break;
          case T_PI_SPACE:
            if (WHITE[c] !== 0) break;
            state = T_PI_DATA;
            this.dashes = 0;
            i--;
            break;
          case T_PI_DATA:
            // dashes: 1 while a '?' is held back
            if (this.dashes === 1) {
              if (c === GT) {
                if (this.active.length !== 0) {
                  this.put(QUESTION);
                  this.put(GT);
                }
                state = T_TEXT;
                break;
              }
              this.piChar(QUESTION);
              this.dashes = 0;
            }
            if (c === QUESTION) this.dashes = 1;
            else if (this.crPending && c === LF) this.crPending = false;
            else {
              this.crPending = false;
              this.piChar(c === CR ? LF : c);
              if (c === CR) this.crPending = true;
            }
            break;
          default:
            // T_FAILED: ignore everything
            return;
        }
      }
    }
    this.state = state;
  }

  /** A data byte of a PI: the first one is preceded by the space that separates it from the target. */
  piChar(c: number): void {
    if (this.active.length === 0) return;
    if (!this.piData) {
      this.piData = true;
      this.put(SPACE);
    }
    this.put(c);
  }

  /** CDATA content from b[i]: escaped text; returns where it stopped (state T_TEXT after "]]>"). */
  cdata(b: Uint8Array, i: number, end: number): number {
    const capturing = this.active.length !== 0;
    while (i < end) {
      const c = b[i++];
      if (CDATA_SPECIAL[c] === 0) {
        if (this.brackets !== 0) this.releaseBrackets(capturing);
        this.crPending = false;
        if (capturing) this.put(c);
        continue;
      }
      if (c === RSQB) {
        this.crPending = false;
        if (this.brackets === 2) {
          if (capturing) this.put(RSQB);
        } else this.brackets++;
        continue;
      }
      if (c === GT && this.brackets === 2) {
        this.brackets = 0;
        this.state = T_TEXT;
        return i;
      }
      if (this.brackets !== 0) this.releaseBrackets(capturing);
      if (c === CR) {
        if (capturing) this.put(LF);
        this.crPending = true;
      } else if (c === LF && this.crPending) {
        this.crPending = false;
      } else {
        this.crPending = false;
        if (capturing) this.putTextChar(c);
      }
    }
    return i;
  }

  releaseBrackets(capturing: boolean): void {
    if (capturing) for (let k = 0; k < this.brackets; k++) this.put(RSQB);
    this.brackets = 0;
  }

  // ------------------------------------------------------------ tags

  /** The start tag in tag[0, tl) (without '<' and '>' or "/>"). */
  startTag(empty: boolean): void {
    const tag = this.tag;
    const tl = this.tl;
    const depth = this.depth + 1;
    // qualified name
    let i = 0;
    while (i < tl && WHITE[tag[i]] === 0) i++;
    const nameEnd = i;
    let colon = -1;
    for (let k = 0; k < nameEnd; k++) if (tag[k] === COLON) { colon = k; break; }
    // attributes
    let na = 0;
    for (;;) {
      while (i < tl && WHITE[tag[i]] !== 0) i++;
      if (i >= tl) break;
      if (na === this.attrMax) return this.fail(`more than ${this.attrMax} attributes on an element`);
      const s = i;
      let ac = -1;
      while (i < tl && tag[i] !== EQUALS && WHITE[tag[i]] === 0) {
        if (tag[i] === COLON && ac < 0) ac = i;
        i++;
      }
      const se = i;
      while (i < tl && tag[i] !== EQUALS) i++;
      i++;
      while (i < tl && WHITE[tag[i]] !== 0) i++;
      const q = tag[i++];
      const vs = i;
      while (i < tl && tag[i] !== q) i++;
      if (i >= tl || (q !== QUOT && q !== APOS)) return this.fail("malformed attribute");
      const ve = this.normalizeValue(vs, i);
      if (ve < 0) return this.fail("malformed reference in an attribute value");
      i++;
      this.aName[na] = s;
      this.aNameEnd[na] = se;
      this.aColon[na] = ac;
      this.aValue[na] = vs;
      this.aValueEnd[na] = ve;
      let kind = 0;
      if (ac < 0 && same(tag, s, se, XMLNS, 0, 5)) kind = 1;
      else if (ac === s + 5 && same(tag, s, ac, XMLNS, 0, 5)) kind = 2;
      else if (ac === s + 3 && same(tag, s, ac, XML, 0, 3)) kind = 3;
      this.aKind[na] = kind;
      na++;
    }
    this.na = na;
    // namespace declarations: rendered below the apex where they change the value in scope; then bound
    const mark = this.bTop;
    for (let a = 0; a < na; a++) {
      const kind = this.aKind[a];
      if (kind !== 1 && kind !== 2) continue;
      const ps = kind === 1 ? this.aName[a] : this.aColon[a] + 1;
      const pe = kind === 1 ? ps : this.aNameEnd[a];
      const vs = this.aValue[a];
      const ve = this.aValueEnd[a];
      const inScope = this.lookup(tag, ps, pe, mark);
      let show: boolean;
      if (inScope < 0) show = ve > vs; // xmlns="" where no default was declared: nothing to render
      else show = !same(this.arena, this.bPrefixEnd[inScope], this.bValueEnd[inScope], tag, vs, ve);
      if (kind === 2 && pe - ps === 3 && same(tag, ps, pe, XML, 0, 3)) show = false;
      this.aShow[a] = show ? 1 : 0;
      this.bind(0, tag, ps, pe, vs, ve, depth);
      if (this.error !== undefined) return;
    }
    for (let a = 0; a < na; a++) {
      if (this.aKind[a] !== 3) continue;
      this.bind(1, tag, this.aColon[a] + 1, this.aNameEnd[a], this.aValue[a], this.aValueEnd[a], depth);
      if (this.error !== undefined) return;
    }
    // namespaces of the element and its attributes
    const elementNs = colon < 0 ? this.lookup(tag, 0, 0, this.bTop) : this.lookup(tag, 0, colon, this.bTop);
    if (colon >= 0 && elementNs < 0) return this.fail("unbound element prefix");
    for (let a = 0; a < na; a++) {
      const kind = this.aKind[a];
      if (kind === 3) this.aNs[a] = -2;
      else if (kind === 0) {
        const ac = this.aColon[a];
        if (ac < 0) this.aNs[a] = -1;
        else {
          const b = this.lookup(tag, this.aName[a], ac, this.bTop);
          if (b < 0) return this.fail("unbound attribute prefix");
          this.aNs[a] = b;
        }
      }
    }
    this.depth = depth;
    if (depth <= 2) this.structure(depth, colon, nameEnd, elementNs);

    // which requests start here
    let starting = 0; // bit k: requests[k]
    if (this.anyArmed) {
      const requests = this.requests;
      for (let r = 0; r < requests.length; r++) {
        const q = requests[r];
        if (q.kind === 0) {
          if (q.state !== C_ARMED || q.at !== depth) continue;
          const ls = colon < 0 ? 0 : colon + 1;
          if (!same(tag, ls, nameEnd, q.name, 0, q.name.length)) continue;
          if (!this.nsIs(elementNs, q.ns)) continue;
        } else {
          let hit = false;
          for (let a = 0; a < na && !hit; a++) {
            if (this.aKind[a] !== 0) continue;
            const ls = this.aColon[a] < 0 ? this.aName[a] : this.aColon[a] + 1;
            if (isIdName(tag, ls, this.aNameEnd[a])) hit = same(tag, this.aValue[a], this.aValueEnd[a], q.name, 0, q.name.length);
          }
          if (!hit) continue;
          q.capture.count++;
          if (q.state !== C_ARMED) continue;
        }
        if (q.kind === 0) q.capture.count = 1;
        starting |= 1 << r;
      }
    }

    // render for the captures already running
    if (this.active.length !== 0) {
      this.renderStart(nameEnd, false);
      if (empty) this.renderEnd(0, nameEnd);
    }
    // and as an apex for each capture starting here
    if (starting !== 0) {
      this.flush();
      const running = this.active.slice();
      const requests = this.requests;
      for (let r = 0; r < requests.length; r++) {
        if ((starting & (1 << r)) === 0) continue;
        const q = requests[r];
        q.state = C_ACTIVE;
        q.capture.depth = depth;
        q.capture.ns = elementNs < 0 ? "" : decode(this.arena.subarray(this.bPrefixEnd[elementNs], this.bValueEnd[elementNs]));
        q.capture.local = decode(tag.subarray(colon < 0 ? 0 : colon + 1, nameEnd));
        this.active.length = 0;
        this.active.push(q);
        this.renderStart(nameEnd, true);
        if (this.error !== undefined) return;
        if (empty) this.renderEnd(0, nameEnd);
        this.flush();
        running.push(q);
      }
      this.active.length = 0;
      for (let k = 0; k < running.length; k++) this.active.push(running[k]);
      this.refreshArmed();
    }
    if (empty) this.closeElement();
  }

  /** Ends the element at this.depth: drops its bindings, finishes captures that started on it. */
  closeElement(): void {
    const depth = this.depth;
    let top = this.bTop;
    while (top > 0 && this.bDepth[top - 1] === depth) top--;
    if (top !== this.bTop) {
      this.bTop = top;
      this.arenaTop = top > 0 ? this.bValueEnd[top - 1] : 0;
    }
    const active = this.active;
    for (let k = active.length - 1; k >= 0; k--) {
      const q = active[k];
      if (q.capture.depth === depth) {
        this.flush();
        q.state = C_DONE;
        q.capture.done = true;
        active.splice(k, 1);
      }
    }
    this.depth = depth - 1;
  }

  endTag(): void {
    if (this.active.length !== 0) this.renderEnd(0, this.tl);
    this.tl = 0;
    this.closeElement();
  }

  renderEnd(s: number, e: number): void {
    this.put(LT);
    this.put(SLASH);
    this.putRange(this.tag, s, e);
    this.put(GT);
  }

  /** `<qname ns-declarations attributes>` in canonical order. */
  renderStart(nameEnd: number, apex: boolean): void {
    const tag = this.tag;
    const arena = this.arena;
    this.put(LT);
    this.putRange(tag, 0, nameEnd);
    // namespace declarations: binding indexes to render, sorted by prefix
    const pick = this.pick;
    let np = 0;
    if (apex) {
      // every namespace in scope (innermost binding of each prefix), default one only if not empty
      for (let k = this.bTop - 1; k >= 0; k--) {
        if (this.bKind[k] !== 0) continue;
        const ps = this.bPrefix[k];
        const pe = this.bPrefixEnd[k];
        let shadowed = false;
        for (let m = k + 1; m < this.bTop && !shadowed; m++) {
          if (this.bKind[m] === 0 && same(arena, this.bPrefix[m], this.bPrefixEnd[m], arena, ps, pe)) shadowed = true;
        }
        if (shadowed) continue;
        if (pe === this.bValueEnd[k]) continue; // xmlns="" (empty default)
        if (pe - ps === 3 && same(arena, ps, pe, XML, 0, 3)) continue;
        pick[np++] = k;
      }
    } else {
      // the declarations of this element that change the value in scope: its bindings with aShow set
      let b = this.bTop;
      while (b > 0 && this.bDepth[b - 1] === this.depth) b--;
      for (let a = 0; a < this.na; a++) {
        const kind = this.aKind[a];
        if (kind !== 1 && kind !== 2) continue;
        if (this.aShow[a] !== 0) pick[np++] = b;
        b++;
      }
    }
    // insertion sort by prefix
    for (let x = 1; x < np; x++) {
      const v = pick[x];
      let y = x - 1;
      while (y >= 0 && order(arena, this.bPrefix[pick[y]], this.bPrefixEnd[pick[y]], arena, this.bPrefix[v], this.bPrefixEnd[v]) > 0) {
        pick[y + 1] = pick[y];
        y--;
      }
      pick[y + 1] = v;
    }
    for (let x = 0; x < np; x++) {
      const k = pick[x];
      const ps = this.bPrefix[k];
      const pe = this.bPrefixEnd[k];
      this.put(SPACE);
      this.putAll(XMLNS);
      if (pe > ps) {
        this.put(COLON);
        this.putRange(arena, ps, pe);
      }
      this.put(EQUALS);
      this.put(QUOT);
      this.putValue(arena, pe, this.bValueEnd[k]);
      this.put(QUOT);
    }
    // attributes (xml:* of the ancestors added at the apex), sorted by namespace URI then local name
    const ord = this.sorted;
    let no = 0;
    for (let a = 0; a < this.na; a++) {
      const kind = this.aKind[a];
      if (kind === 0 || kind === 3) ord[no++] = a;
    }
    let inherited = 0;
    if (apex) inherited = this.inheritXml(no);
    if (this.error !== undefined) return;
    no += inherited;
    for (let x = 1; x < no; x++) {
      const v = ord[x];
      let y = x - 1;
      while (y >= 0 && this.compareAttributes(ord[y], v) > 0) {
        ord[y + 1] = ord[y];
        y--;
      }
      ord[y + 1] = v;
    }
    for (let x = 0; x < no; x++) {
      const a = ord[x];
      this.put(SPACE);
      if (a >= this.attrMax) {
        // inherited xml:* attribute: binding index stored in aNs
        const k = this.aNs[a];
        this.putAll(XML);
        this.put(COLON);
        this.putRange(arena, this.bPrefix[k], this.bPrefixEnd[k]);
        this.put(EQUALS);
        this.put(QUOT);
        this.putValue(arena, this.bPrefixEnd[k], this.bValueEnd[k]);
      } else {
        this.putRange(tag, this.aName[a], this.aNameEnd[a]);
        this.put(EQUALS);
        this.put(QUOT);
        this.putValue(tag, this.aValue[a], this.aValueEnd[a]);
      }
      this.put(QUOT);
    }
    this.put(GT);
  }

  /** Adds the ancestors' xml:* attributes the apex does not carry itself, after ord[0, no); returns how many. */
  inheritXml(no: number): number {
    const tag = this.tag;
    const arena = this.arena;
    let added = 0;
    for (let k = this.bTop - 1; k >= 0; k--) {
      if (this.bKind[k] !== 1 || this.bDepth[k] === this.depth) continue;
      const ls = this.bPrefix[k];
      const le = this.bPrefixEnd[k];
      let known = false;
      for (let a = 0; a < this.na && !known; a++) {
        if (this.aKind[a] === 3 && same(tag, this.aColon[a] + 1, this.aNameEnd[a], arena, ls, le)) known = true;
      }
      for (let m = k + 1; m < this.bTop && !known; m++) {
        if (this.bKind[m] === 1 && same(arena, this.bPrefix[m], this.bPrefixEnd[m], arena, ls, le)) known = true;
      }
      if (known) continue;
      const slot = this.attrMax + added;
      if (slot >= this.aNs.length) {
        this.fail("too many inherited xml:* attributes");
        return 0;
      }
      this.aNs[slot] = k;
      this.sorted[no + added] = slot;
      added++;
    }
    return added;
  }

  /** Attribute order: namespace URI ("" first), then local name. */
  compareAttributes(a: number, b: number): number {
    this.rangeNs(a);
    const as = this.rs, ae = this.re, asrc = this.rsrc;
    this.rangeNs(b);
    const d = order(asrc, as, ae, this.rsrc, this.rs, this.re);
    if (d !== 0) return d;
    this.rangeLocal(a);
    const ls = this.rs, le = this.re, lsrc = this.rsrc;
    this.rangeLocal(b);
    return order(lsrc, ls, le, this.rsrc, this.rs, this.re);
  }

  // the range rangeNs/rangeLocal found
  rs = 0;
  re = 0;
  rsrc: Uint8Array = XML_NS_BYTES;

  rangeNs(a: number): void {
    const k = a >= this.attrMax ? -2 : this.aNs[a];
    if (k < 0) {
      this.rsrc = XML_NS_BYTES;
      this.rs = 0;
      this.re = k === -1 ? 0 : XML_NS_BYTES.length;
    } else {
      this.rsrc = this.arena;
      this.rs = this.bPrefixEnd[k];
      this.re = this.bValueEnd[k];
    }
  }

  rangeLocal(a: number): void {
    if (a >= this.attrMax) {
      const k = this.aNs[a];
      this.rsrc = this.arena;
      this.rs = this.bPrefix[k];
      this.re = this.bPrefixEnd[k];
    } else {
      const c = this.aColon[a];
      this.rsrc = this.tag;
      this.rs = c < 0 ? this.aName[a] : c + 1;
      this.re = this.aNameEnd[a];
    }
  }

  /** Normalises an attribute value in place (references resolved, whitespace → space); returns its new end, or -1. */
  normalizeValue(s: number, e: number): number {
    const t = this.tag;
    let w = s;
    let i = s;
    while (i < e) {
      const c = t[i++];
      if (c === AMP) {
        let j = i;
        while (j < e && t[j] !== SEMI) j++;
        if (j >= e || j - i > 12) return -1;
        const v = entityValue(t.subarray(i, j), j - i);
        if (v < 0) return -1;
        w = putUtf8(t, w, v);
        i = j + 1;
      } else if (c === CR) {
        t[w++] = SPACE;
        if (i < e && t[i] === LF) i++;
      } else if (c === TAB || c === LF) {
        t[w++] = SPACE;
      } else {
        t[w++] = c;
      }
    }
    return w;
  }

  // ------------------------------------------------------------ bindings

  bind(kind: number, src: Uint8Array, ps: number, pe: number, vs: number, ve: number, depth: number): void {
    const top = this.bTop;
    if (top === this.bindMax) return this.fail(`more than ${this.bindMax} namespace declarations in scope`);
    const need = pe - ps + ve - vs;
    if (this.arenaTop + need > this.arenaMax) return this.fail(`namespace declarations in scope exceed ${this.arenaMax} bytes`);
    const arena = this.arena;
    let at = this.arenaTop;
    this.bPrefix[top] = at;
    for (let i = ps; i < pe; i++) arena[at++] = src[i];
    this.bPrefixEnd[top] = at;
    for (let i = vs; i < ve; i++) arena[at++] = src[i];
    this.bValueEnd[top] = at;
    this.bKind[top] = kind;
    this.bDepth[top] = depth;
    this.arenaTop = at;
    this.bTop = top + 1;
  }

  /** Innermost namespace binding of prefix src[s, e) among bindings[0, below); -1 when unbound (the xml prefix: -1 too). */
  lookup(src: Uint8Array, s: number, e: number, below: number): number {
    const arena = this.arena;
    for (let k = below - 1; k >= 0; k--) {
      if (this.bKind[k] === 0 && same(arena, this.bPrefix[k], this.bPrefixEnd[k], src, s, e)) return k;
    }
    return -1;
  }

  nsIs(binding: number, ns: Uint8Array): boolean {
    if (binding < 0) return ns.length === 0;
    return same(this.arena, this.bPrefixEnd[binding], this.bValueEnd[binding], ns, 0, ns.length);
  }

  refreshArmed(): void {
    let any = false;
    for (let r = 0; r < this.requests.length; r++) {
      const q = this.requests[r];
      if (q.state === C_ARMED || q.kind === 1) any = true;
    }
    this.anyArmed = any;
  }

  /** Records the expanded names of the root and its children. */
  structure(depth: number, colon: number, nameEnd: number, elementNs: number): void {
    const ns = elementNs < 0 ? "" : decode(this.arena.subarray(this.bPrefixEnd[elementNs], this.bValueEnd[elementNs]));
    const name = `{${ns}}${decode(this.tag.subarray(colon < 0 ? 0 : colon + 1, nameEnd))}`;
    if (depth === 1) this.root = name;
    else {
      if (this.childCount < MAX_CHILDREN) this.children.push(name);
      this.childCount++;
    }
  }
}

/** Streaming inclusive C14N 1.0 of chosen elements into digests. One per document at a time; reset() between. */
export class C14nStream {
  readonly #core: Core;
  readonly #limits: C14nLimits;

  constructor(limits: Partial<C14nLimits> = {}) {
    const l = { ...C14N_LIMITS };
    for (const key of Object.keys(C14N_LIMITS) as (keyof C14nLimits)[]) {
      const v = limits[key];
      if (v === undefined) continue;
      if (typeof v !== "number" || !Number.isInteger(v) || v < 16 || v > 0x100000) throw new RangeError(`c14n limits.${key} must be an integer in [16, 1048576]`);
      l[key] = v;
    }
    this.#limits = l;
    this.#core = new Core(l);
  }

  /** XmlHandler.raw: the document's bytes in order with their element depth (depth 0 is skipped). */
  write(bytes: Uint8Array, depth: number): void {
    if (depth === 0) return;
    const core = this.#core;
    if (core.state === T_FAILED) return;
    core.write(bytes, 0, bytes.length);
  }

  /** Ends the document: flushes, and tells whether a capture is still open. */
  end(): void {
    const core = this.#core;
    core.flush();
    if (core.error === undefined && core.active.length !== 0) core.fail("document ended inside a canonicalised element");
  }

  /** Forgets the document and every request. */
  reset(): void {
    const core = this.#core;
    core.state = T_TEXT;
    core.crPending = false;
    core.tl = 0;
    core.n = 0;
    core.depth = 0;
    core.bTop = 0;
    core.arenaTop = 0;
    core.error = undefined;
    core.active.length = 0;
    core.requests.length = 0;
    core.anyArmed = false;
    core.root = "";
    core.children.length = 0;
    core.childCount = 0;
  }

  /** Canonicalises the next element at `depth` named {ns}local (with its content) into `target`. */
  captureElement(depth: number, ns: string, local: string, target: DigestTarget): Capture {
    return this.#request(0, utf8(local), utf8(ns), depth, target);
  }

  /** Canonicalises the element whose Id (or ID, id) attribute is `id` into `target`; counts every match. */
  captureId(id: string, target: DigestTarget): Capture {
    return this.#request(1, utf8(id), new Uint8Array(0), 0, target);
  }

  #request(kind: number, name: Uint8Array, ns: Uint8Array, at: number, target: DigestTarget): Capture {
    const core = this.#core;
    if (core.requests.length === MAX_CAPTURES) throw new RangeError(`at most ${MAX_CAPTURES} captures per document`);
    if (typeof target?.update !== "function") throw new TypeError("target must have update(bytes)");
    const q = new Request(kind, name, ns, at, target);
    core.requests.push(q);
    core.anyArmed = true;
    return q.capture;
  }

  /** Why canonicalisation stopped (a bound exceeded, bytes it could not read), or undefined. */
  get error(): string | undefined {
    return this.#core.error;
  }

  /** Elements open at the last byte written. */
  get depth(): number {
    return this.#core.depth;
  }

  /** "{ns}local" of the root element ("" before it starts). */
  get root(): string {
    return this.#core.root;
  }

  /** "{ns}local" of the root's first children (at most 4) and how many there are. */
  get children(): readonly string[] {
    return this.#core.children;
  }

  get childCount(): number {
    return this.#core.childCount;
  }

  get limits(): Readonly<C14nLimits> {
    return this.#limits;
  }
}
