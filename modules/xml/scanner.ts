// The XML reader's engine: the byte-level state machine behind XmlReader (reader.ts). Not exported from
// the module. Its state lives in plain properties on purpose: XS reserves one stack slot per distinct
// private name a function touches, and the scan loop touches forty; plain properties cost none.
//
// States are numeric literals in scan (`5 /* S_TAG */`, values in states.ts): XS also reserves a slot
// per imported binding a function uses.
//
// One method, scan, walks the bytes with a local state and a chain of `if (state === …)` blocks in the
// order a tag usually goes (text, '<', name, end-tag name, attributes), so the common path falls from one
// block into the next without a dispatch (`continue` restarts the chain; never inside the switch); rare
// states sit in one switch at the end. Scans are table lookups per byte. Character data and attribute
// values are copied into one preallocated token buffer while they are scanned and decoded once at their
// end through cached views (a subarray per string would allocate more than the string). Names are
// interned (names.ts); end tags, and start tags whose name is predicted from the previous tag, are compared
// four bytes at a time (DataView) against the interned bytes. Working memory is fixed by the limits.

import { NAME, NAME_START, TEXT_STOP, utf8Bytes, VALUE_STOP, WS } from "./chars";
import { XmlError, type XmlErrorCode } from "./errors";
import { markup } from "./markup";
import { EMPTY, NameTable, type Utf8Decoder } from "./names";
import { DECLARATION_MAX, ENTITY_MAX, S_BOM, S_LT, S_TEXT } from "./states";
import type { XmlAttribute, XmlHandler, XmlLimits } from "./reader";

const XML_NS = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NS = "http://www.w3.org/2000/xmlns/";
const VIEW_CACHE = 64;
const LT_BYTE = new Uint8Array([0x3c]);
const NO_ATTRIBUTES: readonly XmlAttribute[] = Object.freeze([]);
const FAR = -10;

export class Scanner {
  // XS finds a property by walking the object's list in creation (here: declaration) order, ≈1.2 ns per
  // property passed on a host, and a method only after every own property: the fields the per-element path
  // uses come first (most used first: counted on a 205 KB oadrDistributeEvent), the per-chunk and rare
  // ones after them.
  readonly tap: boolean;
  depth = 0;
  txt = 0; // the current element has character data
  readonly handler: XmlHandler;
  tagAt = 0;
  wsLength = 0; // whitespace held over a chunk boundary at the start of a run
  nsTop = 0;
  lastTag = 0; // the last tag read (entry)
  predict: Int16Array; // names.afterStart or names.afterEnd, by the kind of the last tag
  readonly maxDepth: number;
  readonly mixed: Uint8Array; // 1 while an open element has text kept aside (mixed content)
  readonly textOut: boolean;
  textAt = 0;
  decoding = -1; // document offset of the text being decoded, while TextDecoder runs
  readonly decoder: Utf8Decoder;
  readonly views: (Uint8Array | undefined)[] = [];
  readonly token: Uint8Array; // character data, attribute values, the XML declaration
  nameAt = 0;
  nameFrom = 0; // index in the current chunk where the name being read starts
  nl = 0; // name bytes spilled to nameBuffer
  readonly names: NameTable;
  readonly maxName: number;
  q = 0; // name entry of the start tag being read
  nAttr = 0;
  readonly maxText: number;
  rootDone = false;
  readonly elementName: Int32Array;
  readonly elementUri: Int16Array; // namespace URI entry of each open element
  readonly nsMark: Int32Array;
  readonly savedText: Uint8Array;

  // Scanner state between chunks.
  state = S_BOM;
  run = 0; // 1 while the current character-data run has non-whitespace
  tl = 0; // bytes in token
  k = 0; // end tag: next arena byte to match
  kEnd = 0;
  position = 0;
  error: unknown = undefined;
  ended = false;
  readonly maxDocument: number;
  viewOf: Uint8Array | undefined = undefined;
  chunkDataView: DataView | undefined = undefined;
  chunkStart = 0;
  rawFrom = 0;
  rawDepth = 0;

  // Attributes of the start tag being read.
  quote = 0;
  valueAt = 0;
  readonly maxValue: number;
  readonly attrName: Int32Array;
  readonly attrDecl: Uint8Array;
  readonly attrUri: Int32Array;
  readonly attrNs: Int32Array;
  readonly attrAt: Int32Array;
  readonly attrValue: (string | undefined)[];
  readonly maxAttributes: number;
  readonly idXml: number;
  readonly idXmlns: number;
  readonly idXmlNs: number;
  readonly idXmlnsNs: number;
  // Namespace bindings in scope (prefix entry → URI entry), innermost last.
  readonly bindPrefix: Int16Array;
  readonly bindOld: Int16Array;

