// The XML scanner's rare states: comments, CDATA sections, processing instructions (the XML declaration
// among them), entity and character references, the byte order mark. Scanner.scan hands over here with
// its state in the scanner's properties and takes it back when a common state is reached.

import { CDATA_STOP, COMMENT_STOP, isXmlChar, NAME, NAME_START, PI_STOP, putUtf8, WS } from "./chars";
import { checkDeclaration } from "./declaration";
import type { Scanner } from "./scanner";
import { CDATA_OPEN, DECLARATION_MAX, ENTITY_MAX, S_BANG, S_BOM, S_CDATA, S_CDATA_B1, S_CDATA_B2, S_CDATA_OPEN, S_COMMENT, S_COMMENT_DASH, S_COMMENT_END, S_COMMENT_OPEN, S_EMPTY, S_ENTITY, S_PI_BODY, S_PI_Q, S_PI_TARGET, S_TEXT } from "./states";

/** Runs the rare states from b[i] until a common state is reached or the chunk ends; returns the new i. */
export function markup(s: Scanner, b: Uint8Array, i: number, end: number, base: number): number {
  const tb = s.token;
  const textMax = s.maxText;
  let state = s.state;
  let run = s.run;
  let tl = s.tl;
  let c = 0;
  while (i < end && state > S_EMPTY) {
    c = b[i];
    switch (state) {
      case S_BANG:
        if (c === 0x2d) {
          state = S_COMMENT_OPEN;
        } else if (c === 0x5b) {
          if (s.depth === 0) throw s.fail("syntax", base + i, "CDATA section outside the root element");
          s.cdataMatched = 0;
          state = S_CDATA_OPEN;
        } else if (c >= 0x41 && c <= 0x5a) {
          throw s.fail("doctype", base + i - 2, "DOCTYPE and other declarations are not accepted");
        } else {
          throw s.fail("syntax", base + i, "'<!' not followed by '--' or '[CDATA['");
        }
        i++;
        break;
      case S_COMMENT_OPEN:
        if (c !== 0x2d) throw s.fail("syntax", base + i, "'<!-' not followed by '-'");
        state = S_COMMENT;
        i++;
        break;
      case S_COMMENT:
        i = skipUnparsed(s, b, i, end, base, COMMENT_STOP);
        if (i < end) {
          if (b[i] !== 0x2d) throw s.fail("syntax", base + i, "control character in a comment");
          state = S_COMMENT_DASH;
          i++;
        }
        break;
      case S_COMMENT_DASH:
        if (c === 0x2d) {
          state = S_COMMENT_END;
          i++;
        } else {
          state = S_COMMENT;
        }
        break;
      case S_COMMENT_END:
        if (c !== 0x3e) throw s.fail("syntax", base + i, "'--' inside a comment");
        run = 0;
        state = S_TEXT;
        i++;
        break;
      case S_CDATA_OPEN:
        if (c !== CDATA_OPEN[s.cdataMatched]) throw s.fail("syntax", base + i, "'<![' not followed by 'CDATA['");
        if (++s.cdataMatched === CDATA_OPEN.length) {
          if (s.txt === 0) {
            s.txt = 1;
            s.textAt = base + i + 1;
          }
          state = S_CDATA;
        }
        i++;
        break;
      case S_CDATA: {
        let lim = end;
        if (lim - i > textMax - tl) lim = i + (textMax - tl);
        while (i < lim) {
          const d = b[i];
          if (CDATA_STOP[d] !== 0) break;
          tb[tl++] = d;
          i++;
        }
        if (i < end) {
          const d = b[i];
          if (d === 0x5d) state = S_CDATA_B1;
          else if (CDATA_STOP[d] === 0) throw s.fail("limit-text", base + i, `character data longer than ${textMax} bytes`);
          else tl = s.textByte(d, base + i, tl);
          i++;
        }
        break;
      }
      case S_CDATA_B1:
        if (c === 0x5d) {
          state = S_CDATA_B2;
          i++;
        } else {
          tl = cdataByte(s, 0x5d, base + i, tl);
          state = S_CDATA;
        }
        break;
      case S_CDATA_B2:
        if (c === 0x3e) {
          run = 0;
          state = S_TEXT;
          i++;
        } else if (c === 0x5d) {
          tl = cdataByte(s, 0x5d, base + i, tl);
          i++;
        } else {
          tl = cdataByte(s, 0x5d, base + i, tl);
          tl = cdataByte(s, 0x5d, base + i, tl);
          state = S_CDATA;
        }
        break;
      case S_PI_TARGET: {
        let j = i;
        while (j < end && NAME[b[j]] !== 0) j++;
        if (j === end) {
          s.spillName(b, j);
          i = j;
        } else {
          piTarget(s, b, j);
          const d = b[j];
          if (d === 0x3f) state = S_PI_Q;
          else if (WS[d] !== 0) state = S_PI_BODY;
          else throw s.fail("syntax", base + j, "unexpected byte after a processing-instruction target");
          if (s.declaration) tl = 0;
          i = j + 1;
        }
        break;
      }
      case S_PI_BODY:
        if (s.declaration) {
          const from = i;
          i = copyDeclaration(s, b, i, end, base, tl);
          tl += i - from;
        } else {
          i = skipUnparsed(s, b, i, end, base, PI_STOP);
        }
        if (i < end) {
          if (b[i] !== 0x3f) throw s.fail("syntax", base + i, "control character in a processing instruction");
          state = S_PI_Q;
          i++;
        }
        break;
      case S_PI_Q:
        if (c === 0x3e) {
          if (s.declaration) {
            checkDeclaration(s.token, tl, s.piAt);
            s.declaration = false;
            tl = 0;
          }
          run = 0;
          state = S_TEXT;
          i++;
        } else {
          if (s.declaration) {
            if (tl >= DECLARATION_MAX) throw s.fail("syntax", base + i, "XML declaration too long");
            tb[tl++] = 0x3f;
          }
          state = S_PI_BODY;
        }
        break;
      case S_ENTITY: {
        const E = s.entity;
        let n = s.entityLength;
        while (i < end) {
          const d = b[i];
          i++;
          if (d === 0x3b) {
            tl = entityEnd(s, n, tl);
            state = s.entityReturn;
            break;
          }
          if (n === ENTITY_MAX || (NAME[d] === 0 && d !== 0x23) || d >= 0x80) throw s.fail("syntax", s.entityAt, "malformed entity or character reference");
          E[n++] = d;
        }
        s.entityLength = n;
        break;
      }
      case S_BOM:
        if (s.bomSeen === 0) {
          if (c === 0xef) {
            s.bomSeen = 1;
            i++;
          } else if (c === 0xfe || c === 0xff) {
            throw s.fail("encoding", 0, "UTF-16 byte order mark: only UTF-8 is accepted");
          } else {
            state = S_TEXT;
          }
        } else if (c === (s.bomSeen === 1 ? 0xbb : 0xbf)) {
          if (++s.bomSeen === 3) {
            s.bomLength = 3;
            state = S_TEXT;
          }
          i++;
        } else {
          throw s.fail("encoding", base + i, "invalid byte order mark");
        }
        break;      default:
        throw s.fail("syntax", base + i, "internal: unknown state");
    }
  }
  s.state = state;
  s.run = run;
  s.tl = tl;
  return i;
}

