// The few DER and Base64 pieces XML signatures need, in plain TypeScript: the RSA public key of an X.509
// certificate, the RSA private key of an unencrypted PKCS#8 PrivateKeyInfo, Base64 both ways (the
// decoder skips XML whitespace), and the OpenADR certificate fingerprint format. Integers come back as
// views into the input (leading zero bytes dropped). Leaves out: certificate chains, validity dates,
// extensions, EC keys, encrypted PKCS#8.
import type { RsaPrivateKey, RsaPublicKey } from "../../platform/crypto";

export class DerError extends Error {
  // A field, not an assignment: on the device Error.prototype is frozen after preload,
  // so `this.name = …` throws "set name: not writable".
  override readonly name = "DerError";
  constructor(message: string) {
    super(message);
  }
}

// rsaEncryption 1.2.840.113549.1.1.1
const RSA_OID = Object.freeze([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]);

/** A cursor over DER: read() returns the tag and leaves [start, end) on the value. */
class Der {
  readonly b: Uint8Array;
  at: number;
  readonly stop: number;
  start = 0;
  end = 0;
  constructor(b: Uint8Array, from = 0, stop = b.length) {
    this.b = b;
    this.at = from;
    this.stop = stop;
  }
  read(expected: number, what: string): number {
    const b = this.b;
    if (this.at + 2 > this.stop) throw new DerError(`${what}: truncated`);
    const tag = b[this.at++];
    if (expected >= 0 && tag !== expected) throw new DerError(`${what}: expected tag 0x${expected.toString(16)}, found 0x${tag.toString(16)}`);
    let length = b[this.at++];
    if (length & 0x80) {
      const n = length & 0x7f;
      if (n === 0 || n > 3 || this.at + n > this.stop) throw new DerError(`${what}: bad length`);
      length = 0;
      for (let i = 0; i < n; i++) length = length * 256 + b[this.at++];
    }
    if (this.at + length > this.stop) throw new DerError(`${what}: truncated`);
    this.start = this.at;
    this.end = this.at + length;
    this.at = this.end;
    return tag;
  }
  /** Enters the value just read (a constructed type). */
  inside(): Der {
    return new Der(this.b, this.start, this.end);
  }
  integer(what: string): Uint8Array {
    this.read(0x02, what);
    let s = this.start;
    if (s === this.end) throw new DerError(`${what}: empty integer`);
    if (this.b[s] & 0x80) throw new DerError(`${what}: negative integer`);
    while (s < this.end - 1 && this.b[s] === 0) s++;
    return this.b.subarray(s, this.end);
  }
}

function checkRsaAlgorithm(d: Der, what: string): void {
  d.read(0x30, what);
  const alg = d.inside();
  alg.read(0x06, what);
  const n = alg.end - alg.start;
  let same = n === RSA_OID.length;
  for (let i = 0; same && i < n; i++) same = alg.b[alg.start + i] === RSA_OID[i];
  if (!same) throw new DerError(`${what}: not an RSA key (only RSA is supported)`);
}

/** The RSA public key in an X.509 certificate (DER). */
export function certificatePublicKey(der: Uint8Array): RsaPublicKey {
  const top = new Der(der);
  top.read(0x30, "certificate");
  const cert = top.inside();
  cert.read(0x30, "tbsCertificate");
  const tbs = cert.inside();
  let tag = tbs.read(-1, "tbsCertificate");
  if (tag === 0xa0) tag = tbs.read(0x02, "serialNumber");
  else if (tag !== 0x02) throw new DerError("tbsCertificate: serialNumber missing");
  tbs.read(0x30, "signature algorithm");
  tbs.read(0x30, "issuer");
  tbs.read(0x30, "validity");
  tbs.read(0x30, "subject");
  tbs.read(0x30, "subjectPublicKeyInfo");
  const spki = tbs.inside();
  checkRsaAlgorithm(spki, "subjectPublicKeyInfo");
  spki.read(0x03, "subjectPublicKey");
  if (spki.b[spki.start] !== 0) throw new DerError("subjectPublicKey: unused bits");
  const key = new Der(spki.b, spki.start + 1, spki.end);
  key.read(0x30, "RSAPublicKey");
  const numbers = key.inside();
  const modulus = numbers.integer("modulus");
  const exponent = numbers.integer("publicExponent");
  return { modulus, exponent };
}

