// Node side of the host `crypt` and `rsa` modules: digests by node:crypto (one object per XS Digest, by
// id, dropped at close and when the worker restarts) and the RSA primitive on BigInt (c^e mod m, or the
// CRT form as Moddable's rsa.js computes it: v1 = c^dq mod q, v2 = c^dp mod p, v1 + q·(C2·(v2 − v1) mod p)).
import { createHash, type Hash } from "node:crypto";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const DIGESTS: Readonly<Record<string, string>> = Object.freeze({ SHA1: "sha1", SHA224: "sha224", SHA256: "sha256", SHA384: "sha384", SHA512: "sha512", MD5: "md5" });

function big(bytes: Uint8Array | undefined): bigint {
  if (!bytes || bytes.length === 0) return 0n;
  return BigInt("0x" + Buffer.from(bytes).toString("hex"));
}

function unbig(v: bigint): Uint8Array {
  if (v === 0n) return new Uint8Array(0);
  let hex = v.toString(16);
  if (hex.length & 1) hex = "0" + hex;
  return new Uint8Array(Buffer.from(hex, "hex"));
}

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

export function modPow(base: bigint, exponent: bigint, m: bigint): bigint {
  if (m === 1n) return 0n;
  let result = 1n;
  let b = mod(base, m);
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % m;
    e >>= 1n;
    b = (b * b) % m;
  }
  return result;
}

export class HostCrypto {
  readonly #digests = new Map<number, { type: string; hash: Hash }>();
  #next = 1;

  handlers(): Record<string, (m: Any) => unknown> {
    return {
      "crypt.new": (m) => {
        const type = m.type as string;
        if (m.drop !== undefined) this.#digests.delete(m.drop); // reset() of an unfinished digest
        const algorithm = DIGESTS[type];
        if (!algorithm) throw new Error("crypt: unsupported digest");
        const id = this.#next++;
        this.#digests.set(id, { type, hash: createHash(algorithm) });
        return id;
      },
      "crypt.write": (m) => {
        const d = this.#digests.get(m.id);
        if (!d) throw new Error("crypt: can't call digest write after close");
        d.hash.update(m.data as Uint8Array);
        return null;
      },
      "crypt.close": (m) => {
        const d = this.#digests.get(m.id);
        if (!d) throw new Error("crypt: can't call digest write after close");
        this.#digests.delete(m.id);
        return new Uint8Array(d.hash.digest());
      },
      "rsa.process": (m) => {
        const c = big(m.c);
        if (m.p === undefined) return unbig(modPow(c, big(m.e), big(m.m)));
        const p = big(m.p), q = big(m.q);
        const v1 = modPow(c, big(m.dq), q);
        const v2 = modPow(c, big(m.dp), p);
        const u = mod(big(m.c2) * (v2 - v1), p);
        return unbig(v1 + u * q);
      },
    };
  }

  /** Digests in use (diagnostics). */
  get open(): number {
    return this.#digests.size;
  }

  reset(): void {
    this.#digests.clear();
  }
}