  // Rare paths: mixed content, entities, line ends, comments, CDATA, PIs, the declaration, the BOM.
  pending: (string | undefined)[] | undefined = undefined; // that text, by depth (made at the first mixed content)
  readonly mixedLength: Int32Array;
  readonly nameBuffer: Uint8Array; // a name that spans chunks
  readonly entity = new Uint8Array(ENTITY_MAX);
  entityReturn = S_TEXT;
  entityLength = 0;
  entityAt = 0;
  crAt = FAR; // offset of the last CR in character data (CR LF → LF)
  bracket1 = FAR; // offsets of the last two ']' in character data ("]]>" is not allowed)
  bracket2 = FAR;
  wsOver = false;
  bomLength = 0;
  bomSeen = 0;
  cdataMatched = 0;
  piAt = 0;
  declaration = false;
  utf8Need = 0;
  utf8Low = 0x80;
  utf8High = 0xbf;

  constructor(handler: XmlHandler, limits: Readonly<Required<XmlLimits>>, known: readonly string[], decoder: Utf8Decoder) {
    this.handler = handler;
    this.textOut = typeof handler.text === "function";
    this.tap = typeof handler.raw === "function";
    this.maxDocument = limits.documentBytes;
    this.maxDepth = limits.depth;
    this.maxName = limits.nameBytes;
    this.maxText = limits.textBytes;
    this.maxValue = limits.attributeBytes;
    this.maxAttributes = limits.attributes;
    this.decoder = decoder;
    this.token = new Uint8Array(Math.max(limits.textBytes, limits.attributeBytes, DECLARATION_MAX) + 8);
    this.nameBuffer = new Uint8Array(limits.nameBytes);
    const depth = limits.depth;
    this.elementName = new Int32Array(depth);
    this.elementUri = new Int16Array(depth);
    this.nsMark = new Int32Array(depth);
    this.savedText = new Uint8Array(depth);
    this.mixed = new Uint8Array(depth);
    this.mixedLength = new Int32Array(depth);
    const bindings = depth * limits.attributes + 1;
    this.bindPrefix = new Int16Array(bindings);
    this.bindOld = new Int16Array(bindings);
    const n = limits.attributes;
    this.attrName = new Int32Array(n);
    this.attrDecl = new Uint8Array(n);
    this.attrUri = new Int32Array(n);
    this.attrNs = new Int32Array(n);
    this.attrAt = new Int32Array(n);
    this.attrValue = new Array<string | undefined>(n).fill(undefined);

    const table = new NameTable(limits.distinctNames, this.decoder);
    this.names = table;
    this.idXml = table.add("xml", utf8Bytes("xml"));
    this.idXmlns = table.add("xmlns", utf8Bytes("xmlns"));
    this.idXmlNs = table.add(XML_NS, utf8Bytes(XML_NS));
    this.idXmlnsNs = table.add(XMLNS_NS, utf8Bytes(XMLNS_NS));
    for (const name of known) table.add(name, utf8Bytes(name));
    table.current[this.idXml] = this.idXmlNs;
    table.fix();
    this.predict = table.afterStart;
  }


  write(chunk: Uint8Array, start: number, end: number): void {
    if (this.error !== undefined) throw this.error;
    if (this.ended) throw this.fail("syntax", this.position, "write() after end()");
    const room = this.maxDocument - this.position;
    const stop = end - start > room ? start + room : end;
    try {
      this.scan(chunk, start, stop);
    } catch (error) {
      if (this.decoding >= 0 && !(error instanceof XmlError)) {
        this.fail("encoding", this.decoding, "invalid UTF-8");
        this.decoding = -1;
      } else {
        this.error = error;
      }
      throw this.error;
    }
    if (stop !== end) throw this.fail("limit-document", this.maxDocument, `document longer than ${this.maxDocument} bytes`);
  }

  end(): void {
    if (this.error !== undefined) throw this.error;
    if (this.ended) return;
    if (this.state !== S_TEXT || this.depth !== 0 || !this.rootDone) {
      throw this.fail("truncated", this.position, this.rootDone || this.depth > 0 ? "document ends inside markup" : "document ends before its root element is complete");
    }
    this.ended = true;
  }

  reset(): void {
    this.unbind(0);
    this.state = S_BOM;
    this.run = 0;
    this.tl = 0;
    this.k = 0;
    this.kEnd = 0;
    this.nl = 0;
    this.nAttr = 0;
    this.nsTop = 0;
    this.crAt = FAR;
    this.bracket1 = FAR;
    this.bracket2 = FAR;
    this.wsLength = 0;
    this.wsOver = false;
    this.txt = 0;
    this.depth = 0;
    this.rootDone = false;
    this.position = 0;
    this.bomLength = 0;
    this.bomSeen = 0;
    this.declaration = false;
    this.utf8Need = 0;
    this.rawDepth = 0;
    this.error = undefined;
    this.ended = false;
    this.lastTag = 0;
    this.predict = this.names.afterStart;
    this.viewOf = undefined;
    this.chunkDataView = undefined;
    this.decoding = -1;
    this.pending = undefined;
    this.mixed.fill(0);
    this.mixedLength.fill(0);
    this.attrValue.fill(undefined);
    this.names.drop();
  }

