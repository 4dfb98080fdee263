// MessageSigner: signs outgoing OpenADR 2.0b payloads the way signing VTNs expect (OpenLEADR/signxml
// shape): oadrPayload > ds:Signature, then oadrSignedObject; RSA-SHA256 over SignedInfo, inclusive
// C14N 1.0, one Reference to #oadrSignedObject and one to the ds:Object holding dsp:ReplayProtect
// (timestamp with microseconds, 128-bit hex nonce), KeyInfo with the X.509 certificate.
//
// Nothing is canonicalised after the fact: the encoder already writes the signed object in canonical
// form, and this module writes SignedInfo and the ds:Object twice — as the apex of their own canonical
// form (with the namespaces they inherit declared on them) into the digests, and as they sit in the
// document. `encode` streams: a first encoder pass only hashes the signed object, the second writes the
// payload, so no whole document is held; `wrap` signs a payload already encoded (encode.ts's output),
// hashing its signed-object bytes as they are.
// Leaves out: ECDSA keys, encrypted keys, certificate chains in KeyInfo.
import type { RsaPrivateKey, SignatureCrypto } from "../../platform/crypto";
import { encodeSignedObject, PAYLOAD_END, PAYLOAD_START, writeSignedObject, XML_DECLARATION, type ByteSink, type EncodeOptions } from "../encode";
import { formatDateTime } from "../iso8601";
import { NS_DS, NS_DSP, NS_OADR } from "../names";
import type { OadrMessage } from "../types";
import { XmlWriter } from "../xmlwriter";
import { base64Encode, certificatePublicKey, fingerprintOf, pkcs8PrivateKey } from "./der";
import { ALG_C14N, ALG_RSA_SHA256, ALG_SHA256 } from "./verify";

export interface SignerOptions {
  crypto: SignatureCrypto;
  /** The signer's X.509 certificate, DER. */
  certificate: Uint8Array;
  /** Its RSA private key, unencrypted PKCS#8 DER (what Moddable's `secure.clientKey` takes). */
  key: Uint8Array;
  /** Wall clock for ReplayProtect timestamps, ms since the epoch. */
  now: () => number;
  /** Uniform [0, 1) for nonces. */
  random: () => number;
}

/** The Id of the ds:Object that carries ReplayProtect, as OpenLEADR writes it. */
export const REPLAY_OBJECT_ID = "prop";
const SIGNED_OBJECT_REFERENCE = "#oadrSignedObject";

const HEAD = XML_DECLARATION + PAYLOAD_START;
const encoder = new TextEncoder();
const HEAD_BYTES = encoder.encode(HEAD);
const TAIL_BYTES = encoder.encode(PAYLOAD_END);
const HEX = "0123456789abcdef";

function pad(value: number, width: number): string {
  let s = String(value);
  while (s.length < width) s = "0" + s;
  return s;
}

/** "2026-11-22T02:10:29.235000Z": microseconds, as OpenLEADR writes ReplayProtect timestamps. */
export function replayTimestamp(ms: number): string {
  const whole = Math.floor(ms);
  const seconds = whole - (((whole % 1000) + 1000) % 1000);
  const text = formatDateTime(seconds);
  return text.slice(0, text.length - 1) + "." + pad(whole - seconds, 3) + "000Z";
}

function startsWith(body: Uint8Array, head: Uint8Array): boolean {
  if (body.length < head.length) return false;
  for (let i = 0; i < head.length; i++) if (body[i] !== head[i]) return false;
  return true;
}

function endsWith(body: Uint8Array, tail: Uint8Array): boolean {
  const at = body.length - tail.length;
  if (at < 0) return false;
  for (let i = 0; i < tail.length; i++) if (body[at + i] !== tail[i]) return false;
  return true;
}

