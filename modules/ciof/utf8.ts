// UTF-8 encode/decode and byte length for the CIOF client. Uses the XS built-ins
// (ArrayBuffer.fromString, String.fromArrayBuffer) or TextEncoder/TextDecoder when present, and a
// plain-JS fallback otherwise, so the same code runs on the device, in the XS host engine and on Node.
// The fallback walks strings with for..of (sequential), never by index: XS string indexing is O(position).

interface XsArrayBufferCtor { fromString?(s: string): ArrayBuffer }
interface XsStringCtor { fromArrayBuffer?(b: ArrayBufferLike): string }
interface CodecGlobals {
  TextEncoder?: new () => { encode(s: string): Uint8Array };
  TextDecoder?: new (label?: string, options?: { fatal?: boolean }) => { decode(b: Uint8Array): string };
}

const g = globalThis as unknown as CodecGlobals;
// Bound: XS's ArrayBuffer.fromString constructs its result through `this` (an unbound call throws
// "new: not a constructor"), as mcsim showed; String.fromArrayBuffer does not use `this`.
const xsFromString = (ArrayBuffer as unknown as XsArrayBufferCtor).fromString?.bind(ArrayBuffer);
const xsFromArrayBuffer = (String as unknown as XsStringCtor).fromArrayBuffer;
const encoder = typeof g.TextEncoder === "function" ? new g.TextEncoder() : undefined;
const decoder = typeof g.TextDecoder === "function" ? new g.TextDecoder("utf-8") : undefined;

/** Bytes the string takes in UTF-8. */
export function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

/** True when every character is 7-bit ASCII (then length === bytes). */
export function isAscii(s: string): boolean {
  for (const ch of s) if (ch.codePointAt(0)! >= 0x80) return false;
  return true;
}

export function utf8Encode(s: string): Uint8Array {
  if (xsFromString) return new Uint8Array(xsFromString(s));
  if (encoder) return encoder.encode(s);
  const out = new Uint8Array(utf8Length(s));
  let i = 0;
  for (const ch of s) {
    let c = ch.codePointAt(0)!;
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // lone surrogate
    if (c < 0x80) out[i++] = c;
    else if (c < 0x800) { out[i++] = 0xc0 | (c >> 6); out[i++] = 0x80 | (c & 63); }
    else if (c < 0x10000) { out[i++] = 0xe0 | (c >> 12); out[i++] = 0x80 | ((c >> 6) & 63); out[i++] = 0x80 | (c & 63); }
    else { out[i++] = 0xf0 | (c >> 18); out[i++] = 0x80 | ((c >> 12) & 63); out[i++] = 0x80 | ((c >> 6) & 63); out[i++] = 0x80 | (c & 63); }
  }
  return i === out.length ? out : out.subarray(0, i);
}

/** Decodes UTF-8; malformed sequences become U+FFFD (never throws). */
export function utf8Decode(bytes: Uint8Array): string {
  if (decoder) return decoder.decode(bytes);
  if (xsFromArrayBuffer && ascii(bytes)) {
    const copy = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
    return xsFromArrayBuffer(copy);
  }
  return decodeSlow(bytes);
}

function ascii(b: Uint8Array): boolean {
  for (let i = 0, n = b.length; i < n; i++) if (b[i] >= 0x80) return false;
  return true;
}

function decodeSlow(b: Uint8Array): string {
  const parts: string[] = [];
  const units: number[] = [];
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i];
    let cp = 0xfffd;
    let len = 1;
    if (c < 0x80) cp = c;
    else if (c >= 0xc2 && c < 0xe0 && i + 1 < n && (b[i + 1] & 0xc0) === 0x80) { cp = ((c & 31) << 6) | (b[i + 1] & 63); len = 2; }
    else if (c >= 0xe0 && c < 0xf0 && i + 2 < n && (b[i + 1] & 0xc0) === 0x80 && (b[i + 2] & 0xc0) === 0x80) {
      cp = ((c & 15) << 12) | ((b[i + 1] & 63) << 6) | (b[i + 2] & 63); len = 3;
      if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
    } else if (c >= 0xf0 && c < 0xf5 && i + 3 < n && (b[i + 1] & 0xc0) === 0x80 && (b[i + 2] & 0xc0) === 0x80 && (b[i + 3] & 0xc0) === 0x80) {
      cp = ((c & 7) << 18) | ((b[i + 1] & 63) << 12) | ((b[i + 2] & 63) << 6) | (b[i + 3] & 63); len = 4;
      if (cp < 0x10000 || cp > 0x10ffff) cp = 0xfffd;
    }
    i += len;
    if (cp >= 0x10000) { cp -= 0x10000; units.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 1023)); }
    else units.push(cp);
    if (units.length >= 1024) { parts.push(String.fromCharCode.apply(null, units)); units.length = 0; }
  }
  if (units.length) parts.push(String.fromCharCode.apply(null, units));
  return parts.join("");
}
