// Node side of the host `http` module: performs each Request with Node's http/https on loopback and
// posts the outcome to XS as events (head, data fragments of `fragmentSize` bytes, done | error).
// Faithful to Moddable's legacy client where it matters to tests: "Connection: close" on every request
// (no keep-alive unless `keepAlive` is set), TLS 1.2 only, a single-entry TLS session cache keyed by
// host (ssl_cache.js), the `secure` dictionary's DER certificate/key, and the hang on a TLS response
// that has neither Content-Length nor chunked encoding. Counters: xs.network.stats.
// Faults per request: failNext()/inject() — connect error, timeout after virtual ms, delay, truncation,
// a stall mid-body. The server certificate can be checked as the device checks it: its validity period
// against the XS wall clock (`deviceClockCertificates`), and by the `secure.verifyPeer` callback the
// project's ssl/cert module adds (full handshakes only; the request waits for the verdict).
import { createHash } from "node:crypto";
import http from "node:http";
import https from "node:https";
import tls from "node:tls";
import { isIP } from "node:net";
import type { HostServices } from "./services.ts";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface NetworkRequestInfo {
  id: number;
  method: string;
  host: string;
  port: number;
  path: string;
  secure: boolean;
  /** name, value, name, value … as sent */
  headers: string[];
  bodyLength: number;
  /** virtual ticks when the request was made */
  ticks: number;
}

export type NetworkFault =
  /** -2 at once (connection refused, DNS, TLS alert …) */
  | { kind: "connect"; message?: string }
  /** no answer; -2 after `afterMs` of virtual time, or never (the caller's own timeout must act) */
  | { kind: "timeout"; afterMs?: number }
  /** the real exchange, delivered `ms` of virtual time later */
  | { kind: "delay"; ms: number }
  /** the real exchange, cut after `bytes` body bytes, then -2 */
  | { kind: "truncate"; bytes: number }
  /** the real exchange, status, headers and `bytes` body bytes delivered, then silence: -2 after
   *  `afterMs` of virtual time, or never (the caller's own timeout must act) — a server slow mid-body */
  | { kind: "stall"; bytes: number; afterMs?: number };

export interface NetworkStats {
  requests: number;
  /** TCP connections opened */
  connections: number;
  /** full TLS handshakes (not resumed) */
  handshakes: number;
  /** resumed TLS sessions */
  resumptions: number;
  /** requests that ended with -2 */
  errors: number;
  bytesSent: number;
  bytesReceived: number;
}

