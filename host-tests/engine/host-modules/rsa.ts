// Host `rsa`: Moddable's RSA primitive (modules/crypt/etc/rsa.js) — c^e mod m, or with p and q given the
// CRT form with dp, dq and C2 = q⁻¹ mod p — computed by Node (host/crypto.ts) on the same numbers.
/// <reference path="../../../modules/platform/moddable/crypt.d.ts" />
import { host } from "../xs/runtime";

const NONE = new Uint8Array(0);

function bytes(v: bigint | undefined): Uint8Array {
  return v === undefined ? NONE : new Uint8Array(ArrayBuffer.fromBigInt(v));
}

function bitLength(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}

export default class RSA {
  readonly #numbers: Record<string, Uint8Array>;
  readonly #size: number;
  constructor(e: bigint, m: bigint, p?: bigint, q?: bigint, dp?: bigint, dq?: bigint, C2?: bigint) {
    const crt = bitLength(e) > 17 && p !== undefined && q !== undefined;
    this.#numbers = crt ? { e: bytes(e), m: bytes(m), p: bytes(p), q: bytes(q), dp: bytes(dp), dq: bytes(dq), c2: bytes(C2) } : { e: bytes(e), m: bytes(m) };
    this.#size = (bitLength(m) + 7) >>> 3;
  }
  process(c: bigint): bigint {
    const out: Uint8Array = host("rsa.process", { ...this.#numbers, c: bytes(c) });
    return out.length === 0 ? 0n : BigInt.fromArrayBuffer(out.slice().buffer as ArrayBuffer);
  }
  get modulusSize(): number {
    return this.#size;
  }
}