  fail(code: XmlErrorCode, at: number, message: string): XmlError {
    const error = new XmlError(code, at, message);
    this.error = error;
    return error;
  }

  scan(b: Uint8Array, start: number, end: number): void {
    const base = this.position - start;
    const tb = this.token;
    const names = this.names;
    const A = names.arena;
    const AV = names.view;
    const NO = names.offset;
    const NL = names.length;
    const D = this.chunkView(b);
    const EQ = this.elementName;
    const EU = this.elementUri;
    const S = names.strings;
    const LOC = names.local;
    const EMK = this.nsMark;
    const EST = this.savedText;
    const textMax = this.maxText;
    let i = start;
    let state = this.state;
    let run = this.run;
    let tl = this.tl;
    let k = this.k;
    let kEnd = this.kEnd;
    // Scratch, declared once: XS pays for block-scoped declarations inside loops. Module constants are used
    // directly: XS copies each one a function uses into its frame (a stack slot each), so aliasing one in a
    // local would only add a slot.
    let c = 0;
    let j = 0;
    let n = 0;
    let p = 0;
    let q = 0;
    let hit = 0;
    let lim = 0;
    this.nameFrom = start;
    this.chunkStart = start;
    this.rawFrom = start;

    while (i < end) {
      if (state === 0 /* S_TEXT */) {
        if (run === 0) {
          j = i;
          while (j < end && WS[b[j]] !== 0) j++;
          if (j === end) {
            if (j > i && this.depth > 0) this.stashWhitespace(b, i, j, tl);
            i = j;
            break;
          }
          if (b[j] === 0x3c) {
            if (this.wsLength !== 0) this.wsLength = 0;
            i = j + 1;
            state = 1 /* S_LT */;
          } else {
            if (this.depth === 0) throw this.fail("syntax", base + j, "character data outside the root element");
            if (this.txt === 0) {
              this.txt = 1;
              this.textAt = base + j;
            }
            if (j > i || this.wsLength !== 0) tl = this.commitWhitespace(b, i, j, tl, base + j);
            run = 1;
            i = j;
          }
        }
        if (run === 1) {
          lim = end;
          if (lim - i > textMax - tl) lim = i + (textMax - tl);
          while (i < lim) {
            c = b[i];
            if (TEXT_STOP[c] !== 0) break;
            tb[tl] = c;
            tl++;
            i++;
          }
          if (i === end) break;
          c = b[i];
          if (c === 0x3c) {
            i++;
            run = 0;
            state = 1 /* S_LT */;
          } else if (TEXT_STOP[c] === 0) {
            throw this.fail("limit-text", base + i, `character data longer than ${textMax} bytes`);
          } else if (c === 0x26) {
            this.entityReturn = 0 /* S_TEXT */;
            this.entityLength = 0;
            this.entityAt = base + i;
            i++;
            state = 24 /* S_ENTITY */;
          } else {
            tl = this.textByte(c, base + i, tl);
            i++;
          }
        }
      }

      if (state === 1 /* S_LT */) {
        if (i === end) break;
        c = b[i];
        if (c === 0x2f) {
          // End tag: compare with the open element's name, eight bytes at a time when it is all in this chunk.
          // Comparing getFloat64 values is comparing bytes here: the arena side is a name or a "plain" URI,
          // which has no 0x00 (so never ±0) and no 0x7F/0xFF lead byte (so never NaN); a NaN on the chunk
          // side just compares unequal, which is the right answer.
          n = this.depth;
          if (n === 0) throw this.fail("syntax", base + i - 1, "end tag outside the root element");
          q = EQ[n - 1];
          if (this.tap) this.rawLt(b, i, false);
          this.tagAt = base + i - 1;
          i++;
          n = NL[q];
          k = NO[q];
          if (i + n < end) {
            p = 0;
            if (n >= 8) {
              lim = n - 8;
              while (p < lim && D.getFloat64(i + p) === AV.getFloat64(k + p)) p += 8;
              if (p >= lim && D.getFloat64(i + lim) === AV.getFloat64(k + lim)) p = n;
            } else if (n >= 4) {
              if (D.getUint32(i) === AV.getUint32(k) && D.getUint32(i + n - 4) === AV.getUint32(k + n - 4)) p = n;
            } else {
              while (p < n && b[i + p] === A[k + p]) p++;
            }
            if (p !== n) throw this.mismatch();
            i += n;
            c = b[i];
            if (c === 0x3e) {
              // close(), inlined for the usual case: not the root, no mixed content, no tap.
              n = this.depth - 1;
              if (n !== 0 && !this.tap && this.mixed[n] === 0) {
                if (this.txt !== 0 && this.textOut) {
                  if (tl === 0) this.handler.text!("");
                  else this.handler.text!(this.decode(tl, this.textAt));
                }
                this.handler.endElement(S[EU[n]] as string, S[LOC[EQ[n]]] as string);
                if (this.nsTop !== EMK[n]) this.unbind(EMK[n]);
                this.txt = EST[n];
                this.depth = n;
                this.lastTag = EQ[n];
                this.predict = names.afterEnd;
              } else {
                this.close(b, i, tl);
              }
              tl = 0;
              run = 0;
              state = 0 /* S_TEXT */;
              i++;
              continue;
            }
            if (WS[c] === 0) throw this.mismatch();
            state = 4 /* S_END_TAIL */;
            i++;
          } else {
            kEnd = k + n;
            state = 3 /* S_END_NAME */;
          }
        } else if (NAME_START[c] !== 0) {
          // Start tag: try the name that followed last time first.
          if (this.txt !== 0) tl = this.saveMixed(tl);
          this.tagAt = base + i - 1;
          if (this.tap) this.rawLt(b, i, true);
          hit = this.predict[this.lastTag];
          if (hit !== 0) {
            n = NL[hit];
            k = NO[hit];
            p = -1;
            if (i + n < end) {
              p = 0;
              if (n >= 8) {
                lim = n - 8;
                while (p < lim && D.getFloat64(i + p) === AV.getFloat64(k + p)) p += 8;
                if (p >= lim && D.getFloat64(i + lim) === AV.getFloat64(k + lim)) p = n;
              } else if (n >= 4) {
                if (D.getUint32(i) === AV.getUint32(k) && D.getUint32(i + n - 4) === AV.getUint32(k + n - 4)) p = n;
              } else {
                while (p < n && b[i + p] === A[k + p]) p++;
              }
            }
            if (p !== n || NAME[b[i + n]] !== 0) hit = 0;
          }
          if (hit === 0) {
            this.nameAt = base + i;
            this.nameFrom = i;
            this.nl = 0;
          }
          state = 2 /* S_NAME */;
        } else if (c === 0x21) {
          if (this.tap) this.rawLt(b, i, false);
          i++;
          state = 12 /* S_BANG */;
        } else if (c === 0x3f) {
          if (this.tap) this.rawLt(b, i, false);
          this.piAt = base + i - 1;
          i++;
          this.nameAt = base + i;
          this.nameFrom = i;
          this.nl = 0;
          state = 21 /* S_PI_TARGET */;
        } else {
          throw this.fail("syntax", base + i, "'<' not followed by a name, '/', '!' or '?'");
        }
      }

      if (state === 2 /* S_NAME */) {
        if (hit !== 0) {
          q = hit;
          j = i + NL[hit];
          hit = 0;
        } else {
          j = i;
          while (j < end && NAME[b[j]] !== 0) j++;
          if (j === end) {
            this.spillName(b, j);
            i = j;
            break;
          }
          q = this.nameEnd(b, j);
          this.predict[this.lastTag] = q;
        }
        c = b[j];
        i = j + 1;
        if (c === 0x3e) {
          // open(), inlined for the usual case: no attributes, a known bound prefix, not the root, no tap.
          p = names.prefix[q];
          n = this.depth;
          if (p >= 0 && n !== 0 && n < this.maxDepth && !this.tap && names.current[p] >= 0) {
            EQ[n] = q;
            EU[n] = names.current[p];
            EMK[n] = this.nsTop;
            EST[n] = this.txt;
            this.txt = 0;
            this.depth = n + 1;
            this.lastTag = q;
            this.predict = names.afterStart;
            this.handler.startElement(S[EU[n]] as string, S[LOC[q]] as string, NO_ATTRIBUTES);
          } else {
            this.open(q, false, b, j);
          }
          run = 0;
          state = 0 /* S_TEXT */;
          continue;
        }
        this.q = q;
        this.nAttr = 0;
        if (WS[c] !== 0) state = 5 /* S_TAG */;
        else if (c === 0x2f) state = 11 /* S_EMPTY */;
        else throw this.fail("syntax", base + j, "unexpected byte after an element name");
      }

      if (state === 3 /* S_END_NAME */) {
        // The end tag's name crosses a chunk boundary: byte by byte.
        lim = end;
        if (lim - i > kEnd - k) lim = i + (kEnd - k);
        while (i < lim && b[i] === A[k]) {
          i++;
          k++;
        }
        if (i === end) break;
        c = b[i];
        if (k !== kEnd || (c !== 0x3e && WS[c] === 0)) throw this.mismatch();
        i++;
        if (c === 0x3e) {
          this.close(b, i - 1, tl);
          tl = 0;
          run = 0;
          state = 0 /* S_TEXT */;
          continue;
        }
        state = 4 /* S_END_TAIL */;
      }

      if (state === 4 /* S_END_TAIL */) {
        while (i < end && WS[b[i]] !== 0) i++;
        if (i === end) break;
        if (b[i] !== 0x3e) throw this.fail("syntax", base + i, "expected '>' to close the end tag");
        this.close(b, i, tl);
        tl = 0;
        run = 0;
        state = 0 /* S_TEXT */;
        i++;
        continue;
      }

      if (state === 5 /* S_TAG */) {
        while (i < end && WS[b[i]] !== 0) i++;
        if (i === end) break;
        c = b[i];
        if (c === 0x3e) {
          this.open(this.q, false, b, i);
          run = 0;
          state = 0 /* S_TEXT */;
          i++;
          continue;
        }
        if (c === 0x2f) {
          state = 11 /* S_EMPTY */;
          i++;
        } else if (NAME_START[c] !== 0) {
          this.nameAt = base + i;
          this.nameFrom = i;
          this.nl = 0;
          state = 6 /* S_ATTR_NAME */;
        } else {
          throw this.fail("syntax", base + i, "expected an attribute, '>' or '/>'");
        }
      }

      if (state === 6 /* S_ATTR_NAME */) {
        j = i;
        while (j < end && NAME[b[j]] !== 0) j++;
        if (j === end) {
          this.spillName(b, j);
          i = j;
          break;
        }
        this.attributeName(this.nameEnd(b, j));
        c = b[j];
        if (c === 0x3d) state = 8 /* S_ATTR_QUOTE */;
        else if (WS[c] !== 0) state = 7 /* S_ATTR_EQ */;
        else throw this.fail("syntax", base + j, "expected '=' after an attribute name");
        i = j + 1;
      }

      if (state === 7 /* S_ATTR_EQ */) {
        while (i < end && WS[b[i]] !== 0) i++;
        if (i === end) break;
        if (b[i] !== 0x3d) throw this.fail("syntax", base + i, "expected '=' after an attribute name");
        state = 8 /* S_ATTR_QUOTE */;
        i++;
      }

      if (state === 8 /* S_ATTR_QUOTE */) {
        while (i < end && WS[b[i]] !== 0) i++;
        if (i === end) break;
        c = b[i];
        if (c !== 0x22 && c !== 0x27) throw this.fail("syntax", base + i, "expected a quoted attribute value");
        this.quote = c;
        this.valueAt = base + i;
        tl = 0;
        i++;
        state = 9 /* S_ATTR_VALUE */;
        // A namespace declaration usually repeats the URI it declared last time: compare, no copy.
        n = this.nAttr;
        if (this.attrDecl[n] !== 0) {
          hit = names.lastUri[this.attrName[n]];
          if (hit !== 0) {
            n = NL[hit];
            k = NO[hit];
            if (i + n < end && b[i + n] === c) {
              p = 0;
              if (n >= 8) {
                lim = n - 8;
                while (p < lim && D.getFloat64(i + p) === AV.getFloat64(k + p)) p += 8;
                if (p >= lim && D.getFloat64(i + lim) === AV.getFloat64(k + lim)) p = n;
              } else if (n >= 4) {
                if (D.getUint32(i) === AV.getUint32(k) && D.getUint32(i + n - 4) === AV.getUint32(k + n - 4)) p = n;
              } else {
                while (p < n && b[i + p] === A[k + p]) p++;
              }
              if (p === n) {
                this.attrUri[this.nAttr++] = hit;
                i += n + 1;
                state = 10 /* S_AFTER_VALUE */;
              }
            }
            hit = 0;
          }
        }
      }

      if (state === 9 /* S_ATTR_VALUE */) {
        n = this.maxValue; // not a block-scoped const: one slot less in scan's frame
        lim = end;
        if (lim - i > n - tl) lim = i + (n - tl);
        while (i < lim) {
          c = b[i];
          if (VALUE_STOP[c] !== 0) break;
          tb[tl] = c;
          tl++;
          i++;
        }
        if (i === end) break;
        c = b[i];
        if (c === this.quote) {
          this.attributeValue(tl);
          tl = 0;
          state = 10 /* S_AFTER_VALUE */;
          i++;
        } else if (VALUE_STOP[c] === 0) {
          throw this.fail("limit-attribute", base + i, `attribute value longer than ${this.maxValue} bytes`);
        } else if (c === 0x26) {
          this.entityReturn = 9 /* S_ATTR_VALUE */;
          this.entityLength = 0;
          this.entityAt = base + i;
          state = 24 /* S_ENTITY */;
          i++;
        } else {
          tl = this.valueByte(c, base + i, tl);
          i++;
        }
      }

      if (state === 10 /* S_AFTER_VALUE */) {
        if (i === end) break;
        c = b[i];
        i++;
        if (c === 0x3e) {
          this.open(this.q, false, b, i - 1);
          run = 0;
          state = 0 /* S_TEXT */;
          continue;
        }
        if (WS[c] !== 0) state = 5 /* S_TAG */;
        else if (c === 0x2f) state = 11 /* S_EMPTY */;
        else throw this.fail("syntax", base + i - 1, "expected white space, '>' or '/>' after an attribute value");
      }

      if (state === 11 /* S_EMPTY */) {
        if (i === end) break;
        if (b[i] !== 0x3e) throw this.fail("syntax", base + i, "expected '>' after '/'");
        this.open(this.q, true, b, i);
        run = 0;
        state = 0 /* S_TEXT */;
        i++;
        continue;
      }

      if (state > 11 /* S_EMPTY */) {
        // Comments, CDATA, PIs, references, the BOM: markup.ts, with the state handed over in properties.
        this.state = state;
        this.run = run;
        this.tl = tl;
        i = markup(this, b, i, end, base);
        state = this.state;
        run = this.run;
        tl = this.tl;
      }
    }

    if (this.tap) this.rawRest(b, end, state);
    this.position = base + end;
    this.state = state;
    this.run = run;
    this.tl = tl;
    this.k = k;
    this.kEnd = kEnd;
  }

