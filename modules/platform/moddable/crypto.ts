// SignatureCrypto (modules/platform/crypto.ts) over Moddable's crypto modules: `crypt`'s native Digest
// for SHA-256 and the `rsa` primitive (XS BigInt, CRT for private keys) with PKCS#1 v1.5 encoding done
// here, so that verification compares the whole encoded message (Moddable's pkcs1_5 only compares the
// hash it finds). main.ts passes createModdableCrypto() to the VEN; the XS host engine maps `crypt`
// and `rsa` to Node's crypto (host-tests/engine/host-modules/), so the same code runs in host tests.
// The manifest must include $(MODULES)/crypt/digest and the `rsa` module (tls.json brings both).
/// <reference path="./crypt.d.ts" />
import { Digest } from "crypt";
import RSA from "rsa";
import { emsaPkcs1Sha256, modulusLength, type RsaPrivateKey, type RsaPublicKey, type Sha256, type SignatureCrypto } from "../crypto";

// XS's own conversions (xs.d.ts types them with the BigInt wrapper; these are the primitive forms)
const fromArrayBuffer = BigInt.fromArrayBuffer as (buffer: ArrayBuffer) => bigint;

function toBigInt(bytes: Uint8Array): bigint {
  return fromArrayBuffer(bytes.length === 0 ? new ArrayBuffer(1) : (bytes.slice().buffer as ArrayBuffer));
}

function toBytes(value: bigint, length: number): Uint8Array {
  const bytes = new Uint8Array(ArrayBuffer.fromBigInt(value, length));
  return bytes.length === length ? bytes : bytes.subarray(bytes.length - length);
}

class ModdableSha256 implements Sha256 {
  readonly #digest = new Digest("SHA256");
  update(bytes: Uint8Array): void {
    this.#digest.write(bytes);
  }
  digest(): Uint8Array {
    return new Uint8Array(this.#digest.close());
  }
  reset(): void {
    this.#digest.reset();
  }
}

export function createModdableCrypto(): SignatureCrypto {
  return Object.freeze({
    sha256(): Sha256 {
      return new ModdableSha256();
    },
    rsaVerify(key: RsaPublicKey, hash: Uint8Array, signature: Uint8Array): boolean {
      const k = modulusLength(key.modulus);
      if (signature.length !== k) return false;
      const n = toBigInt(key.modulus);
      const s = toBigInt(signature);
      if (s >= n) return false;
      const em = toBytes(new RSA(toBigInt(key.exponent), n).process(s), k);
      const expected = emsaPkcs1Sha256(hash, k);
      let d = 0;
      for (let i = 0; i < k; i++) d |= em[i] ^ expected[i];
      return d === 0;
    },
    rsaSign(key: RsaPrivateKey, hash: Uint8Array): Uint8Array {
      const k = modulusLength(key.modulus);
      const rsa = new RSA(toBigInt(key.privateExponent), toBigInt(key.modulus), toBigInt(key.prime1), toBigInt(key.prime2),
        toBigInt(key.exponent1), toBigInt(key.exponent2), toBigInt(key.coefficient));
      return toBytes(rsa.process(toBigInt(emsaPkcs1Sha256(hash, k))), k);
    },
  });
}
