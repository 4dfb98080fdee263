// HttpTransport over Moddable's legacy `http` Request with `SecureSocket` (TLS 1.2, client certificate
// and key as DER, the VTN verified against the CA) — the stable path on ESP32, and the one the host
// engine carries out with Node on loopback. Response bodies are handed over fragment by fragment
// (no `response` buffering), so the decoder sees them as they arrive.
//
// Connection reuse: the legacy Request sends "Connection: close" and opens one connection per
// exchange; what keeps steady polling from paying a full handshake each time is SecureSocket's TLS
// session cache (ssl/cache, one entry keyed by the host name, on by default): every exchange after the
// first resumes the session (abbreviated handshake: no certificate exchange, no RSA/ECDSA work).
// `stats.handshakes` counts connections that were not known to resume (all of them on a device, where
// the socket does not say; the host engine reports resumption).
//
// Fingerprint pin (optional): the VTN certificate's OpenADR fingerprint must match. The check runs in
// the TLS handshake, after the SDK has verified the chain and the host name and before a byte of the
// request is sent, through the `secure.verifyPeer(certificate)` callback that the project's
// `ssl/cert` module (modules/platform/moddable/tls/cert.ts, mapped over the SDK's in the manifest) adds
// to SecureSocket, and that the host engine implements too. A resumed session carries no certificate
// and is not checked again (it can only resume a session this device established by a full, checked
// handshake). A pinned transport whose first handshake never reached the callback (a build without the
// ssl/cert module) fails closed ("fingerprint").
// Leaves out: proxies, redirects, HTTP/1.1 keep-alive (not in the legacy client).
import * as HTTP from "http";
import SecureSocket from "securesocket";
import Timer from "timer";
import { TransportError, type HttpExchange, type HttpHeaders, type HttpRequest, type HttpResponseHandler, type HttpTransport } from "../types";
import { openadrFingerprint } from "./fingerprint";

export interface ModdableTransportOptions {
  host: string;
  port: number;
  /** TLS (https). false only in development. */
  secure: boolean;
  tls?: {
    ca: Uint8Array;
    certificate: Uint8Array;
    key: Uint8Array;
    vtnFingerprint?: string;
  };
  /** Default exchange timeout when a request gives none, ms. Default 30 s. */
  timeoutMs?: number;
}

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

// Through the namespace: host tests type-check this file with Node's "http" typings in scope, which
// name a different module; at run time (device and host engine) it is Moddable's `Request`.
const Request = (HTTP as unknown as { Request: new (dictionary: Any) => Any }).Request;

/** The bytes as an ArrayBuffer, without a copy when the view spans its whole buffer (resources do). */
function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes.buffer as ArrayBuffer;
  return bytes.slice().buffer as ArrayBuffer;
}

export class ModdableHttpTransport implements HttpTransport {
  readonly stats = { handshakes: 0, requests: 0, resumed: 0 };
  readonly #o: ModdableTransportOptions;
  readonly #secure: Record<string, unknown> | undefined;
  #active: { abort(): void } | undefined;
  /** Pin: a full handshake of this transport met the pinned certificate (resumptions rely on it). */
  #pinChecked = false;
  /** Pin: the fingerprint of a certificate verifyPeer refused, until the exchange reports the failure. */
  #pinRefused: string | undefined;
  #closed = false;

