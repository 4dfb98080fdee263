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
//
// Most of a document is "<name>" and "</name>" seen whole in one piece of the tap: right after the '<'
// these are copied (when capturing) and counted in one pass, without going through lt/start/end.

export interface DigestTarget {
  /** Canonical bytes (a view, valid only during the call). */
  update(bytes: Uint8Array): void;
}

export interface C14nLimits {
  /** Bytes of one start tag as written (default 640). */
  tagBytes: number;
  /** Attributes on one element, namespace declarations included (default 16). */
  attributes: number;
  /** Bytes of namespace prefixes and URIs (and ancestors' xml:* attributes) in scope (default 512). */
  namespaceBytes: number;
  /** Namespace declarations (and xml:* attributes) in scope (default 16). */
  bindings: number;
  /** Output buffer: canonical bytes go to the digests in pieces of this size (default 512). */
  outputBytes: number;
}

export const C14N_LIMITS: Readonly<C14nLimits> = Object.freeze({ tagBytes: 640, attributes: 16, namespaceBytes: 512, bindings: 16, outputBytes: 512 });

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
/** Bytes of the names and Id values the requests look for, together. */
const REQUEST_BYTES = 256;
/** Longest name the one-pass tag copy handles (longer ones take the general path). */
const SHORT_TAG = 64;
/** Inherited xml:* attributes an apex can take. */
const XML_INHERITED = 4;
// attribute record fields (stride A): qname start/end, colon (-1 none), value start/end, kind, namespace binding, shown
const A = 8, A_NAME = 0, A_NAME_END = 1, A_COLON = 2, A_VALUE = 3, A_VALUE_END = 4, A_KIND = 5, A_NS = 6, A_SHOW = 7;
// binding record fields (stride B): kind (0 namespace, 1 xml:* attribute), prefix start/end, value end, depth
const B = 5, B_KIND = 0, B_PREFIX = 1, B_PREFIX_END = 2, B_VALUE_END = 3, B_DEPTH = 4;

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
/** Start-tag bytes that need a look: the end, quotes, whitespace (a tag without any is a bare name). */
const TAG_SPECIAL = asciiTable([GT, QUOT, APOS, SPACE, TAB, LF, CR]);
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

type Slot = { -readonly [K in keyof Capture]: Capture[K] };

/** The scanner; plain properties (see the facade below). Every buffer is allocated here, once. */
class Core {
  // limits
  readonly tagMax: number;
  readonly attrMax: number;
  readonly arenaMax: number;
  readonly bindMax: number;
  // output, and the requests it goes to
  readonly out: Uint8Array;
  n = 0;
  readonly active: Int8Array; // request indexes
  nActive = 0;
  /** Bit d: a running capture started at depth d (depths ≥ 31 share bit 31). */
  activeDepths = 0;
  // requests (a fixed pool, reused per document)
  readonly captures: Slot[] = [];
  readonly rKind = new Uint8Array(MAX_CAPTURES); // 0: element by name at a depth, 1: element by Id
  readonly rState = new Uint8Array(MAX_CAPTURES);
  readonly rAt = new Int16Array(MAX_CAPTURES); // kind 0: depth
  readonly rBytes = new Uint8Array(REQUEST_BYTES);
  readonly rName = new Int16Array(MAX_CAPTURES * 2); // local name or Id value: [start, end) in rBytes
  readonly rNs = new Int16Array(MAX_CAPTURES * 2); // kind 0: namespace URI
  nRequests = 0;
  rTop = 0;
  elementsArmed = 0;
  idsArmed = 0;
  // scanner
  state = T_TEXT;
  crPending = false;
  quote = 0;
  plain = true;
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
  // attributes of the tag being processed
  readonly attr: Int16Array;
  na = 0;
  // bindings in scope: prefix (or xml:* local name) and value in the arena
  readonly arena: Uint8Array;
  arenaTop = 0;
  readonly bind: Int16Array;
  bTop = 0;
  // scratch for rendering
  readonly pick: Int16Array;
  readonly sorted: Int16Array;
  // structure
  root = "";
  readonly children: string[] = [];
  childCount = 0;

  constructor(limits: C14nLimits) {
    this.tagMax = limits.tagBytes;
    this.attrMax = limits.attributes;
    this.arenaMax = limits.namespaceBytes;
    this.bindMax = limits.bindings;
    this.out = new Uint8Array(limits.outputBytes);
    this.active = new Int8Array(MAX_CAPTURES);
    this.tag = new Uint8Array(limits.tagBytes);
    this.attr = new Int16Array((limits.attributes + XML_INHERITED) * A);
    this.arena = new Uint8Array(limits.namespaceBytes);
    this.bind = new Int16Array(limits.bindings * B);
    this.pick = new Int16Array(limits.bindings);
    this.sorted = new Int16Array(limits.attributes + XML_INHERITED);
    for (let r = 0; r < MAX_CAPTURES; r++) this.captures.push({ target: NO_TARGET, count: 0, depth: 0, ns: "", local: "", done: false });
  }

