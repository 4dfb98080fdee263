// SignatureVerifier: checks the enveloped XML signature of an OpenADR 2.0b payload while the decoder
// reads it. It plugs into OadrDecoder as `signature` (the ds:Signature subtree's events: SignedInfo,
// SignatureValue, KeyInfo, ReplayProtect) and `raw` (every byte, canonicalised by c14n.ts into SHA-256
// digests of ds:SignedInfo and of each referenced element as it streams past). After decoder.end(),
// `finish()` gives the verdict: valid, absent (no signature), or invalid with the exact reason.
//
// What "valid" means (the profile a signing OpenADR VTN uses — OpenLEADR/signxml):
// - oadrPayload holds exactly ds:Signature then oadrSignedObject (nothing else that could be decoded
//   instead of what was signed);
// - SignedInfo: inclusive C14N 1.0, RSA-SHA256; each Reference a same-document "#id", no transform but
//   inclusive C14N 1.0, SHA-256; one Reference is the oadrSignedObject of the payload, one the ds:Object
//   carrying dsp:ReplayProtect, no other; every Id referenced occurs once;
// - the X509Certificate in KeyInfo has the expected fingerprint (when one is configured), its RSA key
//   verifies SignatureValue over the canonical SignedInfo, every DigestValue matches;
// - ReplayProtect: timestamp within [now − maxAgeMs, now + maxFutureMs], nonce not seen before (the last
//   `nonces` are remembered; the oldest is forgotten first).
// Checks run in that order, so a flipped byte is reported where it is: a digest, the signature, the
// certificate, the replay window.
// Leaves out: certificate chains and validity dates (the fingerprint pins the certificate), ECDSA,
// detached or enveloping signatures, KeyInfo forms other than X509Certificate.
import type { RsaPublicKey, Sha256, SignatureCrypto } from "../../platform/crypto";
import type { XmlAttribute, XmlHandler } from "../../xml/reader";
import { dateTimeOrNaN } from "../iso8601";
import { NS_DS, NS_DSP, NS_OADR } from "../names";
import { C14nStream, type C14nLimits, type Capture } from "./c14n";
import { base64Decode, certificatePublicKey, DerError, fingerprintOf, normalizeFingerprint } from "./der";

export const ALG_C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
export const ALG_RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
export const ALG_SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";

export type VerifyStatus = "valid" | "invalid" | "absent";

export interface VerifyResult {
  status: VerifyStatus;
  /** Why it is invalid. */
  reason?: string;
  /** Fingerprint of the certificate in KeyInfo, when there was one. */
  fingerprint?: string;
  /** ReplayProtect timestamp (ms since the epoch) and nonce, when present. */
  timestamp?: number;
  nonce?: string;
}

export interface VerifierOptions {
  crypto: SignatureCrypto;
  /** Fingerprint the signer's certificate must have ("AB:CD:…", last 10 bytes of its SHA-256). Without it any certificate is accepted. */
  fingerprint?: string;
  /** Oldest ReplayProtect timestamp accepted, ms before now. Default 5000 (what a signing OpenLEADR VTN accepts). */
  maxAgeMs?: number;
  /** Newest, ms after now (clock skew). Default 5000. */
  maxFutureMs?: number;
  /** Nonces remembered against replays. Default 32. */
  nonces?: number;
  /** Bounds of the canonicaliser. */
  limits?: Partial<C14nLimits>;
}

const MAX_REFERENCES = 4;
const MAX_TRANSFORMS = 2;
const MAX_DEPTH = 8;

// elements of the signature subtree the collector looks at
const E_OTHER = 0, E_SIGNATURE = 1, E_SIGNED_INFO = 2, E_C14N_METHOD = 3, E_SIGNATURE_METHOD = 4, E_REFERENCE = 5, E_TRANSFORMS = 6;
const E_TRANSFORM = 7, E_DIGEST_METHOD = 8, E_DIGEST_VALUE = 9, E_SIGNATURE_VALUE = 10, E_KEY_INFO = 11, E_X509_DATA = 12;
const E_X509_CERTIFICATE = 13, E_OBJECT = 14, E_REPLAY = 15, E_TIMESTAMP = 16, E_NONCE = 17;

