// XS side of the signature tests, tools and bench: the firmware's verifier, canonicaliser and signer with
// the Moddable crypto adapter (the host engine maps `crypt` and `rsa` to Node's crypto). Verifiers are
// kept by name between calls so that nonces seen by one call count in the next (replay tests).
import { expose } from "../../engine/xs/expose";
import { memory } from "../../engine/xs/runtime";
import { OadrDecodeError, OadrDecoder } from "../../../modules/openadr/decode";
import { encodeToBytes } from "../../../modules/openadr/encode";
import { C14nStream, type C14nLimits } from "../../../modules/openadr/signature/c14n";
import { MessageSigner } from "../../../modules/openadr/signature/sign";
import { SignatureVerifier, type VerifierOptions, type VerifyResult } from "../../../modules/openadr/signature/verify";
import type { OadrMessage } from "../../../modules/openadr/types";
import { XmlReader } from "../../../modules/xml/reader";
import { createModdableCrypto } from "../../../modules/platform/moddable/crypto";

const crypto = createModdableCrypto();
const verifiers = new Map<string, SignatureVerifier>();

export interface VerifyOptions {
  /** Expected signer fingerprint. */
  fingerprint?: string;
  /** Clock for ReplayProtect (ms); absent: pinned to the message's own timestamp. */
  now?: number;
  /** Feed in chunks of this many bytes (default 1460, a TCP segment). */
  chunk?: number;
  /** Keep nonces across calls in the verifier of this name (default: a fresh verifier). */
  session?: string;
  maxAgeMs?: number;
}

export interface VerifyOutcome {
  result?: VerifyResult;
  /** The message type when the document decoded. */
  type?: string;
  /** Decoder failure (reason: message). */
  decodeError?: string;
}

function verifierFor(options: VerifyOptions): SignatureVerifier {
  const settings: VerifierOptions = { crypto, fingerprint: options.fingerprint, maxAgeMs: options.maxAgeMs };
  if (options.session === undefined) return new SignatureVerifier(settings);
  let v = verifiers.get(options.session);
  if (!v) verifiers.set(options.session, (v = new SignatureVerifier(settings)));
  return v;
}

function feed(write: (b: Uint8Array, s: number, e: number) => void, bytes: Uint8Array, chunk: number): void {
  if (chunk <= 0 || chunk >= bytes.length) write(bytes, 0, bytes.length);
  else for (let i = 0; i < bytes.length; i += chunk) write(bytes, i, Math.min(bytes.length, i + chunk));
}

function verifyDocument(bytes: Uint8Array, options: VerifyOptions = {}): VerifyOutcome {
  const verifier = verifierFor(options);
  verifier.begin();
  const decoder = new OadrDecoder({ signature: verifier.handler, raw: verifier.raw, onEvent() { /* dropped */ } });
  try {
    feed((b, s, e) => decoder.write(b, s, e), bytes, options.chunk ?? 1460);
    const message = decoder.end();
    return { result: verifier.finish(options.now), type: message.type };
  } catch (error) {
    verifier.begin();
    if (error instanceof OadrDecodeError) return { decodeError: `${error.reason}: ${error.message}` };
    throw error;
  }
}

/** A DigestTarget that keeps what it receives (tests of the canonicaliser). */
class Keep {
  readonly parts: number[] = [];
  update(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) this.parts.push(bytes[i]);
  }
}

// a document fed over several calls (as the network delivers it), for the fixed-heap (esp32) profile
let streaming: { decoder: OadrDecoder; verifier: SignatureVerifier; events: number } | undefined;

let signer: MessageSigner | undefined;
let signerClock = 0;
let seed = 1;
function random(): number {
  // deterministic per engine (xorshift), enough for distinct nonces in tests
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
}

/** What `npm run decode -- --verify` prints: "valid", "invalid: <reason>" or "absent". */
export function signatureLine(result: VerifyResult): string {
  return result.status === "invalid" ? `invalid: ${result.reason}` : result.status;
}

export type VerifiedOutcome =
  | { ok: true; message: Record<string, unknown>; signature: string }
  | { ok: false; error: { reason: string; path: string; message: string } };

