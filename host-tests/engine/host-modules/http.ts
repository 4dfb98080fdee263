// Host `http`: Moddable's legacy HTTP client `Request` (modules/network/http/http.js), carried out by
// Node on loopback (host/network.ts). Same dictionary ({host, address, port, path, method, headers:
// [name, value, ...], body: String|ArrayBuffer, response: String|ArrayBuffer, Socket, secure}) and
// the same callback messages: 1 status, 2 header (lower-case name, value), 3 headersComplete,
// 4 responseFragment (byte count; read with request.read(ArrayBuffer|String|Number|null)),
// 5 responseComplete (the body when `response` is set), -2 error (final; a third argument carries
// the host's reason, which the device does not give). Each message arrives on its own turn.
// `secure.verifyPeer(certificate: Uint8Array) => boolean` (the project's ssl/cert extension on the
// device) is called with the server's DER certificate on a full handshake, before the request is sent;
// anything but true refuses the server (-2, "certificate: auth err").
// `body: true` streams the body: the callback is asked for fragments (message 0) of at most 1,024
// bytes, lin's socket send buffer. Leaves out: the server.
import { host, onHostEvent } from "../xs/runtime";
import SecureSocket from "./securesocket";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any
type Callback = (this: Request, message: number, value?: Any, etc?: Any) => Any;

const requests = new Map<number, Request>();

interface Ballast { chunks: number; slots: number }
/** XS memory standing in for what SecureSocket holds on the device (TLS runs in Node here). The objects
 *  are chained (each holds the next), not kept in an Array: an Array's element storage is chunk memory
 *  (32 B per element on the host), which would add to the chunks of a slots-only figure. */
function ballast(b: Ballast): unknown {
  let chain: object | null = null;
  for (let i = 0; i < b.slots >> 1; i++) chain = { next: chain };
  return [new ArrayBuffer(b.chunks), chain];
}
/** ssl/cache's entry, kept from the first secure exchange on (one per machine, as the SDK's). */
let tlsCache: unknown;
const decoder = new TextDecoder();
const encoder = new TextEncoder();
/** Request bodies cross to Node in parts of this size. */
const BODY_PART = 512;
/** What a streamed body's fragment request offers: the send buffer of a socket on lin (Moddable). */
const SOCKET_ROOM = 1024;

function toBytes(body: unknown): Uint8Array {
  if (typeof body === "string") return encoder.encode(body);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError("http: body must be a String or an ArrayBuffer");
}
/** `secure` dictionaries already handed to Node (their certificates and key are DER blobs of ≈3 KB): each
 *  object's contents cross once, later requests name it. A device's SecureSocket reads the same objects;
 *  copying them into every request's frame would be host-only memory. A changed identity is a new object
 *  (the transports build their dictionary once). */
const secureRefs = new WeakMap<object, number>();

function secureRef(secure: Any): number {
  let ref = secureRefs.get(secure);
  if (ref === undefined) {
    const plain = typeof secure.verifyPeer === "function" ? { ...secure, verifyPeer: undefined, peerCheck: true } : secure;
    ref = host("http.secure", { secure: plain }) as number;
    secureRefs.set(secure, ref);
  }
  return ref;
}

export class Request {
  static readonly requestFragment = 0;
  static readonly status = 1;
  static readonly header = 2;
  static readonly headersComplete = 3;
  static readonly responseFragment = 4;
  static readonly responseComplete = 5;
  static readonly error = -2;

  callback?: Callback;
  state = 0;
  #id = 0;
  #response: Any;
  #buffers: Uint8Array[] = [];
  #fragment: Uint8Array | undefined;
  #position = 0;
  #ballast: unknown;
  /** TLS memory figures (the host's reply to http.request) until the response head. */
  #session: { session: Ballast; cache: Ballast } | undefined;
  #verifyPeer: ((certificate: Uint8Array) => unknown) | undefined;