/** A ByteSink that concatenates what it receives into one exact-size array at the end. */
class Collect {
  readonly pieces: Uint8Array[] = [];
  length = 0;
  readonly sink: ByteSink = (bytes) => {
    this.pieces.push(bytes.slice());
    this.length += bytes.length;
  };
  bytes(): Uint8Array {
    if (this.pieces.length === 1) return this.pieces[0];
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.pieces) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

export class MessageSigner {
  readonly #crypto: SignatureCrypto;
  readonly #key: RsaPrivateKey;
  readonly #certificateText: string;
  readonly #now: () => number;
  readonly #random: () => number;
  /** Fingerprint of the signing certificate (what the peer pins). */
  readonly fingerprint: string;

  constructor(options: SignerOptions) {
    if (typeof options !== "object" || options === null) throw new TypeError("MessageSigner: options required");
    const { crypto, certificate, key } = options;
    if (!crypto || typeof crypto.sha256 !== "function" || typeof crypto.rsaSign !== "function") throw new TypeError("crypto must provide sha256 and rsaSign");
    if (!(certificate instanceof Uint8Array) || certificate.length === 0) throw new TypeError("certificate: DER Uint8Array required");
    if (!(key instanceof Uint8Array) || key.length === 0) throw new TypeError("key: PKCS#8 DER Uint8Array required");
    if (typeof options.now !== "function" || typeof options.random !== "function") throw new TypeError("now and random functions required");
    const publicKey = certificatePublicKey(certificate);
    const privateKey = pkcs8PrivateKey(key.slice());
    if (!sameNumber(publicKey.modulus, privateKey.modulus)) throw new RangeError("key does not belong to the certificate (moduli differ)");
    this.#crypto = crypto;
    this.#key = privateKey;
    this.#certificateText = new TextDecoder().decode(base64Encode(certificate, 64));
    this.#now = options.now;
    this.#random = options.random;
    const hash = crypto.sha256();
    hash.update(certificate);
    this.fingerprint = fingerprintOf(hash.digest());
  }

  /** Writes the signed payload of `message` to `sink` in pieces: the signed object is encoded twice (hashed, then written). */
  encode(message: OadrMessage, sink: ByteSink, options: EncodeOptions = {}): void {
    const hash = this.#crypto.sha256();
    encodeSignedObject(message, (bytes) => hash.update(bytes), options);
    const w = new XmlWriter({ sink, bufferSize: options.bufferSize });
    w.raw(HEAD);
    this.#signature(w, hash.digest());
    writeSignedObject(w, message);
    w.raw(PAYLOAD_END);
    w.flush();
  }

  /** The signed payload as one Uint8Array. */
  encodeToBytes(message: OadrMessage, options: EncodeOptions = {}): Uint8Array {
    const out = new Collect();
    this.encode(message, out.sink, options);
    return out.bytes();
  }

  /**
   * Signs a payload encoded by encode.ts (`<?xml …?>`, oadrPayload, the signed object, nothing else): the
   * signed object's bytes are hashed as they are and the Signature is put in front of them.
   */
  wrap(body: Uint8Array): Uint8Array {
    if (!startsWith(body, HEAD_BYTES) || !endsWith(body, TAIL_BYTES)) throw new TypeError("wrap: not a payload written by the encoder (declaration, oadrPayload, signed object)");
    const object = body.subarray(HEAD_BYTES.length, body.length - TAIL_BYTES.length);
    const hash = this.#crypto.sha256();
    hash.update(object);
    const out = new Collect();
    const w = new XmlWriter({ sink: out.sink });
    w.raw(HEAD);
    this.#signature(w, hash.digest());
    w.flush();
    out.sink(object);
    out.sink(TAIL_BYTES);
    return out.bytes();
  }

  // ------------------------------------------------------------ the Signature