function cdataByte(s: Scanner, c: number, at: number, tl: number): number {
  s.token[tl++] = c;
  if (tl > s.maxText) throw s.fail("limit-text", at, `character data longer than ${s.maxText} bytes`);
  return tl;
}

function entityEnd(s: Scanner, n: number, tl: number): number {
  const E = s.entity;
  const at = s.entityAt;
  let c = -1;
  if (n >= 2 && E[0] === 0x23) {
    let v = 0;
    if (E[1] === 0x78) {
      if (n === 2) c = -1;
      else {
        for (let r = 2; r < n; r++) {
          const d = E[r];
          const h = d >= 0x30 && d <= 0x39 ? d - 0x30 : d >= 0x61 && d <= 0x66 ? d - 0x57 : d >= 0x41 && d <= 0x46 ? d - 0x37 : -1;
          if (h < 0) {
            v = -1;
            break;
          }
          v = v * 16 + h;
        }
        c = v;
      }
    } else {
      for (let r = 1; r < n; r++) {
        const d = E[r];
        if (d < 0x30 || d > 0x39) {
          v = -1;
          break;
        }
        v = v * 10 + d - 0x30;
      }
      c = v;
    }
    if (c < 0) throw s.fail("syntax", at, "malformed character reference");
    if (!isXmlChar(c)) throw s.fail("syntax", at, `character reference to an invalid code point ${c}`);
  } else if (n === 2 && E[1] === 0x74 && (E[0] === 0x6c || E[0] === 0x67)) {
    c = E[0] === 0x6c ? 0x3c : 0x3e;
  } else if (n === 3 && E[0] === 0x61 && E[1] === 0x6d && E[2] === 0x70) {
    c = 0x26;
  } else if (n === 4 && E[0] === 0x71 && E[1] === 0x75 && E[2] === 0x6f && E[3] === 0x74) {
    c = 0x22;
  } else if (n === 4 && E[0] === 0x61 && E[1] === 0x70 && E[2] === 0x6f && E[3] === 0x73) {
    c = 0x27;
  } else {
    throw s.fail("syntax", at, "undefined entity (only the five predefined ones and character references exist without a DTD)");
  }
  tl = putUtf8(s.token, tl, c);
  if (s.entityReturn === S_TEXT) {
    if (tl > s.maxText) throw s.fail("limit-text", at, `character data longer than ${s.maxText} bytes`);
  } else if (tl > s.maxValue) {
    throw s.fail("limit-attribute", at, `attribute value longer than ${s.maxValue} bytes`);
  }
  return tl;
}