  fail(message: string): void {
    if (this.error === undefined) this.error = message;
    this.state = T_FAILED;
    this.nActive = 0;
    this.activeDepths = 0;
    this.n = 0;
  }

  // ------------------------------------------------------------ output

  flush(): void {
    const n = this.n;
    if (n === 0) return;
    this.n = 0;
    const view = this.out.subarray(0, n);
    for (let k = 0; k < this.nActive; k++) this.captures[this.active[k]].target.update(view);
  }

  put(c: number): void {
    if (this.n === this.out.length) this.flush();
    this.out[this.n++] = c;
  }

  putRange(src: Uint8Array, s: number, e: number): void {
    const out = this.out;
    if (out.length - this.n < e - s) {
      for (let i = s; i < e; i++) {
        if (this.n === out.length) this.flush();
        out[this.n++] = src[i];
      }
      return;
    }
    let n = this.n;
    for (let i = s; i < e; i++) out[n++] = src[i];
    this.n = n;
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

  /** XmlHandler.raw, bound once (see the facade): a piece of the document with its element depth. */
  readonly tap = (bytes: Uint8Array, depth: number): void => {
    if (depth !== 0 && this.state !== T_FAILED) this.write(bytes, 0, bytes.length);
  };

  write(b: Uint8Array, start: number, end: number): void {
    let i = start;
    let state = this.state;
    while (i < end) {
      if (state === T_TEXT) {
        let c = 0;
        if (this.nActive === 0) {
          // not capturing: only markup matters
          while (i < end && b[i] !== LT) i++;
          if (i === end) break;
          i++;
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
          if (c !== LT) {
            if (c === AMP) {
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
            continue;
          }
        }
        // b[i - 1] is '<'. Fast paths for the tags most of a document is made of, when seen whole in this
        // piece: "</name>" and, below depth 2 with no element request armed, "<name>" — both their own
        // canonical form, neither binding a namespace.
        if (i < end) {
          c = b[i];
          if (this.nActive !== 0) {
            // while capturing, copy as we scan (one pass); give the bytes back if it is not that simple
            const j = this.copyTag(b, i, end);
            if (j > 0) {
              i = j;
              if (c === SLASH) {
                const d = this.depth;
                if ((this.activeDepths & (1 << d)) === 0 && (this.bTop === 0 || this.bind[(this.bTop - 1) * B + B_DEPTH] !== d)) this.depth = d - 1;
                else this.closeElement();
              } else this.depth++;
              continue;
            }
          } else if (c === SLASH) {
            let j = i + 1;
            while (j < end && b[j] !== GT && WHITE[b[j]] === 0) j++;
            if (j < end && b[j] === GT) {
              const d = this.depth;
              if ((this.activeDepths & (1 << d)) === 0 && (this.bTop === 0 || this.bind[(this.bTop - 1) * B + B_DEPTH] !== d)) this.depth = d - 1;
              else this.closeElement();
              i = j + 1;
              continue;
            }
          } else if (this.depth >= 2 && this.elementsArmed === 0 && c !== BANG && c !== QUESTION) {
            let j = i;
            while (j < end) {
              c = b[j];
              if (TAG_SPECIAL[c] !== 0 || c === SLASH) break;
              j++;
            }
            if (j < end && c === GT) {
              this.depth++;
              i = j + 1;
              continue;
            }
          }
        }
        state = T_LT;
      } else if (state === T_START) {
        this.state = state;
        i = this.startBytes(b, i, end);
        if (this.error !== undefined) return;
        state = this.state;
      } else if (state === T_END) {
        this.state = state;
        i = this.endBytes(b, i, end);
        if (this.error !== undefined) return;
        state = this.state;
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
          if (this.nActive !== 0) {
            this.put(LT);
            this.put(QUESTION);
          }
        } else {
          state = T_START;
          this.tl = 0;
          this.quote = 0;
          this.plain = true;
        }
      } else {
        // rare states
        this.state = state;
        i = this.rare(b, i, end);
        if (this.state === T_FAILED) return;
        state = this.state;
      }
    }
    this.state = state;
  }

  /** Start-tag bytes from b[i] into the tag buffer; at its '>' the tag is processed. Returns where it stopped. */
  startBytes(b: Uint8Array, i: number, end: number): number {
    const tag = this.tag;
    const max = this.tagMax;
    let tl = this.tl;
    let quote = this.quote;
    let c = 0;
    let closed = false;
    while (i < end) {
      c = b[i++];
      if (TAG_SPECIAL[c] !== 0) {
        if (quote !== 0) {
          if (c === quote) quote = 0;
        } else if (c === GT) {
          closed = true;
          break;
        } else if (c === QUOT || c === APOS) quote = c;
        else this.plain = false;
      }
      if (tl === max) {
        this.tl = tl;
        this.fail(`start tag longer than ${max} bytes`);
        return end;
      }
      tag[tl++] = c;
    }
    this.tl = tl;
    this.quote = quote;
    if (closed) {
      const empty = tl > 0 && tag[tl - 1] === SLASH;
      if (this.plain && !empty && this.depth >= 2 && this.elementsArmed === 0) this.bareStart();
      else {
        if (empty) this.tl = tl - 1;
        this.startTag(empty);
        if (this.error !== undefined) return end;
      }
      this.tl = 0;
      this.state = T_TEXT;
    }
    return i;
  }

  /** End-tag bytes (whitespace dropped) from b[i]; at its '>' the element ends. Returns where it stopped. */
  endBytes(b: Uint8Array, i: number, end: number): number {
    const tag = this.tag;
    let tl = this.tl;
    let c = 0;
    while (i < end) {
      c = b[i++];
      if (c === GT) break;
      if (WHITE[c] === 0) {
        if (tl === this.tagMax) {
          this.fail(`end tag longer than ${this.tagMax} bytes`);
          return end;
        }
        tag[tl++] = c;
      }
    }
    this.tl = tl;
    if (c === GT) {
      this.endTag();
      this.state = T_TEXT;
    }
    return i;
  }

  /** One byte (or a CDATA run) in a rare state (this.state): references, comments, CDATA, PIs. */
  rare(b: Uint8Array, i: number, end: number): number {
    const c = b[i++];
    let state = this.state;
    switch (state) {
      case T_ENTITY:
        if (c === SEMI) {
          const v = this.entityOverflow ? -1 : entityValue(this.entity, this.el);
          if (v < 0) {
            this.fail("malformed reference in text");
            return end;
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
          return end;
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
          this.dashes = c === QUESTION ? 1 : 0; // 1: a '?' is held back
        } else if (this.nActive !== 0) this.put(c);
        break;
      case T_PI_SPACE:
        if (WHITE[c] !== 0) break;
        state = T_PI_DATA;
        this.dashes = 0;
        i--;
        break;
      case T_PI_DATA:
        if (this.dashes === 1) {
          if (c === GT) {
            if (this.nActive !== 0) {
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
        return end;
    }
    this.state = state;
    return i;
  }

  /** A data byte of a PI: the first one is preceded by the space that separates it from the target. */
  piChar(c: number): void {
    if (this.nActive === 0) return;
    if (!this.piData) {
      this.piData = true;
      this.put(SPACE);
    }
    this.put(c);
  }

  /** CDATA content from b[i]: escaped text; returns where it stopped (state T_TEXT after "]]>"). */
  cdata(b: Uint8Array, i: number, end: number): number {
    const capturing = this.nActive !== 0;
    while (i < end) {
      const c = b[i++];
      if (this.crPending) {
        this.crPending = false;
        if (c === LF) continue; // CR LF: the LF went out with the CR
      }
      if (CDATA_SPECIAL[c] === 0) {
        if (this.brackets !== 0) this.releaseBrackets(capturing);
        if (capturing) this.put(c);
        continue;
      }
      if (c === RSQB) {
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
      } else if (capturing) this.putTextChar(c);
    }
    return i;
  }

  releaseBrackets(capturing: boolean): void {
    if (capturing) for (let k = 0; k < this.brackets; k++) this.put(RSQB);
    this.brackets = 0;
  }

  // ------------------------------------------------------------ tags

  /**
   * While capturing, b[i - 1] being '<': copies "<name>" or "</name>" from b[i] to the output and returns
   * the index after its '>' when the tag is that simple and whole in this piece (and, for a start tag,
   * below depth 2 with no element request armed); otherwise takes nothing back out and returns 0.
   */
  copyTag(b: Uint8Array, i: number, end: number): number {
    const first = b[i];
    const endTag = first === SLASH;
    if (!endTag && (this.depth < 2 || this.elementsArmed !== 0 || first === BANG || first === QUESTION)) return 0;
    const out = this.out;
    if (out.length - this.n < SHORT_TAG + 3) this.flush();
    const mark = this.n;
    let n = mark;
    out[n++] = LT;
    let j = i;
    if (endTag) {
      out[n++] = SLASH;
      j++;
    }
    const stop = Math.min(end, j + SHORT_TAG);
    let c = 0;
    while (j < stop) {
      c = b[j];
      if (TAG_SPECIAL[c] !== 0 || c === SLASH) break;
      out[n++] = c;
      j++;
    }
    if (j === stop || c !== GT) return 0; // this.n was not moved: the bytes are dropped
    out[n++] = GT;
    this.n = n;
    return j + 1;
  }

  /** A start tag that is only a name below depth 2, no element request armed: its canonical form is itself. */
  bareStart(): void {
    this.depth++;
    if (this.nActive === 0) return;
    const tl = this.tl;
    const out = this.out;
    if (out.length - this.n < tl + 2) {
      this.put(LT);
      this.putRange(this.tag, 0, tl);
      this.put(GT);
      return;
    }
    const tag = this.tag;
    let n = this.n;
    out[n++] = LT;
    for (let k = 0; k < tl; k++) out[n++] = tag[k];
    out[n++] = GT;
    this.n = n;
  }

  // The start tag is handled in steps, each its own small function (XS reserves a stack slot for every
  // local of a function); what they share is in these fields.
  colon = -1; // of the tag being processed
  nameEnd = 0;
  elementNs = -1;

  /** The start tag in tag[0, tl) (without '<' and '>' or "/>"). */
  startTag(empty: boolean): void {
    const depth = this.depth + 1;
    this.parseTag();
    if (this.error !== undefined) return;
    this.bindDeclarations(depth);
    if (this.error !== undefined) return;
    this.resolveNamespaces();
    if (this.error !== undefined) return;
    this.depth = depth;
    if (depth <= 2) this.structure(depth, this.colon, this.nameEnd, this.elementNs);
    const starting = this.elementsArmed !== 0 || this.idsArmed !== 0 ? this.matchRequests(depth) : 0;
    // render for the captures already running (room made first, so that a flush rarely happens from deep in
    // the rendering calls)
    if (this.nActive !== 0) {
      if (this.out.length - this.n < this.tl + 64) this.flush();
      this.renderStart(false);
      if (empty) this.renderEnd(0, this.nameEnd);
    }
    // and as an apex for each capture starting here
    if (starting !== 0) this.startCaptures(starting, depth, empty);
    if (empty) this.closeElement();
  }

  /** Name and attributes of the tag (values normalised in place) into the attribute records. */
  parseTag(): void {
    const tag = this.tag;
    const tl = this.tl;
    const at = this.attr;
    let i = 0;
    while (i < tl && WHITE[tag[i]] === 0) i++;
    this.nameEnd = i;
    this.colon = -1;
    for (let k = 0; k < i; k++) if (tag[k] === COLON) { this.colon = k; break; }
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
      let kind = 0;
      if (ac < 0 && same(tag, s, se, XMLNS, 0, 5)) kind = 1;
      else if (ac === s + 5 && same(tag, s, ac, XMLNS, 0, 5)) kind = 2;
      else if (ac === s + 3 && same(tag, s, ac, XML, 0, 3)) kind = 3;
      const r = na * A;
      at[r + A_NAME] = s;
      at[r + A_NAME_END] = se;
      at[r + A_COLON] = ac;
      at[r + A_VALUE] = vs;
      at[r + A_VALUE_END] = ve;
      at[r + A_KIND] = kind;
      at[r + A_SHOW] = 0;
      na++;
    }
    this.na = na;
  }

  /** Namespace declarations: rendered below the apex where they change the value in scope; then bound. xml:* attributes too. */
  bindDeclarations(depth: number): void {
    const tag = this.tag;
    const at = this.attr;
    const bd = this.bind;
    const mark = this.bTop;
    for (let a = 0; a < this.na; a++) {
      const r = a * A;
      const kind = at[r + A_KIND];
      if (kind !== 1 && kind !== 2) continue;
      const ps = kind === 1 ? at[r + A_NAME] : at[r + A_COLON] + 1;
      const pe = kind === 1 ? ps : at[r + A_NAME_END];
      const vs = at[r + A_VALUE];
      const ve = at[r + A_VALUE_END];
      const inScope = this.lookup(tag, ps, pe, mark);
      let show: boolean;
      if (inScope < 0) show = ve > vs; // xmlns="" where no default was declared: nothing to render
      else show = !same(this.arena, bd[inScope * B + B_PREFIX_END], bd[inScope * B + B_VALUE_END], tag, vs, ve);
      if (kind === 2 && pe - ps === 3 && same(tag, ps, pe, XML, 0, 3)) show = false;
      at[r + A_SHOW] = show ? 1 : 0;
      this.bindOne(0, tag, ps, pe, vs, ve, depth);
      if (this.error !== undefined) return;
    }
    for (let a = 0; a < this.na; a++) {
      const r = a * A;
      if (at[r + A_KIND] !== 3) continue;
      this.bindOne(1, tag, at[r + A_COLON] + 1, at[r + A_NAME_END], at[r + A_VALUE], at[r + A_VALUE_END], depth);
      if (this.error !== undefined) return;
    }
  }

  /** The namespace bindings of the element and of its attributes. */
  resolveNamespaces(): void {
    const tag = this.tag;
    const at = this.attr;
    const colon = this.colon;
    this.elementNs = colon < 0 ? this.lookup(tag, 0, 0, this.bTop) : this.lookup(tag, 0, colon, this.bTop);
    if (colon >= 0 && this.elementNs < 0) return this.fail("unbound element prefix");
    for (let a = 0; a < this.na; a++) {
      const r = a * A;
      const kind = at[r + A_KIND];
      if (kind === 3) at[r + A_NS] = -2;
      else if (kind === 0) {
        const ac = at[r + A_COLON];
        if (ac < 0) at[r + A_NS] = -1;
        else {
          const found = this.lookup(tag, at[r + A_NAME], ac, this.bTop);
          if (found < 0) return this.fail("unbound attribute prefix");
          at[r + A_NS] = found;
        }
      }
    }
  }

  /** Requests that start at this element: bit r for request r. Counts every Id match. */
  matchRequests(depth: number): number {
    const tag = this.tag;
    const at = this.attr;
    const rb = this.rBytes;
    let starting = 0;
    for (let r = 0; r < this.nRequests; r++) {
      const ns = this.rName[r * 2], ne = this.rName[r * 2 + 1];
      if (this.rKind[r] === 0) {
        if (this.rState[r] !== C_ARMED || this.rAt[r] !== depth) continue;
        if (!same(tag, this.colon < 0 ? 0 : this.colon + 1, this.nameEnd, rb, ns, ne)) continue;
        if (!this.nsIs(this.elementNs, rb, this.rNs[r * 2], this.rNs[r * 2 + 1])) continue;
        this.captures[r].count = 1;
      } else {
        let hit = false;
        for (let a = 0; a < this.na && !hit; a++) {
          const x = a * A;
          if (at[x + A_KIND] !== 0) continue;
          const ls = at[x + A_COLON] < 0 ? at[x + A_NAME] : at[x + A_COLON] + 1;
          if (isIdName(tag, ls, at[x + A_NAME_END])) hit = same(tag, at[x + A_VALUE], at[x + A_VALUE_END], rb, ns, ne);
        }
        if (!hit) continue;
        this.captures[r].count++;
        if (this.rState[r] !== C_ARMED) continue;
      }
      starting |= 1 << r;
    }
    return starting;
  }

  /** Renders the element as an apex into each capture starting on it, then makes them running. */
  startCaptures(starting: number, depth: number, empty: boolean): void {
    const bd = this.bind;
    this.flush();
    for (let r = 0; r < this.nRequests; r++) {
      if ((starting & (1 << r)) === 0) continue;
      const capture = this.captures[r];
      this.rState[r] = C_ACTIVE;
      if (this.rKind[r] === 0) this.elementsArmed--;
      capture.depth = depth;
      capture.ns = this.elementNs < 0 ? "" : decode(this.arena.subarray(bd[this.elementNs * B + B_PREFIX_END], bd[this.elementNs * B + B_VALUE_END]));
      capture.local = decode(this.tag.subarray(this.colon < 0 ? 0 : this.colon + 1, this.nameEnd));
      // render to this capture alone: it is put first in the active list for the time being
      const first = this.active[0];
      this.active[0] = r;
      const saved = this.nActive;
      this.nActive = 1;
      this.renderStart(true);
      if (empty) this.renderEnd(0, this.nameEnd);
      this.flush();
      this.nActive = saved;
      this.active[0] = first;
      if (this.error !== undefined) return;
      this.active[this.nActive++] = r;
      this.activeDepths |= 1 << Math.min(depth, 31);
    }
  }

  /** Ends the element at this.depth: drops its bindings, finishes captures that started on it. */
  closeElement(): void {
    const depth = this.depth;
    const bd = this.bind;
    let top = this.bTop;
    while (top > 0 && bd[(top - 1) * B + B_DEPTH] === depth) top--;
    if (top !== this.bTop) {
      this.bTop = top;
      this.arenaTop = top > 0 ? bd[(top - 1) * B + B_VALUE_END] : 0;
    }
    for (let k = this.nActive - 1; k >= 0; k--) {
      const r = this.active[k];
      const capture = this.captures[r];
      if (capture.depth !== depth) continue;
      this.flush();
      this.rState[r] = C_DONE;
      capture.done = true;
      for (let m = k; m < this.nActive - 1; m++) this.active[m] = this.active[m + 1];
      this.nActive--;
    }
    if (this.activeDepths !== 0) {
      let mask = 0;
      for (let k = 0; k < this.nActive; k++) mask |= 1 << Math.min(this.captures[this.active[k]].depth, 31);
      this.activeDepths = mask;
    }
    this.depth = depth - 1;
  }

  endTag(): void {
    if (this.nActive !== 0) this.renderEnd(0, this.tl);
    this.tl = 0;
    this.closeElement();
  }

  renderEnd(s: number, e: number): void {
    const out = this.out;
    if (out.length - this.n < e - s + 3) {
      this.put(LT);
      this.put(SLASH);
      this.putRange(this.tag, s, e);
      this.put(GT);
      return;
    }
    const tag = this.tag;
    let n = this.n;
    out[n++] = LT;
    out[n++] = SLASH;
    for (let k = s; k < e; k++) out[n++] = tag[k];
    out[n++] = GT;
    this.n = n;
  }

  /** `<qname ns-declarations attributes>` in canonical order. */
  renderStart(apex: boolean): void {
    this.put(LT);
    this.putRange(this.tag, 0, this.nameEnd);
    this.renderNamespaces(apex);
    this.renderAttributes(apex);
    this.put(GT);
  }

  /** Namespace declarations: binding indexes to render, sorted by prefix. */
  renderNamespaces(apex: boolean): void {
    const arena = this.arena;
    const bd = this.bind;
    const at = this.attr;
    const pick = this.pick;
    let np = 0;
    if (apex) {
      // every namespace in scope (innermost binding of each prefix), default one only if not empty
      for (let k = this.bTop - 1; k >= 0; k--) {
        const x = k * B;
        if (bd[x + B_KIND] !== 0) continue;
        const ps = bd[x + B_PREFIX];
        const pe = bd[x + B_PREFIX_END];
        let shadowed = false;
        for (let m = k + 1; m < this.bTop && !shadowed; m++) {
          const y = m * B;
          if (bd[y + B_KIND] === 0 && same(arena, bd[y + B_PREFIX], bd[y + B_PREFIX_END], arena, ps, pe)) shadowed = true;
        }
        if (shadowed) continue;
        if (pe === bd[x + B_VALUE_END]) continue; // xmlns="" (empty default)
        if (pe - ps === 3 && same(arena, ps, pe, XML, 0, 3)) continue;
        pick[np++] = k;
      }
    } else {
      // the declarations of this element that change the value in scope: its bindings with A_SHOW set
      let k = this.bTop;
      while (k > 0 && bd[(k - 1) * B + B_DEPTH] === this.depth) k--;
      for (let a = 0; a < this.na; a++) {
        const kind = at[a * A + A_KIND];
        if (kind !== 1 && kind !== 2) continue;
        if (at[a * A + A_SHOW] !== 0) pick[np++] = k;
        k++;
      }
    }
    // insertion sort by prefix
    for (let x = 1; x < np; x++) {
      const v = pick[x];
      let y = x - 1;
      while (y >= 0 && order(arena, bd[pick[y] * B + B_PREFIX], bd[pick[y] * B + B_PREFIX_END], arena, bd[v * B + B_PREFIX], bd[v * B + B_PREFIX_END]) > 0) {
        pick[y + 1] = pick[y];
        y--;
      }
      pick[y + 1] = v;
    }
    for (let x = 0; x < np; x++) {
      const k = pick[x] * B;
      this.put(SPACE);
      this.putAll(XMLNS);
      if (bd[k + B_PREFIX_END] > bd[k + B_PREFIX]) {
        this.put(COLON);
        this.putRange(arena, bd[k + B_PREFIX], bd[k + B_PREFIX_END]);
      }
      this.put(EQUALS);
      this.put(QUOT);
      this.putValue(arena, bd[k + B_PREFIX_END], bd[k + B_VALUE_END]);
      this.put(QUOT);
    }
  }

  /** Attributes (xml:* of the ancestors added at the apex), sorted by namespace URI then local name. */
  renderAttributes(apex: boolean): void {
    const at = this.attr;
    const ord = this.sorted;
    let no = 0;
    for (let a = 0; a < this.na; a++) {
      const kind = at[a * A + A_KIND];
      if (kind === 0 || kind === 3) ord[no++] = a;
    }
    if (apex) no += this.inheritXml(no);
    if (this.error !== undefined) return;
    for (let x = 1; x < no; x++) {
      const v = ord[x];
      let y = x - 1;
      while (y >= 0 && this.compareAttributes(ord[y], v) > 0) {
        ord[y + 1] = ord[y];
        y--;
      }
      ord[y + 1] = v;
    }
    for (let x = 0; x < no; x++) this.renderAttribute(ord[x]);
  }

  renderAttribute(a: number): void {
    const at = this.attr;
    this.put(SPACE);
    if (a >= this.attrMax) {
      // inherited xml:* attribute: its binding index is in A_NS
      const k = at[a * A + A_NS] * B;
      const bd = this.bind;
      this.putAll(XML);
      this.put(COLON);
      this.putRange(this.arena, bd[k + B_PREFIX], bd[k + B_PREFIX_END]);
      this.put(EQUALS);
      this.put(QUOT);
      this.putValue(this.arena, bd[k + B_PREFIX_END], bd[k + B_VALUE_END]);
    } else {
      this.putRange(this.tag, at[a * A + A_NAME], at[a * A + A_NAME_END]);
      this.put(EQUALS);
      this.put(QUOT);
      this.putValue(this.tag, at[a * A + A_VALUE], at[a * A + A_VALUE_END]);
    }
    this.put(QUOT);
  }

  /** Adds the ancestors' xml:* attributes the apex does not carry itself, after sorted[0, no); returns how many. */
  inheritXml(no: number): number {
    const tag = this.tag;
    const arena = this.arena;
    const bd = this.bind;
    const at = this.attr;
    let added = 0;
    for (let k = this.bTop - 1; k >= 0; k--) {
      const x = k * B;
      if (bd[x + B_KIND] !== 1 || bd[x + B_DEPTH] === this.depth) continue;
      const ls = bd[x + B_PREFIX];
      const le = bd[x + B_PREFIX_END];
      let known = false;
      for (let a = 0; a < this.na && !known; a++) {
        if (at[a * A + A_KIND] === 3 && same(tag, at[a * A + A_COLON] + 1, at[a * A + A_NAME_END], arena, ls, le)) known = true;
      }
      for (let m = k + 1; m < this.bTop && !known; m++) {
        if (bd[m * B + B_KIND] === 1 && same(arena, bd[m * B + B_PREFIX], bd[m * B + B_PREFIX_END], arena, ls, le)) known = true;
      }
      if (known) continue;
      if (added === XML_INHERITED) {
        this.fail("too many inherited xml:* attributes");
        return 0;
      }
      const slot = this.attrMax + added;
      at[slot * A + A_NS] = k;
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
    const k = a >= this.attrMax ? -2 : this.attr[a * A + A_NS];
    if (k < 0) {
      this.rsrc = XML_NS_BYTES;
      this.rs = 0;
      this.re = k === -1 ? 0 : XML_NS_BYTES.length;
    } else {
      this.rsrc = this.arena;
      this.rs = this.bind[k * B + B_PREFIX_END];
      this.re = this.bind[k * B + B_VALUE_END];
    }
  }

  rangeLocal(a: number): void {
    if (a >= this.attrMax) {
      const k = this.attr[a * A + A_NS] * B;
      this.rsrc = this.arena;
      this.rs = this.bind[k + B_PREFIX];
      this.re = this.bind[k + B_PREFIX_END];
    } else {
      const c = this.attr[a * A + A_COLON];
      this.rsrc = this.tag;
      this.rs = c < 0 ? this.attr[a * A + A_NAME] : c + 1;
      this.re = this.attr[a * A + A_NAME_END];
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

  bindOne(kind: number, src: Uint8Array, ps: number, pe: number, vs: number, ve: number, depth: number): void {
    const top = this.bTop;
    if (top === this.bindMax) return this.fail(`more than ${this.bindMax} namespace declarations in scope`);
    const need = pe - ps + ve - vs;
    if (this.arenaTop + need > this.arenaMax) return this.fail(`namespace declarations in scope exceed ${this.arenaMax} bytes`);
    const arena = this.arena;
    const bd = this.bind;
    const x = top * B;
    let at = this.arenaTop;
    bd[x + B_PREFIX] = at;
    for (let i = ps; i < pe; i++) arena[at++] = src[i];
    bd[x + B_PREFIX_END] = at;
    for (let i = vs; i < ve; i++) arena[at++] = src[i];
    bd[x + B_VALUE_END] = at;
    bd[x + B_KIND] = kind;
    bd[x + B_DEPTH] = depth;
    this.arenaTop = at;
    this.bTop = top + 1;
  }

  /** Innermost namespace binding of prefix src[s, e) among bindings[0, below); -1 when unbound. */
  lookup(src: Uint8Array, s: number, e: number, below: number): number {
    const arena = this.arena;
    const bd = this.bind;
    for (let k = below - 1; k >= 0; k--) {
      const x = k * B;
      if (bd[x + B_KIND] === 0 && same(arena, bd[x + B_PREFIX], bd[x + B_PREFIX_END], src, s, e)) return k;
    }
    return -1;
  }

  nsIs(binding: number, ns: Uint8Array, s: number, e: number): boolean {
    if (binding < 0) return e === s;
    return same(this.arena, this.bind[binding * B + B_PREFIX_END], this.bind[binding * B + B_VALUE_END], ns, s, e);
  }

  /** Records the expanded names of the root and its children. */
  structure(depth: number, colon: number, nameEnd: number, elementNs: number): void {
    const ns = elementNs < 0 ? "" : decode(this.arena.subarray(this.bind[elementNs * B + B_PREFIX_END], this.bind[elementNs * B + B_VALUE_END]));
    const name = `{${ns}}${decode(this.tag.subarray(colon < 0 ? 0 : colon + 1, nameEnd))}`;
    if (depth === 1) this.root = name;
    else {
      if (this.childCount < MAX_CHILDREN) this.children.push(name);
      this.childCount++;
    }
  }

  /** Adds a request; returns its capture. */
  request(kind: number, name: string, ns: string, depth: number, target: DigestTarget): Capture {
    const r = this.nRequests;
    if (r === MAX_CAPTURES) throw new RangeError(`at most ${MAX_CAPTURES} captures per document`);
    this.rTop = this.store(name, r * 2, this.rName);
    this.rTop = this.store(ns, r * 2, this.rNs);
    this.rKind[r] = kind;
    this.rState[r] = C_ARMED;
    this.rAt[r] = depth;
    if (kind === 0) this.elementsArmed++;
    else this.idsArmed++;
    this.nRequests = r + 1;
    const capture = this.captures[r];
    capture.target = target;
    capture.count = 0;
    capture.depth = 0;
    capture.ns = "";
    capture.local = "";
    capture.done = false;
    return capture;
  }

  /** Copies the UTF-8 of s into rBytes; its range goes to ranges[at], ranges[at + 1]. */
  store(s: string, at: number, ranges: Int16Array): number {
    const bytes = this.rBytes;
    let top = this.rTop;
    ranges[at] = top;
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
      if (top + 4 > REQUEST_BYTES) throw new RangeError(`names and Ids to capture exceed ${REQUEST_BYTES} bytes`);
      top = putUtf8(bytes, top, c);
    }
    ranges[at + 1] = top;
    return top;
  }

  reset(): void {
    this.state = T_TEXT;
    this.crPending = false;
    this.tl = 0;
    this.n = 0;
    this.depth = 0;
    this.bTop = 0;
    this.arenaTop = 0;
    this.error = undefined;
    this.nActive = 0;
    this.activeDepths = 0;
    this.nRequests = 0;
    this.rTop = 0;
    this.elementsArmed = 0;
    this.idsArmed = 0;
    this.root = "";
    this.children.length = 0;
    this.childCount = 0;
    for (let r = 0; r < MAX_CAPTURES; r++) this.captures[r].target = NO_TARGET;
  }
}

const NO_TARGET: DigestTarget = Object.freeze({ update(): void { /* nothing */ } });

/** Streaming inclusive C14N 1.0 of chosen elements into digests. One per document at a time; reset() between. */
export class C14nStream {
  readonly #core: Core;
  readonly #limits: C14nLimits;

  constructor(limits: Partial<C14nLimits> = {}) {
    const l = { ...C14N_LIMITS };
    for (const key of Object.keys(C14N_LIMITS) as (keyof C14nLimits)[]) {
      const v = limits[key];
      if (v === undefined) continue;
      if (typeof v !== "number" || !Number.isInteger(v) || v < 16 || v > 32767) throw new RangeError(`c14n limits.${key} must be an integer in [16, 32767]`);
      l[key] = v;
    }
    if (l.bindings > 127 || l.attributes > 127) throw new RangeError("c14n limits.bindings and limits.attributes must be at most 127");
    this.#limits = Object.freeze(l);
    this.#core = new Core(l);
  }

  /** XmlHandler.raw: the document's bytes in order with their element depth (depth 0 is skipped). */
  write(bytes: Uint8Array, depth: number): void {
    this.#core.tap(bytes, depth);
  }

  /** The same as a bound function, to hand to OadrDecoderOptions.raw / XmlHandler.raw directly. */
  get tap(): (bytes: Uint8Array, depth: number) => void {
    return this.#core.tap;
  }

  /** Ends the document: flushes, and tells whether a capture is still open. */
  end(): void {
    const core = this.#core;
    core.flush();
    if (core.error === undefined && core.nActive !== 0) core.fail("document ended inside a canonicalised element");
  }

  /** Forgets the document and every request. */
  reset(): void {
    this.#core.reset();
  }

  /** Canonicalises the next element at `depth` named {ns}local (with its content) into `target`. */
  captureElement(depth: number, ns: string, local: string, target: DigestTarget): Capture {
    if (typeof target?.update !== "function") throw new TypeError("target must have update(bytes)");
    return this.#core.request(0, local, ns, depth, target);
  }

  /** Canonicalises the element whose Id (or ID, id) attribute is `id` into `target`; counts every match. */
  captureId(id: string, target: DigestTarget): Capture {
    if (typeof target?.update !== "function") throw new TypeError("target must have update(bytes)");
    return this.#core.request(1, id, "", 0, target);
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
