// Host `crypt`: Moddable's Digest (modules/crypt/digest/crypt.js) answered by Node's crypto (Node side:
// host/crypto.ts). write() takes an ArrayBuffer, a typed array (its view) or a string, as on the device;
// close() returns the digest as an ArrayBuffer and ends the object ("can't call digest write after
// close"), reset() starts over. Only the digests (SHA1, SHA224, SHA256, SHA384, SHA512, MD5); no ciphers.
import { host } from "../xs/runtime";

const encoder = new TextEncoder();

export class Digest {
  readonly #type: string;
  #id: number;
  #closed = false;
  constructor(type: string) {
    this.#type = String(type);
    this.#id = host("crypt.new", { type: this.#type });
  }
  write(data: ArrayBufferLike | ArrayBufferView | string): void {
    if (this.#closed) throw new Error("crypt: can't call digest write after close");
    let bytes: Uint8Array;
    if (typeof data === "string") bytes = encoder.encode(data);
    else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    else bytes = new Uint8Array(data as ArrayBuffer);
    host("crypt.write", { id: this.#id, data: bytes });
  }
  close(): ArrayBuffer {
    if (this.#closed) throw new Error("crypt: can't call digest write after close");
    this.#closed = true;
    const digest: Uint8Array = host("crypt.close", { id: this.#id });
    return digest.slice().buffer as ArrayBuffer;
  }
  reset(): void {
    this.#id = host("crypt.new", { type: this.#type, drop: this.#closed ? undefined : this.#id });
    this.#closed = false;
  }
  process(...parts: (ArrayBufferLike | ArrayBufferView | string)[]): ArrayBuffer {
    this.reset();
    for (const p of parts) this.write(p);
    return this.close();
  }
  update(data: ArrayBufferLike | ArrayBufferView | string): void {
    this.write(data);
  }
}

export default Object.freeze({ Digest });