  // Character data helpers (rare paths of the text scan).

  textByte(c: number, at: number, tl: number): number {
    const tb = this.token;
    if (c === 0x0a) {
      if (this.crAt !== at - 1) tb[tl++] = 0x0a;
    } else if (c === 0x0d) {
      tb[tl++] = 0x0a;
      this.crAt = at;
    } else if (c === 0x5d) {
      tb[tl++] = 0x5d;
      this.bracket2 = this.bracket1;
      this.bracket1 = at;
    } else if (c === 0x3e) {
      if (this.bracket1 === at - 1 && this.bracket2 === at - 2) throw this.fail("syntax", at, "']]>' in character data");
      tb[tl++] = 0x3e;
    } else {
      throw this.fail("syntax", at, `control character 0x${c.toString(16)} in character data`);
    }
    if (tl > this.maxText) throw this.fail("limit-text", at, `character data longer than ${this.maxText} bytes`);
    return tl;
  }

  valueByte(c: number, at: number, tl: number): number {
    const tb = this.token;
    if (c === 0x0a) {
      if (this.crAt !== at - 1) tb[tl++] = 0x20;
    } else if (c === 0x0d) {
      tb[tl++] = 0x20;
      this.crAt = at;
    } else if (c === 0x09 || c === 0x22 || c === 0x27) {
      tb[tl++] = c === 0x09 ? 0x20 : c;
    } else if (c === 0x3c) {
      throw this.fail("syntax", at, "'<' in an attribute value");
    } else {
      throw this.fail("syntax", at, `control character 0x${c.toString(16)} in an attribute value`);
    }
    if (tl > this.maxValue) throw this.fail("limit-attribute", at, `attribute value longer than ${this.maxValue} bytes`);
    return tl;
  }

