// Byte-class tables for the XML reader's scan loops (one lookup per byte) and small UTF-8 helpers.
// Bytes >= 0x80 are accepted in names and text here; UTF-8 validity is checked where strings are
// decoded (TextDecoder, fatal) and, for comments and PIs, by the reader's own validator.

function table(bytes: readonly number[], ranges: readonly (readonly [number, number])[] = []): Uint8Array {
  const t = new Uint8Array(256);
  for (const b of bytes) t[b] = 1;
  for (const [lo, hi] of ranges) for (let b = lo; b <= hi; b++) t[b] = 1;
  return t;
}

const CONTROLS: readonly [number, number] = [0x00, 0x1f];
const LETTERS: readonly (readonly [number, number])[] = [[0x41, 0x5a], [0x61, 0x7a]];

/** XML white space: space, tab, LF, CR. */
export const WS = table([0x20, 0x09, 0x0a, 0x0d]);
/** Bytes that may start a name: letters, '_', ':', and UTF-8 lead bytes. */
export const NAME_START = table([0x5f, 0x3a], [...LETTERS, [0xc2, 0xf4]]);
/** Bytes that may continue a name (qualified: ':' included). */
export const NAME = table([0x5f, 0x3a, 0x2d, 0x2e], [...LETTERS, [0x30, 0x39], [0x80, 0xf4]]);

function stops(base: readonly number[], allow: readonly number[], extra: readonly (readonly [number, number])[] = []): Uint8Array {
  const t = table(base, [CONTROLS, ...extra]);
  for (const b of allow) t[b] = 0;
  return t;
}
/** Character data: stop at markup, entities, ']' and '>' (for "]]>"), line ends (normalised) and controls. */
export const TEXT_STOP = stops([0x3c, 0x26, 0x3e, 0x5d], [0x09]);
/** Attribute values: stop at both quotes, '&', '<', and every control (tab and line ends become spaces). */
export const VALUE_STOP = stops([0x22, 0x27, 0x26, 0x3c], []);
/** CDATA: stop at ']' and line ends; controls are errors. */
export const CDATA_STOP = stops([0x5d], [0x09]);
/** Comments: stop at '-', controls and non-ASCII (validated as UTF-8 since it is never decoded). */
export const COMMENT_STOP = stops([0x2d], [0x09, 0x0a, 0x0d], [[0x80, 0xff]]);
/** Processing instructions: stop at '?', controls and non-ASCII. */
export const PI_STOP = stops([0x3f], [0x09, 0x0a, 0x0d], [[0x80, 0xff]]);

/** UTF-8 bytes of a string (names given to the reader; short, so indexing is cheap). */
export function utf8Bytes(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** Writes code point `c` as UTF-8 at `to[at]`; returns the new end. */
export function putUtf8(to: Uint8Array, at: number, c: number): number {
  if (c < 0x80) {
    to[at++] = c;
  } else if (c < 0x800) {
    to[at++] = 0xc0 | (c >> 6);
    to[at++] = 0x80 | (c & 63);
  } else if (c < 0x10000) {
    to[at++] = 0xe0 | (c >> 12);
    to[at++] = 0x80 | ((c >> 6) & 63);
    to[at++] = 0x80 | (c & 63);
  } else {
    to[at++] = 0xf0 | (c >> 18);
    to[at++] = 0x80 | ((c >> 12) & 63);
    to[at++] = 0x80 | ((c >> 6) & 63);
    to[at++] = 0x80 | (c & 63);
  }
  return at;
}

/** XML 1.0 Char production (for character references). */
export function isXmlChar(c: number): boolean {
  if (c < 0x20) return c === 0x09 || c === 0x0a || c === 0x0d;
  if (c <= 0xd7ff) return true;
  if (c < 0xe000) return false;
  if (c <= 0xfffd) return true;
  return c >= 0x10000 && c <= 0x10ffff;
}