/** Skips comment or PI bytes up to a stop byte, validating UTF-8 (these bytes are never decoded). */
function skipUnparsed(s: Scanner, b: Uint8Array, i: number, end: number, base: number, STOP: Uint8Array): number {
  for (;;) {
    if (s.utf8Need !== 0) {
      while (i < end && s.utf8Need !== 0) {
        const c = b[i];
        if (c < s.utf8Low || c > s.utf8High) throw s.fail("encoding", base + i, "invalid UTF-8");
        s.utf8Need--;
        s.utf8Low = 0x80;
        s.utf8High = 0xbf;
        i++;
      }
    }
    while (i < end && STOP[b[i]] === 0) i++;
    if (i === end) return i;
    const c = b[i];
    if (c < 0x80) return i;
    let need = 0;
    let low = 0x80;
    let high = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) low = 0xa0;
      else if (c === 0xed) high = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) low = 0x90;
      else if (c === 0xf4) high = 0x8f;
    } else {
      throw s.fail("encoding", base + i, "invalid UTF-8");
    }
    s.utf8Need = need;
    s.utf8Low = low;
    s.utf8High = high;
    i++;
  }
}

function piTarget(s: Scanner, b: Uint8Array, j: number): void {
  let src = b;
  let from = s.nameFrom;
  let n = j - from;
  if (s.nl !== 0) {
    s.spillName(b, j);
    src = s.nameBuffer;
    from = 0;
    n = s.nl;
    s.nl = 0;
  } else if (n > s.maxName) {
    throw s.fail("limit-name", s.nameAt, `name longer than ${s.maxName} bytes`);
  }
  const at = s.nameAt;
  if (n === 0 || NAME_START[src[from]] === 0) throw s.fail("syntax", at, "processing instruction without a target");
  if (n === 3 && (src[from] | 0x20) === 0x78 && (src[from + 1] | 0x20) === 0x6d && (src[from + 2] | 0x20) === 0x6c) {
    if (src[from] !== 0x78 || src[from + 1] !== 0x6d || src[from + 2] !== 0x6c) throw s.fail("syntax", at, "reserved processing-instruction target");
    if (s.piAt !== s.bomLength) throw s.fail("syntax", s.piAt, "XML declaration not at the start of the document");
    s.declaration = true;
  }
}

function copyDeclaration(s: Scanner, b: Uint8Array, i: number, end: number, base: number, tl: number): number {
  const tb = s.token;
  s.nameFrom = i;
  while (i < end) {
    const c = b[i];
    if (c === 0x3f) break;
    if (c < 0x20 && WS[c] === 0) break;
    if (c >= 0x80) throw s.fail("syntax", base + i, "non-ASCII byte in the XML declaration");
    if (tl >= DECLARATION_MAX) throw s.fail("syntax", base + i, "XML declaration too long");
    tb[tl++] = c;
    i++;
  }
  return i;
}
