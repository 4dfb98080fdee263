// JSON-over-HTTP exchanges with the CIOF terminal on an injected HttpTransport: the Authorization
// header (`Bearer token=<key>`, as the terminal expects; never logged), UTF-8 JSON bodies, a bounded
// response buffer, and one exchange in flight (later calls wait their turn, FIFO). It never retries:
// it reports every outcome (an HTTP status, or a TransportError) and the outbox decides.

import type { HttpTransport, Log, HttpExchange } from "../platform/types";
import { TransportError } from "../platform/types";
import { utf8Decode, utf8Encode } from "./utf8";
import { API_BASE } from "./wire";

export interface CiofHttpOptions {
  transport: HttpTransport;
  /** authorization_key from the site's EdgeControllerAPIKey.yml. A secret: never logged. */
  authorizationKey: string;
  log: Log;
  /** Default "/hct/api/v2". */
  basePath?: string;
  /** Whole-exchange timeout, ms (default 15,000). */
  timeoutMs?: number;
  /** Response bodies beyond this are not kept (default 32,768 bytes); `tooLarge` is set. */
  maxResponseBytes?: number;
}

export interface CiofResponse {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** UTF-8 text of the body (the first maxResponseBytes). */
  readonly text: string;
  readonly tooLarge: boolean;
}

/** An HTTP status the caller did not expect, with the path and a truncated body for the log. */
export class CiofHttpError extends Error {
  // A field, not an assignment: on the device Error.prototype is frozen after preload,
  // so `this.name = …` throws "set name: not writable".
  override readonly name = "CiofHttpError";
  readonly status: number;
  readonly path: string;
  readonly body: string;
  constructor(status: number, path: string, body: string) {
    super("CIOF " + path + " answered HTTP " + status);
    this.status = status;
    this.path = path;
    this.body = body;
  }
}

/** A body that could not be used (too large, not JSON, wrong shape). Not retried. */
export class CiofBodyError extends Error {
  // A field, not an assignment: on the device Error.prototype is frozen after preload,
  // so `this.name = …` throws "set name: not writable".
  override readonly name = "CiofBodyError";
  readonly path: string;
  constructor(path: string, message: string) {
    super("CIOF " + path + ": " + message);
    this.path = path;
  }
}