function pem(label: string, der: ArrayBuffer | Uint8Array): string {
  const b64 = Buffer.from(der instanceof ArrayBuffer ? new Uint8Array(der) : der).toString("base64");
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, "$&\n")}-----END ${label}-----\n`;
}

function list<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** One completed (or failed) exchange with its bodies, for message logs (`network.onExchange`). */
export interface NetworkExchange {
  readonly info: NetworkRequestInfo;
  readonly requestBody: Buffer | undefined;
  /** undefined when the exchange failed before a response (then `error` says why). */
  readonly status?: number;
  readonly responseBody?: Buffer;
  readonly error?: string;
}

export class Network {
  /** Called with each exchange's bodies when it completes or fails (real exchanges only, not injected faults). */
  onExchange: ((exchange: NetworkExchange) => void) | undefined;
  readonly stats: NetworkStats = { requests: 0, connections: 0, handshakes: 0, resumptions: 0, errors: 0, bytesSent: 0, bytesReceived: 0 };
  /** Requests made, in order (all boots). */
  readonly log: NetworkRequestInfo[] = [];
  /** Bytes per responseFragment event (a TCP segment on the device). */
  fragmentSize = 1460;
  /** Send keep-alive instead of Moddable's "Connection: close" and reuse connections per origin. */
  keepAlive = false;
  /** Moddable's single-entry TLS session cache (resumption on the next connection to the same host). */
  sessionReuse = true;
  /** Cipher suites offered (OpenSSL names): the two OpenADR 2.0b suites, as the device's build. */
  ciphers = "ECDHE-ECDSA-AES128-SHA256:AES128-SHA256";
  /** XS memory a secure request holds during its TLS handshake (from the request's start to its response
   *  head), standing in for the device's SecureSocket (TLS runs in Node here): the handshake's peak,
   *  ≈32 KB chunks and ≈1,580 slots in the Moddable simulator. null: no TLS memory at all (nor the two
   *  below). */
  tlsBallast: { chunks: number; slots: number } | null = { chunks: 32_768, slots: 1_580 };
  /** What the established session holds from the response head until the socket closes (record layer,
   *  cipher state, the http Request): measured live in mcsim (host-tests/mcsim/tls-memory.ts, lin,
   *  SDK 8.2: +2,400 to +2,784 B and +273 to +341 slots over three exchanges; the largest is kept). */
  tlsSession: { chunks: number; slots: number } = { chunks: 2_784, slots: 341 };
  /** Kept after the first secure exchange (ssl/cache's entry: session ID and master secret): measured
   *  +336 B and +59 slots after the first exchange closed, in the same run. */
  tlsCache: { chunks: number; slots: number } = { chunks: 336, slots: 59 };
  /** Check server certificate validity periods against the XS wall clock (ms since boot while it is
   *  not valid), as the SDK's CertificateManager does with Date.now(): before SNTP a device cannot
   *  verify a VTN. Off by default (Node checks against the real time either way). */
  deviceClockCertificates = false;
  /** Host names the host network resolves (everything else fails like DNS). Loopback only. */
  readonly hosts: Record<string, string> = { localhost: "127.0.0.1" };

  readonly #services: HostServices;
  #ids = 0;
  #secures: Any[] = [];
  #uploads = new Map<number, Buffer[]>();
  #uploadIds = 0;
  #live = new Map<number, { request?: http.ClientRequest; closed: boolean }>();
  #oneShot: { fault: NetworkFault; match?: (r: NetworkRequestInfo) => boolean }[] = [];
  #injectors: ((r: NetworkRequestInfo) => NetworkFault | undefined)[] = [];
  #session: { host: string; session: Buffer } | undefined;
  #agents = new Map<string, http.Agent>();
  /** Requests waiting for XS's verifyPeer verdict on the server certificate: id → continue or refuse. */
  #verdicts = new Map<number, (ok: boolean) => void>();
  #contexts = new Map<string, tls.SecureContext>();

  constructor(services: HostServices) { this.#services = services; }

  /** The next request (matching `match`, if given) gets `fault`. */
  failNext(fault: NetworkFault, match?: (r: NetworkRequestInfo) => boolean): void {
    this.#oneShot.push({ fault, match });
  }

  /** Decides a fault for every request until removed (return undefined for a normal exchange). */
  inject(decide: (r: NetworkRequestInfo) => NetworkFault | undefined): () => void {
    this.#injectors.push(decide);
    return () => { const i = this.#injectors.indexOf(decide); if (i >= 0) this.#injectors.splice(i, 1); };
  }

  clearFaults(): void { this.#oneShot = []; this.#injectors = []; }

  /** Forgets the TLS session (as a reboot does). */
  forgetSession(): void { this.#session = undefined; }

  #fault(info: NetworkRequestInfo): NetworkFault | undefined {
    const i = this.#oneShot.findIndex((f) => !f.match || f.match(info));
    if (i >= 0) return this.#oneShot.splice(i, 1)[0].fault;
    for (const decide of this.#injectors) { const f = decide(info); if (f) return f; }
    return undefined;
  }

  #post(id: number, event: Record<string, unknown>, at?: number): void {
    const live = this.#live.get(id);
    if (!live || live.closed) return;
    if (event.type === "error") this.stats.errors++;
    this.#services.post("http", { id, ...event }, at);
  }

  handlers(): Record<string, (m: Any) => unknown> {
    return {
      // a secure dictionary crosses once (http.secure → ref) and a long body in parts (http.upload): see host-modules/http.ts
      "http.secure": (m) => { this.#secures.push(m.secure); return this.#secures.length - 1; },
      "http.upload": (m) => {
        const id = m.upload ?? ++this.#uploadIds;
        let parts = this.#uploads.get(id);
        if (!parts) this.#uploads.set(id, (parts = []));
        parts.push(Buffer.from(m.bytes));
        return id;
      },
      "http.request": (m) => {
        if (m.secureRef !== undefined && m.secureRef !== null) m.secure = this.#secures[m.secureRef];
        if (m.upload !== undefined && m.upload !== null) {
          m.body = Buffer.concat(this.#uploads.get(m.upload) ?? []);
          this.#uploads.delete(m.upload);
        }
        const tls = m.secure && this.tlsBallast;
        return { id: this.#request(m), ballast: tls ? this.tlsBallast : null, session: tls ? this.tlsSession : null, cache: tls ? this.tlsCache : null };
      },
      "http.verdict": (m) => {
        const decide = this.#verdicts.get(m.id);
        this.#verdicts.delete(m.id);
        decide?.(m.ok === true);
        return null;
      },
      "http.close": (m) => {
        const live = this.#live.get(m.id);
        this.#verdicts.delete(m.id);
        if (live) {
          live.closed = true;
          live.request?.destroy();
          this.#live.delete(m.id);
          this.#services.cancel((e) => e.kind === "http" && (e.event as Any).id === m.id);
        }
        return null;
      },
    };
  }

  #request(m: Any): number {
    const id = ++this.#ids;
    const secure = m.secure !== undefined && m.secure !== null;
    const hostName = String(m.host).replace(/:\d+$/, "");
    const port = Number(m.port);
    // headers exactly as Moddable's http.js writes them
    const headers: string[] = [this.keepAlive ? "Connection" : "Connection", this.keepAlive ? "keep-alive" : "close"];
    let hasLength = false;
    let hasHost = false;
    for (let i = 0; i < m.headers.length; i += 2) {
      const name = String(m.headers[i]);
      headers.push(name, String(m.headers[i + 1]));
      const lower = name.toLowerCase();
      if (lower === "content-length") hasLength = true;
      else if (lower === "host") hasHost = true;
    }
    const body: Buffer | undefined = m.body === undefined || m.body === null ? undefined : typeof m.body === "string" ? Buffer.from(m.body, "utf8") : Buffer.from(m.body);
    if (body && !hasLength) headers.push("content-length", String(body.length));
    if (!hasHost) headers.push("Host", String(m.host));
    const info: NetworkRequestInfo = { id, method: m.method, host: hostName, port, path: m.path, secure, headers, bodyLength: body?.length ?? 0, ticks: this.#services.xs.ticks };
    this.stats.requests++;
    this.log.push(info);
    this.#live.set(id, { closed: false });

    const fault = this.#fault(info);
    if (fault?.kind === "connect") {
      this.#post(id, { type: "error", message: fault.message ?? "connect: injected failure" });
      return id;
    }
    if (fault?.kind === "timeout") {
      if (fault.afterMs !== undefined) this.#post(id, { type: "error", message: `timeout (injected, ${fault.afterMs} ms)` }, this.#services.xs.ticks + fault.afterMs);
      return id;
    }
    const ip = isIP(m.address ?? "") ? m.address : isIP(hostName) ? hostName : this.hosts[hostName];
    if (!ip || !(ip === "127.0.0.1" || ip === "::1")) {
      this.#post(id, { type: "error", message: `host network: cannot resolve "${hostName}" (tests use loopback; map names in xs.network.hosts)` });
      return id;
    }
    const delay = fault?.kind === "delay" ? fault.ms : 0;
    const cut = fault?.kind === "truncate" || fault?.kind === "stall" ? fault.bytes : undefined;
    const stall = fault?.kind === "stall" ? fault : undefined;
    const started = this.#services.xs.ticks;
    const work = this.#perform(id, { ip, hostName, port, method: m.method, path: m.path, headers, body, secure: secure ? m.secure : undefined })
      .then((r) => {
        this.onExchange?.({ info, requestBody: body, status: r.status, responseBody: r.body });
        const at = started + delay;
        this.stats.bytesReceived += r.body.length;
        this.#post(id, { type: "head", status: r.status, headers: r.headers }, at);
        const limit = cut === undefined ? r.body.length : Math.min(cut, r.body.length);
        for (let i = 0; i < limit; i += this.fragmentSize) {
          this.#post(id, { type: "data", bytes: new Uint8Array(r.body.subarray(i, Math.min(limit, i + this.fragmentSize))) }, at);
        }
        if (stall) {
          if (stall.afterMs !== undefined) this.#post(id, { type: "error", message: `stalled after ${limit} body bytes, reset after ${stall.afterMs} ms (injected)` }, at + stall.afterMs);
        } else if (cut !== undefined) {
          this.#post(id, { type: "error", message: `connection reset after ${limit} body bytes (injected)` }, at);
        } else if (r.hangs) {
          this.#services.xs.note(`[http] ${m.method} ${m.path}: TLS response without Content-Length or chunked encoding — Moddable's http client never completes such a response; the host does the same`);
        } else {
          this.#post(id, { type: "done" }, at);
        }
      }, (error: Error) => {
        this.onExchange?.({ info, requestBody: body, error: `${(error as Any).code ?? error.name}: ${error.message}` });
        this.#post(id, { type: "error", message: `${(error as Any).code ?? error.name}: ${error.message}` }, started + delay);
      })
      .finally(() => {
        const live = this.#live.get(id);
        if (live) live.request = undefined;
      });
    this.#services.track(work);
    return id;
  }

  #agent(key: string, secure: boolean): http.Agent {
    let agent = this.#agents.get(key);
    if (!agent) {
      agent = secure ? new https.Agent({ keepAlive: true, maxSockets: 1, maxCachedSessions: 0 }) : new http.Agent({ keepAlive: true, maxSockets: 1 });
      this.#agents.set(key, agent);
    }
    return agent;
  }

  #perform(id: number, r: { ip: string; hostName: string; port: number; method: string; path: string; headers: string[]; body?: Buffer; secure?: Any }): Promise<{ status: number; headers: string[]; body: Buffer; hangs: boolean }> {
    return new Promise((resolve, reject) => {
      const base: Any = { host: r.ip, port: r.port, method: r.method, path: r.path, headers: r.headers, setHost: false };
      let request: http.ClientRequest;
      if (r.secure) {
        const s = r.secure;
        const options: Any = {
          ...base,
          minVersion: "TLSv1.2", maxVersion: "TLSv1.2",
          ciphers: this.ciphers, ecdhCurve: "prime256v1",
          rejectUnauthorized: s.verify !== false,
          // Node calls this on full handshakes only (not on resumption), as the device verifies.
          checkServerIdentity: (_host: string, cert: tls.PeerCertificate) => tls.checkServerIdentity(r.hostName, cert) ?? this.#deviceValidity(cert),
        };
        if (!isIP(r.hostName)) options.servername = r.hostName;
        const cas = list<ArrayBuffer | Uint8Array>(s.certificate).concat(list(s.trustedCertificates));
        if (cas.length) options.ca = cas.map((c) => pem("CERTIFICATE", c));
        const certs = list<ArrayBuffer | Uint8Array>(s.clientCertificates);
        if (certs.length) options.cert = certs.map((c) => pem("CERTIFICATE", c)).join("");
        if (s.clientKey) options.key = pem("PRIVATE KEY", s.clientKey);
        if (!this.keepAlive) options.secureContext = this.#context(options);
        if (this.keepAlive) {
          options.agent = this.#agent(`s|${r.ip}|${r.port}|${r.hostName}`, true);
        } else {
          options.agent = false;
          if (this.sessionReuse && this.#session?.host === r.hostName) options.session = this.#session.session;
        }
        request = https.request(options);
      } else {
        request = http.request({ ...base, agent: this.keepAlive ? this.#agent(`p|${r.ip}|${r.port}`, false) : false });
      }
      const live = this.#live.get(id);
      if (live) live.request = request;
      request.on("socket", (socket) => {
        if ((socket as Any).__xsCounted) return;
        (socket as Any).__xsCounted = true;
        this.stats.connections++;
        if (r.secure) {
          socket.on("secureConnect", () => {
            if ((socket as tls.TLSSocket).isSessionReused()) this.stats.resumptions++;
            else this.stats.handshakes++;
          });
          // Cached only once the server has been accepted (a response arrived): the device's cache
          // keeps a session only after a handshake that passed verification (and verifyPeer).
          socket.on("session", (session: Buffer) => {
            if (!this.sessionReuse || this.keepAlive) return;
            if (accepted) this.#session = { host: r.hostName, session };
            else candidate = session;
          });
        }
      });
      let accepted = false;
      let candidate: Buffer | undefined;
      const send = () => { if (r.body) { this.stats.bytesSent += r.body.length; request.end(r.body); } else request.end(); };
      if (r.secure?.peerCheck === true) {
        // The device runs verifyPeer inside the handshake, before a byte of the request: hold the
        // request until XS has judged the certificate (full handshakes; a resumed session is not re-verified).
        request.on("socket", (socket) => {
          const judge = () => {
            const tlsSocket = socket as tls.TLSSocket;
            if ((socket as Any).__xsPeerJudged || tlsSocket.isSessionReused()) { send(); return; }
            (socket as Any).__xsPeerJudged = true;
            const raw = tlsSocket.getPeerCertificate()?.raw;
            this.#verdicts.set(id, (ok) => {
              if (ok) send();
              else request.destroy(Object.assign(new Error("certificate: auth err (verifyPeer refused the server certificate)"), { code: "VERIFY_PEER" }));
            });
            this.#post(id, { type: "peer", certificate: raw ? new Uint8Array(raw) : new Uint8Array(0) });
          };
          if ((socket as tls.TLSSocket).encrypted && !(socket as Any).connecting && (socket as Any).__xsPeerJudged) send();
          else socket.once("secureConnect", judge);
        });
      }
      request.on("error", reject);
      request.on("response", (response) => {
        accepted = true;
        if (candidate) this.#session = { host: r.hostName, session: candidate };
        const chunks: Buffer[] = [];
        response.on("data", (c: Buffer) => chunks.push(c));
        response.on("error", reject);
        response.on("end", () => {
          const lower = response.rawHeaders.filter((_, i) => i % 2 === 0).map((h) => h.toLowerCase());
          const delimited = lower.includes("content-length") || lower.includes("transfer-encoding");
          const empty = r.method === "HEAD" || response.statusCode === 204 || response.statusCode === 304;
          resolve({ status: response.statusCode ?? 0, headers: response.rawHeaders, body: Buffer.concat(chunks), hangs: !!r.secure && !delimited && !empty });
        });
      });
      if (r.secure?.peerCheck !== true) send();
    });
  }

  /** One SecureContext per identity (parsing the key and certificates per request cost ≈1 ms each). */
  #context(options: Any): tls.SecureContext {
    const key = createHash("sha1").update(JSON.stringify([options.ca, options.cert, options.key, options.ciphers])).digest("hex");
    let context = this.#contexts.get(key);
    if (!context) {
      context = tls.createSecureContext({ ca: options.ca, cert: options.cert, key: options.key, ciphers: options.ciphers, ecdhCurve: options.ecdhCurve, minVersion: options.minVersion, maxVersion: options.maxVersion });
      this.#contexts.set(key, context);
    }
    return context;
  }

  /** With `deviceClockCertificates`: every certificate of the chain must be valid at the XS wall clock. */
  #deviceValidity(cert: tls.PeerCertificate): Error | undefined {
    if (!this.deviceClockCertificates) return undefined;
    const now = this.#services.xs.now;
    const seen = new Set<unknown>();
    for (let c: Any = cert; c && !seen.has(c); c = c.issuerCertificate) {
      seen.add(c);
      const from = Date.parse(c.valid_from), to = Date.parse(c.valid_to);
      if (!(from < now && now < to)) {
        return Object.assign(new Error(`certificate: date validation failed at the device clock ${new Date(now).toISOString()} (${c.subject?.CN ?? "?"} valid ${c.valid_from} – ${c.valid_to})`), { code: "CERT_DEVICE_DATE" });
      }
    }
    return undefined;
  }

  /** Power cycle: requests of the old worker are dropped; the session cache (RAM) is lost. */
  reset(): void {
    for (const live of this.#live.values()) { live.closed = true; live.request?.destroy(); }
    this.#live.clear();
    this.#verdicts.clear();
    this.#session = undefined;
  }

  close(): void {
    this.reset();
    for (const a of this.#agents.values()) a.destroy();
    this.#agents.clear();
  }
}