expose({
  verify: verifyDocument,

  /** The whole message (events collected) and the signature line, for tools/decode.ts --verify. */
  decodeVerified(bytes: Uint8Array, options: VerifyOptions): VerifiedOutcome {
    const verifier = verifierFor(options);
    verifier.begin();
    const decoder = new OadrDecoder({ signature: verifier.handler, raw: verifier.raw });
    try {
      decoder.write(bytes);
      const message = decoder.end() as unknown as Record<string, unknown>;
      return { ok: true, message, signature: signatureLine(verifier.finish(options.now)) };
    } catch (error) {
      verifier.begin();
      if (error instanceof OadrDecodeError) return { ok: false, error: { reason: error.reason, path: error.path, message: error.message } };
      throw error;
    }
  },

  /** Flips bit `mask` of each byte at `positions` in turn and verifies each copy (one call for many). */
  verifyFlips(bytes: Uint8Array, positions: number[], mask: number, options: VerifyOptions): VerifyOutcome[] {
    const out: VerifyOutcome[] = [];
    for (const p of positions) {
      bytes[p] ^= mask;
      try {
        out.push(verifyDocument(bytes, options));
      } finally {
        bytes[p] ^= mask;
      }
    }
    return out;
  },

  /**
   * Canonical form of elements of `bytes`: by Id (ids) and/or by name at a depth (elements: [depth, ns,
   * local]); fed through the XML reader's raw tap in `chunk`-byte pieces (any document, not only OpenADR).
   * Returns one byte array per request.
   */
  canonicalize(bytes: Uint8Array, request: { ids?: string[]; elements?: [number, string, string][]; chunk?: number; limits?: Partial<C14nLimits> }): { parts: Uint8Array[]; error?: string; root: string; children: string[] } {
    const c14n = new C14nStream(request.limits);
    const keeps: Keep[] = [];
    for (const [depth, ns, local] of request.elements ?? []) {
      const k = new Keep();
      keeps.push(k);
      c14n.captureElement(depth, ns, local, k);
    }
    for (const id of request.ids ?? []) {
      const k = new Keep();
      keeps.push(k);
      c14n.captureId(id, k);
    }
    const reader = new XmlReader({ startElement() { /* none */ }, endElement() { /* none */ }, raw: (b, d) => c14n.write(b, d) });
    feed((b, s, e) => reader.write(b, s, e), bytes, request.chunk ?? 0);
    reader.end();
    c14n.end();
    return { parts: keeps.map((k) => Uint8Array.from(k.parts)), error: c14n.error, root: c14n.root, children: [...c14n.children] };
  },

  /** Starts a streamed verification; then streamChunk per piece, streamEnd for the verdict. */
  streamStart(fingerprint: string): boolean {
    const verifier = new SignatureVerifier({ crypto, fingerprint });
    const state = { decoder: undefined as unknown as OadrDecoder, verifier, events: 0 };
    state.decoder = new OadrDecoder({ signature: verifier.handler, raw: verifier.raw, onEvent() { state.events++; } });
    streaming = state;
    return true;
  },
  streamChunk(bytes: Uint8Array): number {
    streaming!.decoder.write(bytes);
    return streaming!.events;
  },
  streamEnd(): { status: string; reason?: string; events: number; peak: number[] } {
    const s = streaming!;
    streaming = undefined;
    s.decoder.end();
    const r = s.verifier.finish();
    return { status: r.status, reason: r.reason, events: s.events, peak: memory(false) };
  },

  /** Sets the signing identity and the signer's clock. */
  signer(certificate: Uint8Array, key: Uint8Array, now: number): string {
    signerClock = now;
    signer = new MessageSigner({ crypto, certificate, key, now: () => signerClock, random });
    return signer.fingerprint;
  },

  setSignerClock(now: number): void {
    signerClock = now;
  },

  /** A message signed by the firmware (streaming encode). */
  sign(message: OadrMessage, bufferSize?: number): Uint8Array {
    if (!signer) throw new Error("call signer() first");
    return signer.encodeToBytes(message, bufferSize ? { bufferSize } : {});
  },

  /** A message encoded, then signed by wrap(). */
  wrap(message: OadrMessage): Uint8Array {
    if (!signer) throw new Error("call signer() first");
    return signer.wrap(encodeToBytes(message));
  },

  // ---------------------------------------------------------------- measurements

  /**
   * Live heap while decoding, with or without verification: a collection runs after each chunk and at each
   * event and chunks + slots × 32 in use are sampled; the peak growth over the idle (ready) state.
   */
  liveHeap(bytes: Uint8Array, chunk: number, verify: boolean, fingerprint?: string): { peakBytes: number; events: number; status: string } {
    const g = globalThis as unknown as { gc(): void };
    let events = 0;
    let peak = 0;
    let base = 0;
    const sample = (): void => {
      g.gc();
      const [chunks, slots] = memory(false);
      const used = chunks + slots * 32 - base;
      if (used > peak) peak = used;
    };
    const verifier = verify ? new SignatureVerifier({ crypto, fingerprint }) : undefined;
    const decoder = verifier
      ? new OadrDecoder({ signature: verifier.handler, raw: verifier.raw, onEvent() { events++; sample(); } })
      : new OadrDecoder({ onEvent() { events++; sample(); } });
    g.gc();
    const [c0, s0] = memory(false);
    base = c0 + s0 * 32;
    for (let i = 0; i < bytes.length; i += chunk) {
      decoder.write(bytes, i, Math.min(bytes.length, i + chunk));
      sample();
    }
    decoder.end();
    sample();
    const status = verifier ? verifier.finish().status : "unverified";
    sample();
    return { peakBytes: peak, events, status };
  },

  /** Memory a SignatureVerifier holds once made (buffers, canonicaliser, hashers), measured after a first document. */
  verifierFixedBytes(bytes: Uint8Array, fingerprint: string): number {
    const g = globalThis as unknown as { gc(): void };
    let v: SignatureVerifier | undefined;
    const decoder = new OadrDecoder({
      signature: {
        startElement: (ns, local, attributes) => v!.handler.startElement(ns, local, attributes),
        text: (value) => v!.handler.text!(value),
        endElement: (ns, local) => v!.handler.endElement(ns, local),
      },
      raw: (b, d) => v!.raw(b, d),
      onEvent() { /* dropped */ },
    });
    g.gc();
    const [c0, s0] = memory(false);
    v = new SignatureVerifier({ crypto, fingerprint });
    for (let i = 0; i < bytes.length; i += 1460) decoder.write(bytes, i, Math.min(bytes.length, i + 1460));
    decoder.end();
    v.finish();
    g.gc();
    const [c1, s1] = memory(false);
    return c1 - c0 + (s1 - s0) * 32;
  },

  /** Decode only (the baseline of the compute figures). */
  benchDecode(bytes: Uint8Array, chunk: number): number {
    let events = 0;
    const decoder = new OadrDecoder({ onEvent() { events++; } });
    for (let i = 0; i < bytes.length; i += chunk) decoder.write(bytes, i, Math.min(bytes.length, i + chunk));
    decoder.end();
    return events;
  },

  /** Decode with streaming verification. */
  benchVerify(bytes: Uint8Array, chunk: number, fingerprint: string): string {
    const verifier = new SignatureVerifier({ crypto, fingerprint });
    const decoder = new OadrDecoder({ signature: verifier.handler, raw: verifier.raw, onEvent() { /* dropped */ } });
    for (let i = 0; i < bytes.length; i += chunk) decoder.write(bytes, i, Math.min(bytes.length, i + chunk));
    decoder.end();
    const r = verifier.finish();
    return r.status === "valid" ? r.status : `${r.status}: ${r.reason}`;
  },

  /** The canonicaliser alone over the reader's tap, digesting into nothing (what XS does on a device where SHA-256 is native). */
  benchC14n(bytes: Uint8Array, chunk: number): number {
    const c14n = new C14nStream();
    let n = 0;
    c14n.captureId("oadrSignedObject", { update(b: Uint8Array) { n += b.length; } });
    const decoder = new OadrDecoder({ raw: (b, d) => c14n.write(b, d), onEvent() { /* dropped */ } });
    for (let i = 0; i < bytes.length; i += chunk) decoder.write(bytes, i, Math.min(bytes.length, i + chunk));
    decoder.end();
    c14n.end();
    return n;
  },

  /** Signing alone (streaming encode with the RSA signature). */
  benchSign(message: OadrMessage): number {
    if (!signer) throw new Error("call signer() first");
    let n = 0;
    signer.encode(message, (b) => { n += b.length; });
    return n;
  },
});