/** The options without their undefined members, so that `{...defaults, ...defined(options)}` keeps a default. */
export function defined<T extends object>(o: T): T {
  const out = {} as T;
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** Truncates text for a log line (error bodies are logged raw but short). */
export function truncate(s: string, max = 200): string {
  return s.length <= max ? s : s.slice(0, max) + "…(" + s.length + " chars)";
}

interface Pending {
  method: "GET" | "POST" | "PUT";
  path: string;
  body?: Uint8Array;
  resolve(r: CiofResponse): void;
  reject(e: unknown): void;
}

export class CiofHttp {
  readonly #transport: HttpTransport;
  readonly #auth: string;
  readonly #log: Log;
  readonly #base: string;
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #queue: Pending[] = [];
  #busy = false;
  #scheduled = false;
  #exchange: HttpExchange | undefined;
  #closed = false;
  requests = 0;
  bytesSent = 0;

  constructor(options: CiofHttpOptions) {
    if (!options || typeof options !== "object") throw new TypeError("CiofHttp: options required");
    if (!options.transport) throw new TypeError("CiofHttp: transport required");
    if (typeof options.authorizationKey !== "string" || options.authorizationKey === "") throw new TypeError("CiofHttp: authorizationKey required");
    if (/[\r\n]/.test(options.authorizationKey)) throw new RangeError("CiofHttp: authorizationKey has a line break");
    if (typeof options.log !== "function") throw new TypeError("CiofHttp: log required");
    const o = { basePath: API_BASE, timeoutMs: 15_000, maxResponseBytes: 32_768, ...defined(options) };
    if (!(o.timeoutMs > 0)) throw new RangeError("CiofHttp: timeoutMs must be > 0");
    if (!(o.maxResponseBytes >= 256)) throw new RangeError("CiofHttp: maxResponseBytes must be ≥ 256");
    this.#transport = o.transport;
    this.#auth = "Bearer token=" + o.authorizationKey;
    this.#log = o.log;
    this.#base = o.basePath;
    this.#timeoutMs = o.timeoutMs;
    this.#maxBytes = o.maxResponseBytes;
  }

  /** One exchange. Resolves with any HTTP status; rejects with TransportError (network, timeout, closed). */
  request(method: "GET" | "POST" | "PUT", path: string, body?: unknown): Promise<CiofResponse> {
    return new Promise<CiofResponse>((resolve, reject) => {
      if (this.#closed) { reject(new TransportError("closed", "CIOF client closed")); return; }
      const bytes = body === undefined ? undefined : utf8Encode(JSON.stringify(body));
      this.#queue.push({ method, path, body: bytes, resolve, reject });
      this.#start();
    });
  }

  /** Same, for a body already serialised as JSON text. */
  requestText(method: "POST" | "PUT", path: string, json: string): Promise<CiofResponse> {
    return new Promise<CiofResponse>((resolve, reject) => {
      if (this.#closed) { reject(new TransportError("closed", "CIOF client closed")); return; }
      this.#queue.push({ method, path, body: utf8Encode(json), resolve, reject });
      this.#start();
    });
  }

  /** Parses a JSON body (already bounded by maxResponseBytes). */
  static json(r: CiofResponse): unknown {
    if (r.tooLarge) throw new CiofBodyError(r.path, "response larger than the configured limit");
    if (r.text === "") return undefined;
    try { return JSON.parse(r.text); }
    catch { throw new CiofBodyError(r.path, "response is not JSON: " + truncate(r.text, 80)); }
  }

  /** Rejects what is queued, aborts what is in flight. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const q = this.#queue.splice(0);
    for (const p of q) p.reject(new TransportError("closed", "CIOF client closed"));
    const ex = this.#exchange;
    this.#exchange = undefined;
    if (ex) ex.abort();
  }

  /**
   * Starts the next exchange on a fresh turn: the transport (and the platform's HTTP client under it)
   * then runs on a shallow stack, whatever depth the caller was at (512 slots on an ESP32).
   */
  #start(): void {
    if (this.#busy || this.#scheduled) return;
    this.#scheduled = true;
    Promise.resolve().then(() => { this.#scheduled = false; if (!this.#busy) this.#next(); });
  }

  #next(): void {
    const p = this.#queue.shift();
    if (!p) { this.#busy = false; return; }
    this.#busy = true;
    const headers: Record<string, string> = { "content-type": "application/json", "authorization": this.#auth, "accept": "application/json" };
    if (p.body) headers["content-length"] = String(p.body.length);
    // The body goes into one buffer: sized from Content-Length when the reply gives one within the
    // limit, grown (doubling, never past maxResponseBytes) otherwise. No chunk list and no joined copy:
    // at the end only this buffer and the text decoded from it exist, and the buffer goes first.
    let buf: Uint8Array | undefined;
    let size = 0;
    let tooLarge = false;
    let status = 0;
    let settled = false;
    const max = this.#maxBytes;
    const finish = (error?: TransportError) => {
      if (settled) return;
      settled = true;
      this.#exchange = undefined;
      if (error) { buf = undefined; p.reject(error); }
      else {
        const b = buf;
        buf = undefined;
        const text = b && size ? utf8Decode(size === b.length ? b : b.subarray(0, size)) : "";
        p.resolve({ method: p.method, path: p.path, status, text, tooLarge });
      }
      Promise.resolve().then(() => this.#next());
    };
    this.requests++;
    if (p.body) this.bytesSent += p.body.length;
    try {
      this.#exchange = this.#transport.request({ method: p.method, path: this.#base + p.path, headers, body: p.body, timeoutMs: this.#timeoutMs }, {
        onHeaders(s: number, h?: Record<string, string>) {
          status = s;
          const cl = h ? Number(h["content-length"]) : NaN;
          if (Number.isInteger(cl) && cl > 0 && cl <= max && !buf) buf = new Uint8Array(cl);
        },
        onData(chunk: Uint8Array) {
          if (tooLarge || settled) return;
          let n = chunk.length;
          if (size + n > max) { tooLarge = true; n = max - size; if (n <= 0) return; }
          if (!buf || buf.length < size + n) {
            let cap = buf ? buf.length * 2 : 1024;
            if (cap < size + n) cap = size + n;
            if (cap > max) cap = max;
            const grown = new Uint8Array(cap);
            if (buf && size) grown.set(buf.subarray(0, size));
            buf = grown;
          }
          buf.set(n === chunk.length ? chunk : chunk.subarray(0, n), size);
          size += n;
        },
        onDone() { finish(); },
        onError(e: TransportError) { finish(e instanceof TransportError ? e : new TransportError("protocol", String(e))); },
      });
    } catch (e) {
      this.#log("warn", "ciof", "transport refused the request", { path: p.path, error: String(e) });
      finish(e instanceof TransportError ? e : new TransportError("connect", String(e), e));
    }
  }
}