  constructor(dictionary: Any) {
    const d = { port: 80, method: "GET", path: "/", ...dictionary };
    const host_ = d.host ? String(d.host) : `${d.address}:${d.port}`;
    const headers: string[] = [];
    if (d.headers) for (let i = 0; i < d.headers.length; i += 2) headers.push(String(d.headers[i]), String(d.headers[i + 1]));
    if (d.response !== undefined && d.response !== String && d.response !== ArrayBuffer) throw new TypeError("http: response must be String or ArrayBuffer");
    this.#response = d.response;
    const given = d.Socket === SecureSocket ? (d.secure ?? {}) : undefined;
    if (given && typeof given.verifyPeer === "function") this.#verifyPeer = given.verifyPeer; // Node asks for a verdict
    const request = {
      host: host_, address: d.address, port: d.port, method: String(d.method), path: String(d.path),
      headers, body: undefined as Uint8Array | undefined, upload: undefined as number | undefined, secureRef: given ? secureRef(given) : undefined,
    };
    if (d.body === true) {
      // Streamed body, as Moddable's http.js does it: once the headers are out, the callback is asked for
      // fragments (message 0, with the bytes the socket takes now: SOCKET_ROOM, lin's send buffer) until it
      // answers undefined. The callback is set after construction, so this runs on the next turn.
      Promise.resolve().then(() => {
        if (this.state === 11) return; // closed before it started
        let upload: number | undefined;
        for (;;) {
          const piece = this.callback?.call(this, Request.requestFragment, SOCKET_ROOM);
          if (piece === undefined || this.state === 11) break;
          const bytes = toBytes(piece);
          if (bytes.length > SOCKET_ROOM) throw new Error(`http: a request fragment of ${bytes.length} bytes exceeds what the socket takes (${SOCKET_ROOM})`);
          if (bytes.length) upload = host("http.upload", { upload, bytes });
        }
        if (this.state === 11) return;
        request.upload = upload;
        this.#start(request);
      });
      return;
    }
    // The bytes cross to Node in parts of ≤ BODY_PART bytes (then the request names the upload): a frame
    // holding the whole body would be a copy the device never makes (its socket writes the caller's buffer).
    if (d.body !== undefined) {
      const bytes = toBytes(d.body);
      if (bytes.length > SOCKET_ROOM) {
        // Moddable's http.js writes a whole body in one socket.write: past the socket's send buffer that
        // throws "can't write all data" in the socket callback (an XS abort on the device). Here the
        // request fails instead, loudly, so a firmware that does it fails its tests.
        const message = `can't write all data: a ${bytes.length}-byte request body in one socket write (a socket takes ${SOCKET_ROOM}; stream it with body: true)`;
        Promise.resolve().then(() => { if (this.state !== 11) this.#call(Request.error, undefined, message); });
        return;
      }
      if (bytes.length <= BODY_PART) request.body = bytes;
      else {
        let upload: number | undefined;
        for (let at = 0; at < bytes.length; at += BODY_PART) upload = host("http.upload", { upload, bytes: bytes.subarray(at, at + BODY_PART) });
        request.upload = upload;
      }
    }
    this.#start(request);
  }

  #start(request: Record<string, unknown>): void {
    const started = host("http.request", request);
    this.#id = started.id;
    // TLS runs in Node here, in XS on the device: hold what a SecureSocket holds, so fixed-heap tests see
    // it — the handshake's peak until the response head arrives (the handshake is over by then; holding
    // it that long is on the safe side), then the established session's live memory until the socket
    // closes, and from the first secure exchange on the session cache's entry (network.ts: figures).
    if (started.ballast) {
      this.#ballast = ballast(started.ballast);
      this.#session = started;
    }
    requests.set(this.#id, this);
  }

  /** Reads from the current response fragment (during message 4). */
  read(type: Any, limit?: number): Any {
    const f = this.#fragment;
    if (!f) return undefined;
    let available = f.length - this.#position;
    if (type === Number) limit = 1;
    if (limit === undefined || limit > available) limit = available;
    if (limit <= 0 && type !== undefined) return undefined;
    if (type === undefined) return available; // Moddable: read() answers the bytes available
    const bytes = f.subarray(this.#position, this.#position + limit);
    this.#position += limit;
    available -= limit;
    if (type === null) return undefined;
    if (type === Number) return bytes[0];
    if (type === String) return decoder.decode(bytes);
    if (type === ArrayBuffer) return bytes.slice().buffer;
    throw new TypeError("http read: type must be ArrayBuffer, String, Number or null");
  }

  close(): void {
    this.#session = undefined;
    if (this.#id) {
      requests.delete(this.#id);
      host("http.close", { id: this.#id });
      this.#id = 0;
    }
    this.#buffers = [];
    this.#ballast = undefined;
    this.state = 11;
  }

  #call(message: number, value?: Any, etc?: Any): void {
    const cb = this.callback;
    if (cb) cb.call(this, message, value, etc);
  }

  /** @internal host events */
  _event(e: Any): void {
    switch (e.type) {
      case "peer": {
        let ok = false;
        try {
          ok = this.#verifyPeer?.(e.certificate) === true;
        } catch {
          ok = false; // as on the device: an exception in the check fails the handshake
        }
        if (this.#id) host("http.verdict", { id: this.#id, ok });
        break;
      }
      case "head":
        if (this.#session) {
          this.#ballast = undefined; // the handshake's memory is garbage now
          this.#ballast = ballast(this.#session.session);
          tlsCache ??= ballast(this.#session.cache);
          this.#session = undefined;
        }
        this.state = 4;
        this.#call(Request.status, e.status);
        for (let i = 0; i < e.headers.length; i += 2) {
          if (!this.#id) return;
          this.#call(Request.header, String(e.headers[i]).toLowerCase(), e.headers[i + 1]);
        }
        if (!this.#id) return;
        this.state = 5;
        this.#call(Request.headersComplete);
        break;
      case "data":
        if (this.#response) {
          this.#buffers.push(e.bytes);
        } else {
          this.#fragment = e.bytes;
          this.#position = 0;
          try {
            this.#call(Request.responseFragment, e.bytes.length);
          } finally {
            this.#fragment = undefined;
          }
        }
        break;
      case "done": {
        this.state = 6;
        let data: Any;
        if (this.#response) {
          let total = 0;
          for (const b of this.#buffers) total += b.length;
          const all = new Uint8Array(total);
          let at = 0;
          for (const b of this.#buffers) { all.set(b, at); at += b.length; }
          this.#buffers = [];
          data = this.#response === String ? decoder.decode(all) : all.buffer;
        }
        try {
          this.#call(Request.responseComplete, data);
        } finally {
          this.close();
        }
        break;
      }
      case "error":
        this.state = 6;
        try {
          this.#call(Request.error, undefined, e.message);
        } finally {
          this.close();
        }
        break;
    }
  }
}
Object.freeze(Request.prototype);

onHostEvent("http", (e: Any) => {
  const request = requests.get(e.id);
  if (request) request._event(e);
});

export default { Request };
