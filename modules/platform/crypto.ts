// The crypto seam of XML signatures (modules/openadr/signature/): an incremental SHA-256 and RSA
// PKCS#1 v1.5 with SHA-256 over a hash computed by the caller, with keys given as their numbers
// (big-endian unsigned bytes, as DER INTEGERs carry them). Key parsing (X.509, PKCS#8) is done in
// TypeScript by the caller. main.ts fills this with modules/platform/moddable/crypto.ts (Moddable's
// crypt and rsa modules; the XS host engine maps those to Node's crypto). Leaves out: ECDSA, other hashes.

/** An incremental SHA-256. */
export interface Sha256 {
  /** Adds bytes (a view, valid only during the call). */
  update(bytes: Uint8Array): void;
  /** Ends the hash: the 32-byte digest. Call reset() before using the object again. */
  digest(): Uint8Array;
  /** Starts a new hash with the same object (verifiers keep theirs from message to message). */
  reset(): void;
}

/** RSA public key numbers, big-endian unsigned bytes (leading zero bytes allowed). */
export interface RsaPublicKey {
  readonly modulus: Uint8Array;
  readonly exponent: Uint8Array;
}

/** RSA private key numbers (PKCS#1 RSAPrivateKey fields), big-endian unsigned bytes. */
export interface RsaPrivateKey extends RsaPublicKey {
  readonly privateExponent: Uint8Array;
  readonly prime1: Uint8Array;
  readonly prime2: Uint8Array;
  readonly exponent1: Uint8Array;
  readonly exponent2: Uint8Array;
  readonly coefficient: Uint8Array;
}

export interface SignatureCrypto {
  sha256(): Sha256;
  /** RSASSA-PKCS1-v1_5 verification of a SHA-256 hash (strict: the whole encoded message is compared). */
  rsaVerify(key: RsaPublicKey, hash: Uint8Array, signature: Uint8Array): boolean;
  /** RSASSA-PKCS1-v1_5 signature of a SHA-256 hash: modulus-sized bytes. */
  rsaSign(key: RsaPrivateKey, hash: Uint8Array): Uint8Array;
}

/** DigestInfo prefix of SHA-256 (RFC 8017 §9.2 note 1): the encoded message ends with it and the hash. */
export const SHA256_DIGEST_INFO: readonly number[] = Object.freeze([
  0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
]);

/** Bytes of the modulus without leading zeros. */
export function modulusLength(modulus: Uint8Array): number {
  let i = 0;
  while (i < modulus.length && modulus[i] === 0) i++;
  return modulus.length - i;
}

/**
 * EMSA-PKCS1-v1_5 encoding of a SHA-256 hash for a modulus of `k` bytes: 00 01 FF…FF 00 DigestInfo H.
 * Throws RangeError when the modulus is too small (k < 62).
 */
export function emsaPkcs1Sha256(hash: Uint8Array, k: number): Uint8Array {
  if (hash.length !== 32) throw new RangeError("SHA-256 hash must be 32 bytes");
  const t = SHA256_DIGEST_INFO.length + 32;
  if (k < t + 11) throw new RangeError("RSA modulus too small for SHA-256");
  const em = new Uint8Array(k);
  em[1] = 0x01;
  const ps = k - t - 3;
  em.fill(0xff, 2, 2 + ps);
  let at = 3 + ps;
  for (let i = 0; i < SHA256_DIGEST_INFO.length; i++) em[at++] = SHA256_DIGEST_INFO[i];
  em.set(hash, at);
  return em;
}