  constructor(options: ModdableTransportOptions) {
    if (typeof options?.host !== "string" || options.host === "") throw new TypeError("host required");
    if (!Number.isInteger(options.port)) throw new TypeError("port required");
    if (options.secure) {
      const tls = options.tls;
      if (!tls?.ca || !tls.certificate || !tls.key) throw new TypeError("tls: ca, certificate and key required when secure");
      this.#secure = {
        protocolVersion: 0x303,
        certificate: toArrayBuffer(tls.ca),
        clientCertificates: [toArrayBuffer(tls.certificate)],
        clientKey: toArrayBuffer(tls.key),
      };
      const pin = tls.vtnFingerprint;
      if (pin !== undefined) {
        this.#secure.verifyPeer = (certificate: Uint8Array | ArrayBuffer): boolean => {
          const actual = openadrFingerprint(certificate instanceof Uint8Array ? certificate : new Uint8Array(certificate));
          if (actual === pin) {
            this.#pinChecked = true;
            return true;
          }
          this.#pinRefused = actual;
          return false;
        };
      }
    }
    this.#o = options;
  }

  request(request: HttpRequest, handler: HttpResponseHandler): HttpExchange {
    if (this.#closed) throw new TransportError("closed", "transport closed");
    if (this.#active) throw new TransportError("protocol", "one exchange at a time");
    const headers: Array<string | number> = [];
    let typeGiven = false;
    for (const name of Object.keys(request.headers ?? {})) {
      if (name.toLowerCase() === "content-length") continue;
      if (name.toLowerCase() === "content-type") typeGiven = true;
      headers.push(name, request.headers![name]!);
    }
    const body = request.body;
    if (body) {
      if (!typeGiven) headers.push("Content-Type", "application/xml");
      headers.push("Content-Length", body.length);
    }
    const dictionary: Any = { host: this.#o.host, port: this.#o.port, path: request.path, method: request.method, headers };
    // The body goes out in fragments the socket can take now (`body: true`, message 0): the SDK's http
    // client writes a whole body in one socket.write, which throws "can't write all data" once the body
    // does not fit the socket's send buffer (1,024 bytes on lin, seen in mcsim with a 1.1 KB
    // oadrCreatePartyRegistration; lwIP's send buffer on the ESP32).
    if (body) dictionary.body = true;
    let sent = 0;
    const fragment = (room: number): ArrayBuffer | undefined => {
      if (!body || sent >= body.length) return undefined;
      const n = Math.min(room > 0 ? room : 0, body.length - sent);
      const piece = body.slice(sent, sent + n).buffer as ArrayBuffer;
      sent += n;
      return piece;
    };
    if (this.#secure) {
      dictionary.Socket = SecureSocket;
      dictionary.secure = this.#secure;
    }

    let finished = false;
    let timer: ReturnType<typeof Timer.set> | undefined;
    let req: Any;
    const fingerprint = this.#o.tls?.vtnFingerprint;
    const responseHeaders: HttpHeaders = {};
    let status = 0;
    const finish = () => {
      finished = true;
      if (timer) Timer.clear(timer);
      timer = undefined;
      if (this.#active === exchange) this.#active = undefined;
    };
    const fail = (error: TransportError) => {
      if (finished) return;
      finish();
      try {
        req?.close();
      } catch {
        // closing a request that already failed: nothing more to release
      }
      handler.onError(error);
    };
    const exchange = {
      abort: () => {
        if (finished) return;
        finish();
        try {
          req?.close();
        } catch {
          // already closed
        }
      },
    };
    this.#pinRefused = undefined;
    this.#active = exchange;
    this.stats.requests++;
    try {
      req = new Request(dictionary);
    } catch (error) {
      finish();
      throw new TransportError("connect", `request failed to start: ${String(error)}`, error);
    }
    // The rare messages (headers complete: resumption and the pin; errors) are closures of their own: the
    // callback runs once per response fragment at the bottom of the decode call chain, and XS gives a
    // function a stack slot for every outer binding it uses.
    const headersComplete = () => {
      // the TLS session is up; check resumption and the pin now, before the body
      const info = this.#connectionInfo(req);
      if (info.resumed === true) this.stats.resumed++;
      else this.stats.handshakes++;
      if (fingerprint && !this.#pinChecked) {
        // the handshake never reached verifyPeer: a platform without the ssl/cert extension
        const actual = info.peerCertificate ? openadrFingerprint(info.peerCertificate) : undefined;
        if (actual !== fingerprint) {
          fail(new TransportError("fingerprint", actual ? `VTN fingerprint ${actual} does not match the pin` : "VTN certificate was not checked against the pin (no ssl/cert verifyPeer on this platform): refused"));
          return;
        }
        this.#pinChecked = true;
      }
      handler.onHeaders?.(status, responseHeaders);
    };
    const failed = (etc: unknown) => {
      const refused = this.#pinRefused;
      this.#pinRefused = undefined;
      if (refused !== undefined) {
        fail(new TransportError("fingerprint", `VTN fingerprint ${refused} does not match the pin: refused in the handshake`));
        return;
      }
      const reason = typeof etc === "string" ? etc : "connection failed";
      fail(new TransportError(classify(reason), reason));
    };
    req.callback = function (this: Any, message: number, value?: Any, etc?: Any): ArrayBuffer | undefined {
      if (finished) return undefined;
      if (message === 0) return fragment(value); // requestFragment: value = bytes the socket takes now
      if (message === 4) {
        // a fragment: hand it over as it came
        const buffer = req.read(ArrayBuffer, value);
        if (buffer && buffer.byteLength) handler.onData?.(new Uint8Array(buffer));
      } else if (message === 1) status = value; // status
      else if (message === 2) responseHeaders[String(value)] = String(etc); // one header
      else if (message === 3) headersComplete();
      else if (message === 5) {
        finish();
        handler.onDone();
      } else if (message < 0) failed(etc);
      return undefined;
    };
    timer = Timer.set(() => {
      timer = undefined;
      fail(new TransportError("timeout", `no complete response within ${request.timeoutMs ?? this.#o.timeoutMs ?? 30_000} ms`));
    }, request.timeoutMs ?? this.#o.timeoutMs ?? 30_000);
    return exchange;
  }

  /** What the platform says about the connection (the host engine fills it; a device says nothing). */
  #connectionInfo(req: Any): { resumed?: boolean; peerCertificate?: Uint8Array } {
    const info = req?.connection ?? req?.tls;
    if (!info || typeof info !== "object") return {};
    const out: { resumed?: boolean; peerCertificate?: Uint8Array } = {};
    if (typeof info.resumed === "boolean") out.resumed = info.resumed;
    const cert = info.peerCertificate;
    if (cert instanceof Uint8Array) out.peerCertificate = cert;
    else if (cert instanceof ArrayBuffer) out.peerCertificate = new Uint8Array(cert);
    return out;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#active?.abort();
    this.#active = undefined;
  }
}

function classify(reason: string): TransportError["code"] {
  const r = reason.toLowerCase();
  if (r.includes("timeout") || r.includes("timed out")) return "timeout";
  if (r.includes("certificate") || r.includes("self-signed") || r.includes("unable to verify") || r.includes("altname")) return "certificate";
  if (r.includes("tls") || r.includes("ssl") || r.includes("handshake") || r.includes("alert")) return "tls";
  if (r.includes("refused") || r.includes("reset") || r.includes("unreachable") || r.includes("enotfound") || r.includes("connect")) return "connect";
  if (r.includes("closed") || r.includes("hang up") || r.includes("socket")) return "closed";
  return "connect";
}