  /** White space at the end of a chunk, at the start of a run: kept in case text follows. */
  stashWhitespace(b: Uint8Array, i: number, j: number, tl: number): void {
    const held = this.wsLength;
    if (this.wsOver || tl + held + (j - i) > this.maxText) {
      this.wsOver = true;
      return;
    }
    const tb = this.token;
    let w = tl + held;
    for (let r = i; r < j; r++) tb[w++] = b[r];
    this.wsLength = held + (j - i);
  }

  /** Text follows white space: keep the held and the leading white space, line ends normalised. */
  commitWhitespace(b: Uint8Array, i: number, j: number, tl: number, at: number): number {
    const tb = this.token;
    const max = this.maxText;
    if (this.wsOver) throw this.fail("limit-text", at, `character data longer than ${max} bytes`);
    const heldEnd = tl + this.wsLength;
    this.wsLength = 0;
    let w = tl;
    let cr = false;
    for (let r = tl; r < heldEnd; r++) {
      const c = tb[r];
      if (!(c === 0x0a && cr)) tb[w++] = c === 0x0d ? 0x0a : c;
      cr = c === 0x0d;
    }
    for (let r = i; r < j; r++) {
      const c = b[r];
      if (!(c === 0x0a && cr)) {
        if (w >= max) throw this.fail("limit-text", at, `character data longer than ${max} bytes`);
        tb[w++] = c === 0x0d ? 0x0a : c;
      }
      cr = c === 0x0d;
    }
    return w;
  }