  #signature(w: XmlWriter, objectDigest: Uint8Array): void {
    const timestamp = replayTimestamp(this.#now());
    const nonce = this.#nonce();
    const objectHash = this.#crypto.sha256();
    const canonical = new XmlWriter({ sink: (bytes) => objectHash.update(bytes), bufferSize: 256 });
    writeReplayObject(canonical, timestamp, nonce, true);
    canonical.flush();
    const digests: [string, Uint8Array][] = [[SIGNED_OBJECT_REFERENCE, objectDigest], ["#" + REPLAY_OBJECT_ID, objectHash.digest()]];
    const infoHash = this.#crypto.sha256();
    const info = new XmlWriter({ sink: (bytes) => infoHash.update(bytes), bufferSize: 256 });
    writeSignedInfo(info, digests, true);
    info.flush();
    const value = this.#crypto.rsaSign(this.#key, infoHash.digest());

    w.start("ds:Signature");
    w.attribute("xmlns:ds", NS_DS);
    w.attribute("xmlns:oadr", NS_OADR);
    writeSignedInfo(w, digests, false);
    w.leaf("ds:SignatureValue", base64(value));
    w.start("ds:KeyInfo");
    w.start("ds:X509Data");
    w.leaf("ds:X509Certificate", this.#certificateText);
    w.end("ds:X509Data");
    w.end("ds:KeyInfo");
    writeReplayObject(w, timestamp, nonce, false);
    w.end("ds:Signature");
  }

  #nonce(): string {
    let out = "";
    for (let i = 0; i < 32; i++) out += HEX[Math.floor(this.#random() * 16) & 15];
    return out;
  }
}

function base64(bytes: Uint8Array): string {
  return new TextDecoder().decode(base64Encode(bytes));
}

function sameNumber(a: Uint8Array, b: Uint8Array): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && a[i] === 0) i++;
  while (j < b.length && b[j] === 0) j++;
  if (a.length - i !== b.length - j) return false;
  for (; i < a.length; i++, j++) if (a[i] !== b[j]) return false;
  return true;
}

/** An element with one Algorithm attribute and no content. */
function algorithm(w: XmlWriter, name: string, uri: string): void {
  w.start(name);
  w.attribute("Algorithm", uri);
  w.end(name);
}

/** ds:SignedInfo; `apex`: as canonicalised on its own (the namespaces it inherits declared on it). */
function writeSignedInfo(w: XmlWriter, digests: readonly [string, Uint8Array][], apex: boolean): void {
  w.start("ds:SignedInfo");
  if (apex) {
    w.attribute("xmlns:ds", NS_DS);
    w.attribute("xmlns:oadr", NS_OADR);
  }
  algorithm(w, "ds:CanonicalizationMethod", ALG_C14N);
  algorithm(w, "ds:SignatureMethod", ALG_RSA_SHA256);
  for (const [uri, digest] of digests) {
    w.start("ds:Reference");
    w.attribute("URI", uri);
    w.start("ds:Transforms");
    algorithm(w, "ds:Transform", ALG_C14N);
    w.end("ds:Transforms");
    algorithm(w, "ds:DigestMethod", ALG_SHA256);
    w.leaf("ds:DigestValue", base64(digest));
    w.end("ds:Reference");
  }
  w.end("ds:SignedInfo");
}

/** ds:Object Id="prop" holding ReplayProtect; `apex` as for writeSignedInfo. */
function writeReplayObject(w: XmlWriter, timestamp: string, nonce: string, apex: boolean): void {
  w.start("ds:Object");
  if (apex) {
    w.attribute("xmlns:ds", NS_DS);
    w.attribute("xmlns:oadr", NS_OADR);
  }
  w.attribute("Id", REPLAY_OBJECT_ID);
  w.start("ds:SignatureProperties");
  w.start("ds:SignatureProperty");
  w.attribute("Id", "myid");
  w.attribute("Target", "#mytarget");
  w.start("dsp:ReplayProtect");
  w.attribute("xmlns:dsp", NS_DSP);
  w.leaf("dsp:timestamp", timestamp);
  w.leaf("dsp:nonce", nonce);
  w.end("dsp:ReplayProtect");
  w.end("ds:SignatureProperty");
  w.end("ds:SignatureProperties");
  w.end("ds:Object");
}
