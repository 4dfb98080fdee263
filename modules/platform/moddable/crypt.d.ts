// Types for the Moddable SDK crypto modules crypto.ts imports (the SDK ships them without typings):
// `crypt` (modules/crypt/digest/crypt.js: Digest over native hashes) and `rsa` (modules/crypt/etc/rsa.js:
// the RSA primitive over XS BigInt with CRT when p and q are given), plus XS's BigInt ↔ ArrayBuffer
// conversions (xsBigInt.c, xsDataView.c). Only what crypto.ts uses.
declare module "crypt" {
  export class Digest {
    /** "SHA1", "SHA256", …; throws "crypt: unsupported digest". */
    constructor(type: string);
    /** ArrayBuffer, typed array (its view) or string. */
    write(data: ArrayBufferLike | ArrayBufferView | string): void;
    close(): ArrayBuffer;
    reset(): void;
  }
}

declare module "rsa" {
  export default class RSA {
    /** Public: (e, m). Private with CRT: (d, m, p, q, dp, dq, qInv). */
    constructor(e: bigint, m: bigint, p?: bigint, q?: bigint, dp?: bigint, dq?: bigint, C2?: bigint);
    /** c^e mod m. */
    process(c: bigint): bigint;
    readonly modulusSize: number;
  }
}

interface BigIntConstructor {
  /** Unsigned big-endian bytes → bigint (XS). Throws on an empty buffer. */
  fromArrayBuffer(buffer: ArrayBuffer): bigint;
}

interface ArrayBufferConstructor {
  /** bigint → unsigned big-endian bytes, left-padded with zeros to at least `minBytes` (XS). */
  fromBigInt(value: bigint, minBytes?: number): ArrayBuffer;
}