  /** A child starts inside an element that has text: keep that text aside as a string (mixed content). */
  saveMixed(tl: number): number {
    const d = this.depth - 1;
    const total = this.mixedLength[d] + tl;
    if (total > this.maxText) throw this.fail("limit-text", this.textAt, `character data longer than ${this.maxText} bytes`);
    this.mixedLength[d] = total;
    const s = this.textOut && tl > 0 ? this.decode(tl, this.textAt) : "";
    const pending = (this.pending ??= new Array<string | undefined>(this.maxDepth).fill(undefined));
    pending[d] = this.mixed[d] === 0 ? s : pending[d] + s;
    this.mixed[d] = 1;
    return 0;
  }

  decode(n: number, at: number): string {
    let view = n <= VIEW_CACHE ? this.views[n] : undefined;
    if (view === undefined) {
      view = this.token.subarray(0, n);
      if (n <= VIEW_CACHE) this.views[n] = view;
    }
    // No try/catch here (XS charges for it on every call): write() turns a TextDecoder error into
    // XmlError("encoding") when decoding is set.
    this.decoding = at;
    const s = this.decoder.decode(view);
    this.decoding = -1;
    return s;
  }

  // Names.

  spillName(b: Uint8Array, j: number): void {
    const from = this.nameFrom;
    const n = j - from;
    const nl = this.nl;
    if (nl + n > this.maxName) throw this.fail("limit-name", this.nameAt, `name longer than ${this.maxName} bytes`);
    const to = this.nameBuffer;
    for (let r = 0; r < n; r++) to[nl + r] = b[from + r];
    this.nl = nl + n;
  }