/** Element code of a child (ns, local) of an element with code `parent`. */
function classify(parent: number, ns: string, local: string): number {
  if (ns === NS_DS) {
    switch (parent) {
      case E_SIGNATURE:
        return local === "SignedInfo" ? E_SIGNED_INFO : local === "SignatureValue" ? E_SIGNATURE_VALUE : local === "KeyInfo" ? E_KEY_INFO : local === "Object" ? E_OBJECT : E_OTHER;
      case E_SIGNED_INFO:
        return local === "CanonicalizationMethod" ? E_C14N_METHOD : local === "SignatureMethod" ? E_SIGNATURE_METHOD : local === "Reference" ? E_REFERENCE : E_OTHER;
      case E_REFERENCE:
        return local === "Transforms" ? E_TRANSFORMS : local === "DigestMethod" ? E_DIGEST_METHOD : local === "DigestValue" ? E_DIGEST_VALUE : E_OTHER;
      case E_TRANSFORMS:
        return local === "Transform" ? E_TRANSFORM : E_OTHER;
      case E_KEY_INFO:
        return local === "X509Data" ? E_X509_DATA : E_OTHER;
      case E_X509_DATA:
        return local === "X509Certificate" ? E_X509_CERTIFICATE : E_OTHER;
      default:
        return E_OTHER;
    }
  }
  if (ns === NS_DSP) {
    if (local === "ReplayProtect") return E_REPLAY;
    if (parent === E_REPLAY) return local === "timestamp" ? E_TIMESTAMP : local === "nonce" ? E_NONCE : E_OTHER;
  }
  return E_OTHER;
}