/** The RSA private key in an unencrypted PKCS#8 PrivateKeyInfo (DER), as Moddable's `secure.clientKey`. */
export function pkcs8PrivateKey(der: Uint8Array): RsaPrivateKey {
  const top = new Der(der);
  top.read(0x30, "PrivateKeyInfo");
  const info = top.inside();
  const first = info.read(-1, "PrivateKeyInfo");
  if (first === 0x30) throw new DerError("PrivateKeyInfo: encrypted PKCS#8 is not supported (decrypt the key first)");
  if (first !== 0x02) throw new DerError("PrivateKeyInfo: version missing");
  checkRsaAlgorithm(info, "privateKeyAlgorithm");
  info.read(0x04, "privateKey");
  const inner = info.inside();
  inner.read(0x30, "RSAPrivateKey");
  const k = inner.inside();
  k.integer("version");
  return {
    modulus: k.integer("modulus"),
    exponent: k.integer("publicExponent"),
    privateExponent: k.integer("privateExponent"),
    prime1: k.integer("prime1"),
    prime2: k.integer("prime2"),
    exponent1: k.integer("exponent1"),
    exponent2: k.integer("exponent2"),
    coefficient: k.integer("coefficient"),
  };
}

// ------------------------------------------------------------------ Base64

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/** Byte → 6-bit value; 64 = XML whitespace (skipped), 65 = '=', 255 = invalid. */
const BASE64_VALUE = (() => {
  const t = new Uint8Array(256).fill(255);
  for (let i = 0; i < 64; i++) t[ALPHABET.charCodeAt(i)] = i;
  t[0x20] = t[0x09] = t[0x0a] = t[0x0d] = 64;
  t[0x3d] = 65;
  return t;
})();
const BASE64_CHAR = (() => {
  const t = new Uint8Array(64);
  for (let i = 0; i < 64; i++) t[i] = ALPHABET.charCodeAt(i);
  return t;
})();

/** Decodes Base64 text bytes (whitespace allowed anywhere, padding required); undefined when malformed. */
export function base64Decode(text: Uint8Array): Uint8Array | undefined {
  const V = BASE64_VALUE;
  let count = 0;
  let pad = 0;
  for (let i = 0; i < text.length; i++) {
    const v = V[text[i]];
    if (v === 255) return undefined;
    if (v === 65) pad++;
    else if (v !== 64) {
      if (pad) return undefined;
      count++;
    }
  }
  if ((count + pad) % 4 !== 0 || pad > 2) return undefined;
  const out = new Uint8Array((count * 6) >> 3);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const v = V[text[i]];
    if (v >= 64) continue;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  // the bits left over must be zero (canonical encoding)
  if (bits && (acc & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}

/** Encodes as Base64 ASCII bytes; `lineLength` > 0 puts a LF after every that many characters and at the end. */
export function base64Encode(data: Uint8Array, lineLength = 0): Uint8Array {
  const chars = ((data.length + 2) / 3 | 0) * 4;
  const lines = lineLength > 0 ? Math.ceil(chars / lineLength) : 0;
  const out = new Uint8Array(chars + lines);
  const C = BASE64_CHAR;
  let o = 0;
  let column = 0;
  const put = (c: number): void => {
    out[o++] = c;
    if (lineLength > 0 && ++column === lineLength) {
      out[o++] = 0x0a;
      column = 0;
    }
  };
  for (let i = 0; i < data.length; i += 3) {
    const n = data.length - i;
    const v = (data[i] << 16) | ((n > 1 ? data[i + 1] : 0) << 8) | (n > 2 ? data[i + 2] : 0);
    put(C[(v >> 18) & 63]);
    put(C[(v >> 12) & 63]);
    put(n > 1 ? C[(v >> 6) & 63] : 0x3d);
    put(n > 2 ? C[v & 63] : 0x3d);
  }
  if (lineLength > 0 && column !== 0) out[o++] = 0x0a;
  return o === out.length ? out : out.subarray(0, o);
}

// ------------------------------------------------------------------ fingerprints

const HEX = "0123456789ABCDEF";

/** OpenADR 2.0b fingerprint from the SHA-256 of a DER certificate: its last 10 bytes, "AB:CD:…". */
export function fingerprintOf(sha256: Uint8Array): string {
  const parts: string[] = [];
  for (let i = sha256.length - 10; i < sha256.length; i++) parts.push(HEX[sha256[i] >> 4] + HEX[sha256[i] & 15]);
  return parts.join(":");
}

/** Normalises a configured fingerprint ("ab:cd…", "ABCD…", with or without colons) to "AB:CD:…"; undefined when it is not 10 bytes of hex. */
export function normalizeFingerprint(value: string): string | undefined {
  if (typeof value !== "string") return undefined;
  const hex = value.split(":").join("").toUpperCase();
  if (hex.length !== 20) return undefined;
  const parts: string[] = [];
  for (let i = 0; i < 20; i += 2) {
    const pair = hex.slice(i, i + 2);
    if (HEX.indexOf(pair[0]) < 0 || HEX.indexOf(pair[1]) < 0) return undefined;
    parts.push(pair);
  }
  return parts.join(":");
}