  /** The interned entry of the name that ends at b[j]. */
  nameEnd(b: Uint8Array, j: number): number {
    const from = this.nameFrom;
    if (this.nl === 0) {
      if (j - from > this.maxName) throw this.fail("limit-name", this.nameAt, `name longer than ${this.maxName} bytes`);
      return this.names.intern(b, from, j, this.nameAt);
    }
    this.spillName(b, j);
    const n = this.nl;
    this.nl = 0;
    return this.names.intern(this.nameBuffer, 0, n, this.nameAt);
  }

  mismatch(): XmlError {
    const q = this.elementName[this.depth - 1];
    return this.fail("syntax", this.tagAt, `end tag does not match <${this.names.string(q)}>`);
  }

  // Elements and namespaces.

  attributeName(q: number): void {
    const n = this.nAttr;
    const at = this.nameAt;
    if (n >= this.maxAttributes) throw this.fail("limit-attributes", at, `more than ${this.maxAttributes} attributes`);
    const Q = this.attrName;
    for (let a = 0; a < n; a++) if (Q[a] === q) throw this.fail("syntax", at, `duplicate attribute ${this.names.string(q)}`);
    const names = this.names;
    let p = names.prefix[q];
    if (p < 0) p = names.split(q, at);
    Q[n] = q;
    this.attrDecl[n] = q === this.idXmlns || p === this.idXmlns ? 1 : 0;
    this.attrAt[n] = at;
  }

  attributeValue(tl: number): void {
    const n = this.nAttr;
    if (this.attrDecl[n] !== 0) {
      const names = this.names;
      const uri = names.intern(this.token, 0, tl, this.valueAt);
      this.attrUri[n] = uri;
      const q = this.attrName[n];
      if (uri !== EMPTY && names.lastUri[q] !== uri && names.plain(uri, VALUE_STOP)) names.lastUri[q] = uri;
    } else {
      this.attrValue[n] = tl === 0 ? "" : this.decode(tl, this.valueAt);
    }
    this.nAttr = n + 1;
  }

  /** Binds a prefix for the element being opened (shallow binding: the old URI is kept on a stack). */
  bind(prefix: number, uri: number, at: number): void {
    if (prefix === this.idXmlns) throw this.fail("namespace", at, "the xmlns prefix cannot be declared");
    if (prefix === this.idXml) {
      if (uri !== this.idXmlNs) throw this.fail("namespace", at, "the xml prefix cannot be bound to another namespace");
      return;
    }
    if (uri === this.idXmlNs || uri === this.idXmlnsNs) throw this.fail("namespace", at, "reserved namespace bound to another prefix");
    if (prefix !== EMPTY && uri === EMPTY) throw this.fail("namespace", at, "a prefix cannot be undeclared in XML 1.0");
    const names = this.names;
    names.string(uri);
    const top = this.nsTop;
    this.bindPrefix[top] = prefix;
    this.bindOld[top] = names.current[prefix];
    names.current[prefix] = uri;
    this.nsTop = top + 1;
  }

  /** Undoes the bindings above `mark`. */
  unbind(mark: number): void {
    const current = this.names.current;
    for (let r = this.nsTop - 1; r >= mark; r--) current[this.bindPrefix[r]] = this.bindOld[r];
    this.nsTop = mark;
  }

  unbound(prefix: number, at: number): XmlError {
    return this.fail("namespace", at, `unbound prefix ${this.names.string(prefix)}`);
  }

  attributes(n: number, at: number): readonly XmlAttribute[] {
    const names = this.names;
    const Q = this.attrName;
    const D = this.attrDecl;
    let plain = 0;
    for (let a = 0; a < n; a++) {
      if (D[a] === 0) plain++;
      else this.bind(Q[a] === this.idXmlns ? EMPTY : names.local[Q[a]], this.attrUri[a], this.attrAt[a]);
    }
    if (plain === 0) return NO_ATTRIBUTES;
    const list = new Array<XmlAttribute>(plain);
    const NS = this.attrNs;
    const S = names.strings;
    let m = 0;
    for (let a = 0; a < n; a++) {
      if (D[a] !== 0) continue;
      const q = Q[a];
      const p = names.prefix[q];
      const ns = p === EMPTY ? EMPTY : names.current[p];
      if (ns < 0) throw this.unbound(p, this.attrAt[a]);
      const local = names.local[q];
      NS[a] = ns;
      for (let o = 0; o < a; o++) {
        if (D[o] === 0 && NS[o] === ns && names.local[Q[o]] === local) throw this.fail("namespace", this.attrAt[a], `duplicate attribute {${names.string(ns)}}${names.string(local)}`);
      }
      list[m++] = { ns: S[ns] as string, local: S[local] as string, value: this.attrValue[a] as string };
      this.attrValue[a] = undefined;
    }
    return list;
  }