function attribute(attributes: readonly XmlAttribute[], local: string): string | undefined {
  for (let i = 0; i < attributes.length; i++) if (attributes[i].ns === "" && attributes[i].local === local) return attributes[i].value;
  return undefined;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

function base64Text(text: string): Uint8Array | undefined {
  return base64Decode(new TextEncoder().encode(text));
}

/** Copies `from` into the end of `to` (zeros before it); false when it does not fit. */
function rightAlign(to: Uint8Array, from: Uint8Array): boolean {
  if (from.length > to.length) return false;
  to.fill(0, 0, to.length - from.length);
  to.set(from, to.length - from.length);
  return true;
}

/** A Reference of SignedInfo; the verifier keeps MAX_REFERENCES of these and reuses them. */
class Reference {
  uri = "";
  /** Transforms: how many, and the first one that is not inclusive C14N 1.0 ("" if none). */
  transforms = 0;
  badTransform = "";
  digestMethod: string | undefined = undefined;
  readonly digestValue = new Uint8Array(32);
  /** 0: none, 1: read, -1: not a Base64 SHA-256 digest. */
  digestState = 0;
  capture: Capture | undefined = undefined;
  hash: Sha256 | undefined = undefined;
  clear(): void {
    this.uri = "";
    this.transforms = 0;
    this.badTransform = "";
    this.digestMethod = undefined;
    this.digestState = 0;
    this.capture = undefined;
  }
}

const MAX_SIGNATURE_BYTES = 512; // RSA 4096
const MAX_EXPONENT_BYTES = 8;

export class SignatureVerifier {
  /** OadrDecoderOptions.signature: receives the ds:Signature subtree. */
  readonly handler: XmlHandler;
  /** OadrDecoderOptions.raw. */
  readonly raw: (bytes: Uint8Array, depth: number) => void;
  readonly #crypto: SignatureCrypto;
  readonly #fingerprint: string | undefined;
  readonly #maxAge: number;
  readonly #maxFuture: number;
  readonly #c14n: C14nStream;
  // nonces seen: ring of (timestamp, nonce)
  readonly #nonceValues: string[];
  readonly #nonceTimes: number[];
  #nonceNext = 0;
  // per document
  readonly #stack = new Uint8Array(MAX_DEPTH);
  #depth = 0;
  #signatures = 0;
  #error: string | undefined;
  #order = 0; // Signature children: 1 after SignedInfo, 2 after SignatureValue
  #c14nMethod: string | undefined;
  #signatureMethod: string | undefined;
  // per-document state lives in these, allocated once
  readonly #pool: Reference[] = [];
  #nReferences = 0;
  #signedInfo: Capture | undefined;
  /** SignedInfo's hash while it streams; at its end the digest goes to #signedInfoDigest and the object hashes the certificate. */
  #hash: Sha256 | undefined;
  readonly #signedInfoDigest = new Uint8Array(32);
  readonly #signatureBuffer = new Uint8Array(MAX_SIGNATURE_BYTES);
  #signatureLength = -1; // -1: none, 0: not Base64
  #certificates = 0;
  #certificateError: string | undefined;
  #certificateFingerprint: string | undefined;
  /** The signer's key, right-aligned in fixed buffers (leading zeros are allowed). */
  readonly #key: RsaPublicKey = { modulus: new Uint8Array(MAX_SIGNATURE_BYTES), exponent: new Uint8Array(MAX_EXPONENT_BYTES) };
  #haveKey = false;
  #objectId: string | undefined; // Id of the ds:Object being read
  #replays = 0;
  #replayObject: string | undefined;
  #timestampText: string | undefined;
  #nonce: string | undefined;

  constructor(options: VerifierOptions) {
    if (typeof options !== "object" || options === null) throw new TypeError("SignatureVerifier: options required");
    const crypto = options.crypto;
    if (!crypto || typeof crypto.sha256 !== "function" || typeof crypto.rsaVerify !== "function") throw new TypeError("crypto must provide sha256 and rsaVerify");
    let fingerprint: string | undefined;
    if (options.fingerprint !== undefined) {
      fingerprint = normalizeFingerprint(options.fingerprint);
      if (fingerprint === undefined) throw new RangeError("fingerprint: 10 bytes of hex, e.g. 5D:3A:04:1E:FD:97:92:DB:2F:3B");
    }
    const maxAge = options.maxAgeMs ?? 5000;
    const maxFuture = options.maxFutureMs ?? 5000;
    const nonces = options.nonces ?? 32;
    if (!(maxAge >= 0) || !(maxFuture >= 0)) throw new RangeError("maxAgeMs and maxFutureMs must be ≥ 0");
    if (!Number.isInteger(nonces) || nonces < 1 || nonces > 1024) throw new RangeError("nonces must be an integer in [1, 1024]");
    this.#crypto = crypto;
    this.#fingerprint = fingerprint;
    this.#maxAge = maxAge;
    this.#maxFuture = maxFuture;
    this.#nonceValues = new Array<string>(nonces).fill("");
    this.#nonceTimes = new Array<number>(nonces).fill(0);
    this.#c14n = new C14nStream(options.limits);
    this.raw = this.#c14n.tap;
    this.handler = {
      startElement: (ns, local, attributes) => this.#start(ns, local, attributes),
      text: (value) => this.#text(value),
      endElement: () => this.#end(),
    };
    this.begin();
  }

  /** The configured fingerprint, normalised. */
  get fingerprint(): string | undefined {
    return this.#fingerprint;
  }

  /** Prepares for a new document (call before feeding it; finish() also leaves the verifier ready). */
  begin(): void {
    this.#c14n.reset();
    this.#depth = 0;
    this.#signatures = 0;
    this.#error = undefined;
    this.#order = 0;
    this.#c14nMethod = undefined;
    this.#signatureMethod = undefined;
    for (let i = 0; i < this.#nReferences; i++) this.#pool[i].clear();
    this.#nReferences = 0;
    this.#signedInfo = undefined;
    this.#signatureLength = -1;
    this.#certificates = 0;
    this.#certificateError = undefined;
    this.#certificateFingerprint = undefined;
    this.#haveKey = false;
    this.#objectId = undefined;
    this.#replays = 0;
    this.#replayObject = undefined;
    this.#timestampText = undefined;
    this.#nonce = undefined;
  }

  /**
   * The verdict on the document just decoded. `now` (ms since the epoch) is the clock the ReplayProtect
   * timestamp is checked against; without it the timestamp is taken as now (a pinned clock: the window
   * always passes, nonces still count). A valid signature's nonce is remembered.
   */
  finish(now?: number): VerifyResult {
    try {
      return this.#verdict(now);
    } finally {
      this.begin();
    }
  }

  // ------------------------------------------------------------ the ds:Signature subtree

  #start(ns: string, local: string, attributes: readonly XmlAttribute[]): void {
    const d = this.#depth++;
    if (d >= MAX_DEPTH) return;
    const parent = d === 0 ? -1 : this.#stack[d - 1];
    let code: number;
    if (d === 0) {
      code = E_SIGNATURE;
      this.#signatures++;
      if (this.#signatures === 1) {
        // the first child named ds:SignedInfo is canonicalised into the SignedInfo hash
        const hash = this.#hasher();
        this.#signedInfo = this.#c14n.captureElement(this.#c14n.depth + 1, NS_DS, "SignedInfo", hash);
      }
    } else {
      code = classify(parent, ns, local);
    }
    this.#stack[d] = code;
    if (this.#signatures !== 1) return;
    switch (code) {
      case E_SIGNED_INFO:
        if (this.#order !== 0) this.#problem("SignedInfo is not the first child of Signature");
        this.#order = 1;
        break;
      case E_SIGNATURE_VALUE:
        if (this.#order !== 1) this.#problem("SignatureValue does not follow SignedInfo");
        this.#order = 2;
        break;
      case E_C14N_METHOD:
        this.#c14nMethod = attribute(attributes, "Algorithm") ?? "";
        break;
      case E_SIGNATURE_METHOD:
        this.#signatureMethod = attribute(attributes, "Algorithm") ?? "";
        break;
      case E_REFERENCE: {
        if (this.#nReferences === MAX_REFERENCES) {
          this.#problem(`more than ${MAX_REFERENCES} references`);
          break;
        }
        if (this.#nReferences === this.#pool.length) this.#pool.push(new Reference());
        const reference = this.#pool[this.#nReferences++];
        reference.uri = attribute(attributes, "URI") ?? "";
        break;
      }
      case E_TRANSFORM: {
        const reference = this.#reference();
        if (reference === undefined) break;
        if (++reference.transforms > MAX_TRANSFORMS) this.#problem(`more than ${MAX_TRANSFORMS} transforms in a reference`);
        const algorithm = attribute(attributes, "Algorithm") ?? "";
        if (algorithm !== ALG_C14N && reference.badTransform === "") reference.badTransform = algorithm || "(none)";
        break;
      }
      case E_DIGEST_METHOD: {
        const reference = this.#reference();
        if (reference !== undefined) reference.digestMethod = attribute(attributes, "Algorithm") ?? "";
        break;
      }
      case E_OBJECT:
        this.#objectId = attribute(attributes, "Id");
        break;
      case E_REPLAY:
        this.#replays++;
        this.#replayObject = this.#objectId;
        if (!this.#insideObject()) this.#replayObject = undefined;
        break;
      default:
        break;
    }
  }

  /** The Reference being read. */
  #reference(): Reference | undefined {
    return this.#nReferences === 0 ? undefined : this.#pool[this.#nReferences - 1];
  }

  /** The object that hashes SignedInfo, then the certificate (made once). */
  #hasher(): Sha256 {
    let hash = this.#hash;
    if (hash === undefined) this.#hash = hash = this.#crypto.sha256();
    else hash.reset();
    return hash;
  }

  /** True while inside a ds:Object child of the Signature. */
  #insideObject(): boolean {
    return this.#depth >= 2 && this.#stack[1] === E_OBJECT;
  }

  #text(value: string): void {
    const d = this.#depth - 1;
    if (d < 0 || d >= MAX_DEPTH || this.#signatures !== 1) return;
    switch (this.#stack[d]) {
      case E_DIGEST_VALUE: {
        const reference = this.#reference();
        if (reference === undefined) break;
        const bytes = base64Text(value);
        if (bytes === undefined || bytes.length !== 32) reference.digestState = -1;
        else {
          reference.digestValue.set(bytes);
          reference.digestState = 1;
        }
        break;
      }
      case E_SIGNATURE_VALUE: {
        const bytes = base64Text(value);
        this.#signatureLength = bytes !== undefined && rightAlign(this.#signatureBuffer, bytes) ? bytes.length : 0;
        break;
      }
      case E_X509_CERTIFICATE:
        if (++this.#certificates === 1) this.#certificate(value);
        break;
      case E_TIMESTAMP:
        this.#timestampText = value;
        break;
      case E_NONCE:
        this.#nonce = value.trim();
        break;
      default:
        break;
    }
  }

  #end(): void {
    const d = --this.#depth;
    if (d >= MAX_DEPTH || this.#signatures !== 1) return;
    const code = this.#stack[d];
    if (code === E_SIGNED_INFO) {
      // its hash is complete (the canonicaliser flushed at its end tag)
      if (this.#signedInfo?.done) this.#signedInfoDigest.set(this.#hash!.digest());
      // SignedInfo is known: canonicalise the referenced elements as they come
      for (let i = 0; i < this.#nReferences; i++) {
        const reference = this.#pool[i];
        if (reference.uri.length < 2 || reference.uri[0] !== "#") continue;
        if (reference.hash === undefined) reference.hash = this.#crypto.sha256();
        else reference.hash.reset();
        reference.capture = this.#c14n.captureId(reference.uri.slice(1), reference.hash);
      }
    } else if (code === E_OBJECT) {
      this.#objectId = undefined;
    }
  }

  /** Reads the signer's certificate: fingerprint and RSA key (the DER itself is not kept). */
  #certificate(text: string): void {
    const der = base64Text(text);
    if (der === undefined) {
      this.#certificateError = "X509Certificate is not valid Base64";
      return;
    }
    const hash = this.#hasher();
    hash.update(der);
    this.#certificateFingerprint = fingerprintOf(hash.digest());
    try {
      const key = certificatePublicKey(der);
      if (!rightAlign(this.#key.modulus, key.modulus) || !rightAlign(this.#key.exponent, key.exponent)) this.#certificateError = "X509Certificate: RSA key larger than 4096 bits or exponent over 64 bits";
      else this.#haveKey = true;
    } catch (error) {
      this.#certificateError = `X509Certificate: ${error instanceof DerError ? error.message : String(error)}`;
    }
  }

  #problem(message: string): void {
    if (this.#error === undefined) this.#error = message;
  }

  // ------------------------------------------------------------ verdict

  #verdict(now: number | undefined): VerifyResult {
    const c14n = this.#c14n;
    c14n.end();
    if (this.#signatures === 0) return { status: "absent" };
    const result: VerifyResult = { status: "invalid" };
    if (this.#certificateFingerprint !== undefined) result.fingerprint = this.#certificateFingerprint;
    const invalid = (reason: string): VerifyResult => {
      result.reason = reason;
      return result;
    };
    if (c14n.error !== undefined) return invalid(`canonicalisation stopped: ${c14n.error}`);
    if (this.#error !== undefined) return invalid(this.#error);
    // nothing in the payload but the signature and the signed object
    const signature = `{${NS_DS}}Signature`;
    const signedObject = `{${NS_OADR}}oadrSignedObject`;
    if (this.#signatures > 1) return invalid("more than one Signature in oadrPayload");
    if (c14n.root !== `{${NS_OADR}}oadrPayload` || c14n.childCount !== 2 || c14n.children[0] !== signature || c14n.children[1] !== signedObject) {
      return invalid(`oadrPayload must hold ds:Signature then oadrSignedObject and nothing else (found ${c14n.children.join(", ")}${c14n.childCount > c14n.children.length ? ", …" : ""})`);
    }
    // algorithms
    if (this.#order < 2 || this.#signedInfo === undefined || !this.#signedInfo.done) return invalid("Signature needs SignedInfo and SignatureValue");
    if (this.#c14nMethod !== ALG_C14N) return invalid(`unsupported CanonicalizationMethod ${this.#c14nMethod ?? "(none)"}`);
    if (this.#signatureMethod !== ALG_RSA_SHA256) return invalid(`unsupported SignatureMethod ${this.#signatureMethod ?? "(none)"}`);
    const references = this.#pool.slice(0, this.#nReferences);
    if (references.length === 0) return invalid("SignedInfo has no Reference");
    for (const r of references) {
      if (r.uri.length < 2 || r.uri[0] !== "#") return invalid(`Reference URI "${r.uri}" is not a same-document "#id"`);
      if (r.badTransform !== "") return invalid(`unsupported Transform ${r.badTransform} in Reference ${r.uri}`);
      if (r.digestMethod !== ALG_SHA256) return invalid(`unsupported DigestMethod ${r.digestMethod ?? "(none)"} in Reference ${r.uri}`);
      if (r.digestState !== 1) return invalid(`DigestValue of Reference ${r.uri} is not a Base64 SHA-256 digest`);
    }
    if (this.#replays === 0) return invalid("no dsp:ReplayProtect in the Signature");
    if (this.#replays > 1) return invalid("more than one dsp:ReplayProtect");
    // what the references point at
    let objectReference: Reference | undefined;
    let replayReference: Reference | undefined;
    for (const r of references) {
      const capture = r.capture!;
      for (const other of references) if (other !== r && other.uri === r.uri) return invalid(`Reference ${r.uri} appears twice`);
      if (capture.count === 0) return invalid(`Reference ${r.uri}: no element with that Id follows SignedInfo`);
      if (capture.count > 1) return invalid(`Reference ${r.uri}: Id "${r.uri.slice(1)}" occurs ${capture.count} times`);
      if (!capture.done) return invalid(`Reference ${r.uri}: element not complete`);
      if (capture.depth === 2 && capture.ns === NS_OADR && capture.local === "oadrSignedObject") objectReference = r;
      else if (capture.depth === 3 && capture.ns === NS_DS && capture.local === "Object" && this.#replayObject !== undefined && r.uri.slice(1) === this.#replayObject) replayReference = r;
      else return invalid(`Reference ${r.uri} points at ${capture.local}, neither the oadrSignedObject nor the ds:Object holding ReplayProtect`);
    }
    if (objectReference === undefined) return invalid("no Reference covers oadrSignedObject");
    if (replayReference === undefined) return invalid("dsp:ReplayProtect is not covered by a Reference (it must sit in a referenced ds:Object)");
    // the certificate
    if (this.#certificates === 0) return invalid("no X509Certificate in KeyInfo");
    if (this.#certificateError !== undefined) return invalid(this.#certificateError);
    if (this.#fingerprint !== undefined && this.#certificateFingerprint !== this.#fingerprint) {
      return invalid(`certificate fingerprint ${this.#certificateFingerprint} is not the expected ${this.#fingerprint}`);
    }
    // digests, then the signature over SignedInfo
    for (const r of references) {
      if (!equalBytes(r.hash!.digest(), r.digestValue)) return invalid(`digest mismatch for Reference ${r.uri}`);
    }
    if (this.#signatureLength <= 0 || !this.#haveKey) return invalid("SignatureValue is not valid Base64");
    const value = this.#signatureBuffer.subarray(MAX_SIGNATURE_BYTES - this.#signatureLength);
    let verified = false;
    try {
      verified = this.#crypto.rsaVerify(this.#key, this.#signedInfoDigest, value);
    } catch (error) {
      return invalid(`SignatureValue: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!verified) return invalid("SignatureValue does not verify with the certificate's key");
    // replay protection
    const timestamp = this.#timestampText === undefined ? NaN : dateTimeOrNaN(this.#timestampText.trim());
    if (timestamp !== timestamp) return invalid(this.#timestampText === undefined ? "ReplayProtect has no timestamp" : `ReplayProtect timestamp "${this.#timestampText}" is not a date-time`);
    result.timestamp = timestamp;
    const nonce = this.#nonce;
    if (nonce === undefined || nonce === "") return invalid("ReplayProtect has no nonce");
    result.nonce = nonce;
    const at = now ?? timestamp;
    if (at - timestamp > this.#maxAge) return invalid(`stale ReplayProtect timestamp: signed ${at - timestamp} ms ago, limit ${this.#maxAge} ms`);
    if (timestamp - at > this.#maxFuture) return invalid(`ReplayProtect timestamp ${timestamp - at} ms in the future, limit ${this.#maxFuture} ms`);
    if (this.#nonceValues.indexOf(nonce) >= 0) return invalid(`replayed nonce ${nonce}`);
    this.#remember(nonce, timestamp, at);
    result.status = "valid";
    return result;
  }

  /** Keeps a nonce; forgets those that have left the window first, then the oldest. */
  #remember(nonce: string, timestamp: number, now: number): void {
    const values = this.#nonceValues;
    const times = this.#nonceTimes;
    let slot = -1;
    for (let i = 0; i < values.length && slot < 0; i++) {
      if (values[i] === "" || now - times[i] > this.#maxAge) slot = i;
    }
    if (slot < 0) {
      slot = this.#nonceNext;
      this.#nonceNext = (slot + 1) % values.length;
    }
    values[slot] = nonce;
    times[slot] = timestamp;
  }
}