  open(q: number, empty: boolean, b: Uint8Array, j: number): void {
    const names = this.names;
    const d = this.depth;
    if (d >= this.maxDepth || (d === 0 && this.rootDone)) {
      throw this.fail(d === 0 ? "syntax" : "limit-depth", this.tagAt, d === 0 ? "a second root element" : `more than ${this.maxDepth} nested elements`);
    }
    let p = names.prefix[q];
    if (p < 0) p = names.split(q, this.tagAt);
    const mark = this.nsTop;
    let attributes = NO_ATTRIBUTES;
    if (this.nAttr !== 0) {
      attributes = this.attributes(this.nAttr, this.tagAt);
      this.nAttr = 0;
    }
    const uri = names.current[p]; // the xmlns prefix is never bound, so it lands here too
    if (uri < 0) {
      throw p === this.idXmlns ? this.fail("namespace", this.tagAt, "element names cannot use the xmlns prefix") : this.unbound(p, this.tagAt);
    }
    const S = names.strings;
    const ns = S[uri] as string;
    const local = S[names.local[q]] as string;
    this.elementName[d] = q;
    this.elementUri[d] = uri;
    this.nsMark[d] = mark;
    this.savedText[d] = this.txt;
    this.txt = 0;
    this.depth = d + 1;
    this.lastTag = q;
    this.predict = names.afterStart;
    if (this.tap) this.rawTag(b, j, d + 1, empty ? d : d + 1);
    this.handler.startElement(ns, local, attributes);
    if (empty) {
      this.handler.endElement(ns, local);
      this.depth = d;
      if (this.nsTop !== mark) this.unbind(mark);
      this.txt = this.savedText[d];
      this.predict = names.afterEnd;
      if (d === 0) this.rootDone = true;
    }
  }

  close(b: Uint8Array, j: number, tl: number): void {
    const d = this.depth - 1;
    let p: string | undefined;
    if (this.mixed[d] !== 0) {
      // Mixed content: the text was kept aside at each child.
      if (this.mixedLength[d] + tl > this.maxText) throw this.fail("limit-text", this.textAt, `character data longer than ${this.maxText} bytes`);
      p = (this.pending as (string | undefined)[])[d];
      (this.pending as (string | undefined)[])[d] = undefined;
      this.mixedLength[d] = 0;
      this.mixed[d] = 0;
    }
    if (this.txt !== 0 && this.textOut) {
      const s = tl > 0 ? this.decode(tl, this.textAt) : "";
      this.handler.text!(p === undefined ? s : p + s);
    }
    if (this.tap) this.rawTag(b, j, d + 1, d);
    const names = this.names;
    this.handler.endElement(names.strings[this.elementUri[d]] as string, names.strings[names.local[this.elementName[d]]] as string);
    if (this.nsTop !== this.nsMark[d]) this.unbind(this.nsMark[d]);
    this.txt = this.savedText[d];
    this.depth = d;
    this.lastTag = this.elementName[d];
    this.predict = this.names.afterEnd;
    if (d === 0) this.rootDone = true;
  }

  /** A DataView over the chunk, kept while the caller passes the same Uint8Array. */
  chunkView(b: Uint8Array): DataView {
    if (b !== this.viewOf) {
      this.viewOf = b;
      this.chunkDataView = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    return this.chunkDataView as DataView;
  }

  // Comments, processing instructions, the XML declaration.

  // Raw-byte tap.

  /** b[i - 1] (or the last byte of the previous chunk) is the '<' of a tag whose kind b[i] tells. */
  rawLt(b: Uint8Array, i: number, startTag: boolean): void {
    const handler = this.handler;
    if (i > this.chunkStart) {
      if (!startTag) return;
      if (i - 1 > this.rawFrom) handler.raw!(b.subarray(this.rawFrom, i - 1), this.rawDepth);
      this.rawFrom = i - 1;
    } else {
      handler.raw!(LT_BYTE, startTag ? this.depth + 1 : this.rawDepth);
    }
    if (startTag) this.rawDepth = this.depth + 1;
  }

  /** The '>' at b[j] ends a tag whose bytes have depth `depth`; what follows has depth `after`. */
  rawTag(b: Uint8Array, j: number, depth: number, after: number): void {
    this.handler.raw!(b.subarray(this.rawFrom, j + 1), depth);
    this.rawFrom = j + 1;
    this.rawDepth = after;
  }

  rawRest(b: Uint8Array, end: number, state: number): void {
    const stop = state === S_LT && end > this.chunkStart ? end - 1 : end;
    if (stop > this.rawFrom) this.handler.raw!(b.subarray(this.rawFrom, stop), this.rawDepth);
  }
}
