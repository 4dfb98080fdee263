// The VTN simulator (Node): an OpenADR 2.0b simple-HTTP pull VTN on 127.0.0.1, HTTPS with mandatory
// client certificates from the test PKI (plain HTTP only when no PKI is given). It registers VENs,
// answers every VEN→VTN message like the OpenLEADR-based VTN in fixtures/openadr/session/ (HTTP 200 with
// eiResponse codes, 452 for an unknown venID, 463 when the client certificate does not match the venID,
// 400 for a body that is not well-formed or — in "each" mode — not XSD-valid, an empty 200 body for the
// VEN's oadrResponse), queues any VTN→VEN message for the next oadrPoll, and records every exchange for
// assertions. Faults: offline (connections dropped), one-shot response overrides (status, raw body,
// truncated/oversized bodies, connection reset), and `setTls` (another server certificate or client CA).
//
// Time: the simulator reads `clock()` (tests pass the engine's virtual clock) for event statuses and
// timestamps; network I/O itself is real time on loopback.
import { randomBytes } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { openadrFingerprint, type Pki } from "../pki.ts";
import * as M from "./messages.ts";
import { signPayload, verifyPayload } from "./signature.ts";
import { schemaAvailable, validateMany, validateOne, type ValidationOutcome } from "./validate.ts";
import { child, childrenNamed, find, findAll, parseDateTime, parseDuration, parseXml, textOf, XmlSyntaxError, type XNode } from "./xml.ts";

export const ENDPOINTS = Object.freeze(["EiRegisterParty", "EiEvent", "EiReport", "EiOpt", "OadrPoll"] as const);
export type Endpoint = (typeof ENDPOINTS)[number];
const BASE_PATH = "/OpenADR2/Simple/2.0b/";

/** Which endpoint each VEN→VTN message belongs to. */
export const ENDPOINT_OF: Readonly<Record<string, Endpoint>> = Object.freeze({
  oadrQueryRegistration: "EiRegisterParty", oadrCreatePartyRegistration: "EiRegisterParty", oadrCancelPartyRegistration: "EiRegisterParty",
  oadrCanceledPartyRegistration: "EiRegisterParty", oadrResponse: "EiRegisterParty",
  oadrRequestEvent: "EiEvent", oadrCreatedEvent: "EiEvent",
  oadrRegisterReport: "EiReport", oadrRegisteredReport: "EiReport", oadrCreatedReport: "EiReport", oadrUpdateReport: "EiReport",
  oadrCanceledReport: "EiReport", oadrCreateReport: "EiReport", oadrCancelReport: "EiReport",
  oadrCreateOpt: "EiOpt", oadrCancelOpt: "EiOpt",
  oadrPoll: "OadrPoll",
});

export interface VtnOptions {
  port?: number;
  /** TLS material; without it the simulator speaks plain HTTP (the VEN must then be in development mode). */
  pki?: Pki;
  /** Serve this certificate instead of pki.vtn (e.g. pki.rogueVtn: signed by another CA). */
  serverIdentity?: { certPem: string; keyPem: string };
  vtnID?: string;
  /** oadrRequestedOadrPollFreq in milliseconds. Default 10 s. */
  pollFreq?: number;
  clock?: () => number;
  /** "batch" (default): record, validate on `validate()`; "each": validate before answering, 400 when invalid; "off". */
  validation?: "batch" | "each" | "off";
  /** venID to assign to a newly registering VEN. Default "VEN-<n>". */
  assignVenID?: (venName: string, fingerprint: string | undefined) => string;
  /** Report requests to put in oadrRegisteredReport, given the VEN's METADATA. Default: none. */
  reportRequests?: (metadata: RegisteredMetadata[], ven: VenRecord) => M.SimReportRequest[];
  /**
   * XML signatures, as a signing OpenLEADR VTN (needs `pki`): `require` answers 403 to a request that is
   * not validly signed by the VEN's certificate (the TLS client certificate's fingerprint, or
   * `venFingerprint`), with the reason in the exchange's `problem`; `sign` signs every answer with the VTN key.
   */
  signatures?: { require?: boolean; sign?: boolean; venFingerprint?: string; maxAgeMs?: number };
  /** Idle keep-alive time of a connection (real ms). Default 10 min. */
  keepAliveMs?: number;
  log?: (line: string) => void;
}

export interface RegisteredMetadata {
  reportSpecifierID: string;
  reportName: string;
  duration?: string;
  descriptions: Array<{ rID: string; resourceID?: string; reportType?: string; readingType?: string; itemUnits?: string; minPeriod?: string; maxPeriod?: string }>;
}

export interface VenRecord {
  venID: string;
  registrationID: string;
  venName: string;
  fingerprint?: string;
  queue: Array<string | (() => string)>;
  metadata: RegisteredMetadata[];
}

export interface ReportData {
  reportRequestID: string;
  reportSpecifierID: string;
  reportName: string;
  dtstart?: number;
  duration?: number;
  intervals: Array<{ dtstart?: number; duration?: number; rID: string; value?: number; status?: { online?: boolean; manualOverride?: boolean; levelOffset?: number } }>;
}

export interface EventResponse {
  requestID: string;
  responseCode: string;
  eventID: string;
  modificationNumber: number;
  optType: string;
}

export interface Exchange {
  seq: number;
  /** Simulator clock when the request arrived. */
  at: number;
  method: string;
  path: string;
  endpoint: string;
  headers: http.IncomingHttpHeaders;
  requestBody: string;
  /** Local name of the message element inside oadrSignedObject (undefined when unparseable). */
  type?: string;
  venID?: string;
  requestID?: string;
  fingerprint?: string;
  sessionReused?: boolean;
  status: number;
  responseBody: string;
  responseType?: string;
  /** Why the simulator rejected or flagged the request. */
  problem?: string;
  /** Signature-required mode: what the check of the request's XML signature found. */
  signature?: { valid: boolean; reason?: string; fingerprint?: string; timestamp?: number; nonce?: string };
  validation?: ValidationOutcome;
  message?: XNode;
  eventResponses?: EventResponse[];
  reports?: ReportData[];
}

export interface ResponseOverride {
  /** Only for this endpoint (default any). */
  endpoint?: Endpoint;
  status?: number;
  /** Raw body to send instead of the normal answer. */
  body?: string | Uint8Array;
  /** Announce this Content-Length but close after sending `body` (a truncated response). */
  truncateTo?: number;
  /** Destroy the connection without answering. */
  reset?: boolean;
  /** Real-time delay before answering. */
  delayMs?: number;
  /** Still process the request normally (record state changes) while sending the override. */
  process?: boolean;
}

export class VtnSimulator {
  readonly vtnID: string;
  readonly exchanges: Exchange[] = [];
  readonly vens = new Map<string, VenRecord>();
  readonly events = new Map<string, M.SimEvent>();
  readonly stats = { connections: 0, handshakes: 0, resumedHandshakes: 0, requests: 0, refused: 0 };
  readonly overrides: ResponseOverride[] = [];
  /** Things a test report should mention (e.g. validation skipped because ../shared is absent). */
  readonly notes: string[] = [];
  pollFreq: number;
  offline = false;

  #options: VtnOptions;
  #server: http.Server | https.Server;
  #sockets = new Set<Socket>();
  #counter = 0;
  #port = 0;
  #closed = false;

  static async start(options: VtnOptions = {}): Promise<VtnSimulator> {
    const sim = new VtnSimulator(options);
    await sim.#listen(options.port ?? 0);
    return sim;
  }

  private constructor(options: VtnOptions) {
    this.#options = options;
    this.vtnID = options.vtnID ?? "TEST_VTN";
    if (!schemaAvailable && options.validation !== "off") this.notes.push("XSD validation skipped: ../shared/openadr-2.0b-schema is absent (set SHARED_DIR)");
    this.pollFreq = options.pollFreq ?? 10_000;
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => this.#onRequest(req, res);
    if (options.pki) {
      const { pki } = options;
      this.#server = https.createServer({ ...tlsContext(pki, options.serverIdentity), requestCert: true, rejectUnauthorized: true }, handler);
      this.#server.on("secureConnection", (socket: TLSSocket) => {
        this.stats.handshakes++;
        if (socket.isSessionReused()) this.stats.resumedHandshakes++;
      });
      this.#server.on("tlsClientError", (error) => this.#log(`tls client error: ${error.message}`));
    } else {
      this.#server = http.createServer(handler);
    }
    this.#server.keepAliveTimeout = options.keepAliveMs ?? 600_000;
    this.#server.headersTimeout = Math.max(this.#server.keepAliveTimeout + 1000, 60_000);
    this.#server.on("connection", (socket: Socket) => {
      if (this.offline) {
        this.stats.refused++;
        socket.destroy();
        return;
      }
      this.stats.connections++;
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
    });
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return `${this.#options.pki ? "https" : "http"}://127.0.0.1:${this.#port}`;
  }

  get clock(): number {
    return (this.#options.clock ?? Date.now)();
  }

  async #listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(port, "127.0.0.1", () => {
        this.#server.off("error", reject);
        resolve();
      });
    });
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  /** TLS faults: serve another certificate and/or trust another CA for client certificates, from the
   *  next connection on (open ones are dropped); no argument restores the PKI's own. TLS only. */
  setTls(change: { serverIdentity?: { certPem: string; keyPem: string }; clientCaPem?: string } = {}): void {
    const pki = this.#options.pki;
    if (!pki) throw new Error("vtn: setTls needs a TLS simulator (pki)");
    const context = tlsContext(pki, change.serverIdentity ?? this.#options.serverIdentity);
    (this.#server as https.Server).setSecureContext(change.clientCaPem ? { ...context, ca: change.clientCaPem } : context);
    this.dropConnections();
  }

  /** Drop every open connection and refuse new ones until `setOffline(false)`. */
  setOffline(offline: boolean): void {
    this.offline = offline;
    if (offline) this.dropConnections();
  }

  dropConnections(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.dropConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  // ---- scripting the VTN side -------------------------------------------------------------------

  nextRequestID(prefix = "vtn"): string {
    this.#counter++;
    return `${prefix}-${String(this.#counter).padStart(4, "0")}-${randomBytes(3).toString("hex")}`;
  }

  /** The one registered VEN (most tests), or a specific one. */
  ven(venID?: string): VenRecord {
    const record = venID ? this.vens.get(venID) : this.vens.values().next().value;
    if (!record) throw new Error(`vtn: no registered VEN${venID ? ` ${venID}` : ""}`);
    return record;
  }

  /** Queue a VTN→VEN message (XML, or a function building it at delivery time) for the VEN's next poll. */
  push(message: string | (() => string), venID?: string): void {
    this.ven(venID).queue.push(message);
  }

  putEvent(event: M.SimEvent): void {
    this.events.set(event.eventID, structuredClone(event));
  }

  /** Cancel: status cancelled, modificationNumber + 1. */
  cancelEvent(eventID: string): M.SimEvent {
    const event = this.events.get(eventID);
    if (!event) throw new Error(`vtn: no event ${eventID}`);
    event.status = "cancelled";
    event.modificationNumber++;
    event.modificationDateTime = this.clock;
    return event;
  }

  /** Forget an event: it is missing from the next oadrDistributeEvent (implied cancellation). */
  removeEvent(eventID: string): void {
    this.events.delete(eventID);
  }

  statusOf(event: M.SimEvent, now = this.clock): M.EventStatus {
    if (event.status) return event.status;
    const end = event.duration === 0 ? Infinity : event.dtstart + event.duration + (event.startafter ?? 0);
    if (now >= end) return "completed";
    if (now >= event.dtstart) return "active";
    if (event.rampUp !== undefined && now >= event.dtstart - event.rampUp) return "near";
    return "far";
  }

  distributeEventXml(options: { responseRequestID?: string; events?: M.SimEvent[] } = {}): string {
    const now = this.clock;
    const events = (options.events ?? [...this.events.values()]).map((event) => ({ event, status: this.statusOf(event, now) }));
    return M.oadrDistributeEvent({ requestID: this.nextRequestID("dist"), responseRequestID: options.responseRequestID, vtnID: this.vtnID, events, now });
  }

  /** Queue an oadrDistributeEvent with every current event, built when the VEN polls. */
  distribute(venID?: string): void {
    this.push(() => this.distributeEventXml(), venID);
  }

  requestReregistration(venID?: string): void {
    const ven = this.ven(venID);
    this.push(M.oadrRequestReregistration({ venID: ven.venID }), ven.venID);
  }

  cancelPartyRegistration(venID?: string): void {
    const ven = this.ven(venID);
    this.push(() => M.oadrCancelPartyRegistration({ requestID: this.nextRequestID("cpr"), registrationID: ven.registrationID, venID: ven.venID }), ven.venID);
  }

  createReport(requests: M.SimReportRequest[], venID?: string): void {
    const ven = this.ven(venID);
    this.push(() => M.oadrCreateReport({ requestID: this.nextRequestID("cr"), venID: ven.venID, requests }), ven.venID);
  }

  cancelReport(reportRequestIDs: string[], reportToFollow: boolean, venID?: string): void {
    const ven = this.ven(venID);
    this.push(() => M.oadrCancelReport({ requestID: this.nextRequestID("cancel"), venID: ven.venID, reportRequestIDs, reportToFollow }), ven.venID);
  }

  registerReport(venID?: string): void {
    const ven = this.ven(venID);
    this.push(() => M.oadrRegisterReport({ requestID: this.nextRequestID("rr"), venID: ven.venID }), ven.venID);
  }

  /** Forget a VEN: its next request is answered 452 (the VEN must register again). */
  forgetVen(venID?: string): void {
    this.vens.delete(this.ven(venID).venID);
  }

  // ---- assertions helpers ---------------------------------------------------------------------

  received(type: string): Exchange[] {
    return this.exchanges.filter((e) => e.type === type);
  }

  /** Validate every recorded request not yet validated; returns the invalid ones. */
  async validate(): Promise<Exchange[]> {
    const pending = this.exchanges.filter((e) => e.validation === undefined && e.requestBody.length > 0);
    const outcomes = await validateMany(pending.map((e) => e.requestBody));
    pending.forEach((e, i) => (e.validation = outcomes[i]));
    return this.exchanges.filter((e) => e.validation?.valid === false);
  }

  // ---- request handling -----------------------------------------------------------------------

  #log(line: string): void {
    this.#options.log?.(line);
  }

  #onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      this.#handle(req, res, Buffer.concat(chunks).toString("utf8")).catch((error: Error) => {
        this.#log(`vtn: handler failed: ${error.stack ?? error.message}`);
        if (!res.headersSent) this.#send(res, 500, "");
      });
    });
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
    this.stats.requests++;
    const socket = req.socket as TLSSocket;
    const exchange: Exchange = {
      seq: this.exchanges.length + 1, at: this.clock, method: req.method ?? "", path: req.url ?? "", endpoint: "",
      headers: req.headers, requestBody: body, status: 0, responseBody: "",
    };
    if (this.#options.pki) {
      const peer = socket.getPeerCertificate?.();
      if (peer?.raw) exchange.fingerprint = openadrFingerprint(new Uint8Array(peer.raw));
      exchange.sessionReused = socket.isSessionReused?.();
    }
    this.exchanges.push(exchange);
    const override = this.#takeOverride(req.url ?? "");

    let status = 200;
    let answer = "";
    const url = req.url ?? "";
    if (!url.startsWith(BASE_PATH) || !ENDPOINTS.includes(url.slice(BASE_PATH.length) as Endpoint)) {
      status = 404;
      exchange.problem = `unknown path ${url}`;
    } else if (req.method !== "POST") {
      status = 405;
      exchange.problem = `method ${req.method}`;
    } else {
      exchange.endpoint = url.slice(BASE_PATH.length);
      [status, answer] = await this.#answer(exchange, body);
      if (answer && status === 200 && this.#options.signatures?.sign) answer = this.#signAnswer(answer);
    }
    if (this.#options.validation === "each" && exchange.validation?.valid === false) {
      status = 400;
      answer = "";
    }
    if (override && !override.process && override.body === undefined && !override.reset && override.status === undefined) {
      // delay-only override: fall through with the normal answer
    }
    if (override?.delayMs) await new Promise((r) => setTimeout(r, override.delayMs));
    if (override?.reset) {
      exchange.status = 0;
      exchange.problem = (exchange.problem ? exchange.problem + "; " : "") + "connection reset (injected)";
      req.socket.destroy();
      return;
    }
    if (override && (override.body !== undefined || override.status !== undefined)) {
      status = override.status ?? 200;
      const raw = override.body ?? answer;
      const bytes = typeof raw === "string" ? Buffer.from(raw, "utf8") : Buffer.from(raw);
      exchange.status = status;
      exchange.responseBody = bytes.toString("utf8");
      if (override.truncateTo !== undefined) {
        res.writeHead(status, { "Content-Type": "application/xml", "Content-Length": String(bytes.length) });
        res.write(bytes.subarray(0, override.truncateTo));
        exchange.problem = (exchange.problem ? exchange.problem + "; " : "") + `response truncated to ${override.truncateTo} of ${bytes.length} bytes (injected)`;
        setImmediate(() => req.socket.destroy());
        return;
      }
      this.#send(res, status, bytes);
      return;
    }
    exchange.status = status;
    exchange.responseBody = answer;
    exchange.responseType = answer ? /<oadr:(oadr\w+)/.exec(answer.replace(/<oadr:oadr(Payload|SignedObject)\b/g, ""))?.[1] : undefined;
    this.#send(res, status, answer);
  }

  #takeOverride(url: string): ResponseOverride | undefined {
    const endpoint = url.slice(BASE_PATH.length);
    const index = this.overrides.findIndex((o) => !o.endpoint || o.endpoint === endpoint);
    return index < 0 ? undefined : this.overrides.splice(index, 1)[0];
  }

  #send(res: http.ServerResponse, status: number, body: string | Buffer): void {
    const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    const headers: http.OutgoingHttpHeaders = { "Content-Length": String(bytes.length) };
    if (bytes.length) headers["Content-Type"] = "application/xml";
    res.writeHead(status, headers);
    res.end(bytes);
  }

  readonly #nonces = new Set<string>();

  /** Signature-required mode: undefined when the request may proceed, else the reason (answered 403). */
  #checkSignature(exchange: Exchange, body: string): string | undefined {
    const options = this.#options.signatures;
    if (!options?.require || body.trim() === "") return undefined;
    const result = verifyPayload(body, { fingerprint: options.venFingerprint ?? exchange.fingerprint, now: this.clock, maxAgeMs: options.maxAgeMs });
    exchange.signature = result;
    if (!result.valid) return result.reason;
    if (this.#nonces.has(result.nonce!)) return "replayed nonce";
    this.#nonces.add(result.nonce!);
    return undefined;
  }

  #signAnswer(xml: string): string {
    const pki = this.#options.pki;
    if (!pki) throw new Error("vtn: signatures.sign needs a pki");
    return signPayload(xml, pki.vtn.keyPem, pki.vtn.certPem, this.clock);
  }

  async #answer(exchange: Exchange, body: string): Promise<[number, string]> {
    const unsigned = this.#checkSignature(exchange, body);
    if (unsigned !== undefined) {
      exchange.problem = `signature: ${unsigned}`;
      return [403, "Invalid Signature"];
    }
    if (this.#options.validation === "each") {
      exchange.validation = await validateOne(body);
      if (exchange.validation.valid === false) {
        exchange.problem = "schema-invalid: " + exchange.validation.errors.slice(0, 3).join(" | ");
        return [400, ""];
      }
    }
    let root: XNode;
    try {
      root = parseXml(body);
    } catch (error) {
      exchange.problem = `not well-formed: ${(error as XmlSyntaxError).message}`;
      return [400, ""];
    }
    const signed = root.local === "oadrPayload" ? child(root, "oadrSignedObject") : undefined;
    const message = signed?.children[0];
    if (!message) {
      exchange.problem = "no oadrPayload/oadrSignedObject/message";
      return [400, ""];
    }
    exchange.message = message;
    exchange.type = message.local;
    exchange.requestID = textOf(message, "requestID");
    exchange.venID = textOf(child(message, "venID") ?? find(message, "venID"));
    const expected = ENDPOINT_OF[message.local];
    if (!expected) {
      exchange.problem = `unexpected message ${message.local}`;
      return [200, M.oadrResponse(400, `unexpected message ${message.local}`, exchange.requestID, exchange.venID)];
    }
    if (expected !== exchange.endpoint) {
      exchange.problem = `${message.local} sent to ${exchange.endpoint}, belongs to ${expected}`;
      return [200, M.oadrResponse(400, "wrong endpoint", exchange.requestID, exchange.venID)];
    }

    // Registration messages identify the VEN by certificate; everything else by a known venID.
    if (message.local === "oadrQueryRegistration") return [200, this.#queryRegistration(exchange)];
    if (message.local === "oadrCreatePartyRegistration") return [200, this.#createPartyRegistration(exchange, message)];

    const ven = exchange.venID ? this.vens.get(exchange.venID) : undefined;
    if (!ven) {
      exchange.problem = `unknown venID ${exchange.venID ?? "(none)"}`;
      return [200, M.oadrResponse(452, "Invalid ID", exchange.requestID, exchange.venID)];
    }
    if (ven.fingerprint && exchange.fingerprint && ven.fingerprint !== exchange.fingerprint) {
      exchange.problem = `certificate ${exchange.fingerprint} does not belong to ${ven.venID}`;
      return [200, M.oadrResponse(463, "Not registered or authorized", exchange.requestID, exchange.venID)];
    }
    return [200, this.#dispatch(exchange, message, ven)];
  }

  #queryRegistration(exchange: Exchange): string {
    const known = [...this.vens.values()].find((v) => v.fingerprint && v.fingerprint === exchange.fingerprint);
    return M.oadrCreatedPartyRegistration({ requestID: exchange.requestID ?? "", registrationID: known?.registrationID, venID: known?.venID, vtnID: this.vtnID, pollFreq: this.pollFreq });
  }

  #createPartyRegistration(exchange: Exchange, message: XNode): string {
    const venName = textOf(message, "oadrVenName") ?? "";
    const registrationID = textOf(child(message, "registrationID"));
    let ven = registrationID ? [...this.vens.values()].find((v) => v.registrationID === registrationID) : undefined;
    if (registrationID && !ven) exchange.problem = `re-registration with unknown registrationID ${registrationID}: registered anew`;
    if (!ven) {
      const venID = this.#options.assignVenID?.(venName, exchange.fingerprint) ?? `VEN-${this.vens.size + 1}`;
      ven = { venID, registrationID: `REG-${venID}-${randomBytes(4).toString("hex")}`, venName, fingerprint: exchange.fingerprint, queue: [], metadata: [] };
      this.vens.set(venID, ven);
    }
    return M.oadrCreatedPartyRegistration({ requestID: exchange.requestID ?? "", registrationID: ven.registrationID, venID: ven.venID, vtnID: this.vtnID, pollFreq: this.pollFreq });
  }

  #dispatch(exchange: Exchange, message: XNode, ven: VenRecord): string {
    const ok = () => M.oadrResponse(200, "OK", exchange.requestID, ven.venID);
    switch (message.local) {
      case "oadrPoll": {
        const next = ven.queue.shift();
        return next === undefined ? M.oadrResponse(200, "OK", "", ven.venID) : typeof next === "string" ? next : next();
      }
      case "oadrRequestEvent":
        return this.distributeEventXml({ responseRequestID: exchange.requestID });
      case "oadrCreatedEvent":
        exchange.eventResponses = findAll(message, "eventResponse").map((r) => ({
          requestID: textOf(r, "requestID") ?? "",
          responseCode: textOf(r, "responseCode") ?? "",
          eventID: textOf(r, "eventID") ?? "",
          modificationNumber: Number(textOf(r, "modificationNumber")),
          optType: textOf(r, "optType") ?? "",
        }));
        exchange.requestID = textOf(child(message, "eiCreatedEvent") ? find(child(message, "eiCreatedEvent"), "eiResponse") : undefined, "requestID");
        return ok();
      case "oadrRegisterReport": {
        ven.metadata = childrenNamed(message, "oadrReport").map((report) => ({
          reportSpecifierID: textOf(child(report, "reportSpecifierID")) ?? "",
          reportName: textOf(child(report, "reportName")) ?? "",
          duration: textOf(child(report, "duration"), "duration"),
          descriptions: childrenNamed(report, "oadrReportDescription").map((d) => ({
            rID: textOf(child(d, "rID")) ?? "",
            resourceID: textOf(child(d, "reportDataSource"), "resourceID"),
            reportType: textOf(child(d, "reportType")),
            readingType: textOf(child(d, "readingType")),
            itemUnits: textOf(find(d, "itemUnits")),
            minPeriod: textOf(find(d, "oadrMinPeriod")),
            maxPeriod: textOf(find(d, "oadrMaxPeriod")),
          })),
        }));
        const requests = this.#options.reportRequests?.(ven.metadata, ven) ?? [];
        return M.oadrRegisteredReport({ requestID: exchange.requestID ?? "", venID: ven.venID, requests });
      }
      case "oadrUpdateReport":
        exchange.reports = childrenNamed(message, "oadrReport").map(parseReport);
        return M.oadrUpdatedReport({ requestID: exchange.requestID ?? "", venID: ven.venID });
      case "oadrCreateOpt":
        return M.oadrCreatedOpt({ requestID: exchange.requestID ?? "", optID: textOf(child(message, "optID")) ?? "" });
      case "oadrCancelOpt":
        return M.oadrCanceledOpt({ requestID: exchange.requestID ?? "", optID: textOf(child(message, "optID")) ?? "" });
      case "oadrCanceledPartyRegistration":
        this.vens.delete(ven.venID);
        return ok();
      case "oadrCancelPartyRegistration":
        this.vens.delete(ven.venID);
        return M.oadrCanceledPartyRegistration({ requestID: exchange.requestID ?? "", registrationID: ven.registrationID, venID: ven.venID });
      case "oadrResponse":
        return ""; // like the captured VTN: an empty 200 body
      default:
        // oadrRegisteredReport, oadrCreatedReport, oadrCanceledReport, and VTN-role messages a VEN should not send.
        if (!["oadrRegisteredReport", "oadrCreatedReport", "oadrCanceledReport"].includes(message.local)) exchange.problem = `unexpected ${message.local} from a VEN`;
        return ok();
    }
  }
}

function tlsContext(pki: Pki, identity: { certPem: string; keyPem: string } | undefined) {
  return {
    key: (identity ?? pki.vtn).keyPem, cert: (identity ?? pki.vtn).certPem, ca: pki.ca.certPem,
    minVersion: "TLSv1.2" as const, maxVersion: "TLSv1.2" as const,
    // The two OpenADR 2.0b suites, plus ECDHE-RSA-AES128-SHA256 so a stock client can negotiate with an RSA server.
    ciphers: "ECDHE-ECDSA-AES128-SHA256:AES128-SHA256:ECDHE-RSA-AES128-SHA256",
  };
}

function parseReport(report: XNode): ReportData {
  const dtstartText = textOf(child(report, "dtstart"), "date-time");
  const durationText = textOf(child(report, "duration"), "duration");
  // One entry per payload (an interval may carry several data points).
  const intervals: ReportData["intervals"] = [];
  for (const interval of findAll(child(report, "intervals"), "interval")) {
    const start = textOf(child(interval, "dtstart"), "date-time");
    const length = textOf(child(interval, "duration"), "duration");
    for (const payloadNode of childrenNamed(interval, "oadrReportPayload")) {
      const value = textOf(find(payloadNode, "payloadFloat"), "value");
      const statusNode = find(payloadNode, "oadrPayloadResourceStatus");
      const levelOffset = textOf(find(find(statusNode, "oadrLevelOffset"), "oadrCurrent"));
      intervals.push({
        dtstart: start ? parseDateTime(start) : undefined,
        duration: length ? parseDuration(length) : undefined,
        rID: textOf(child(payloadNode, "rID")) ?? "",
        value: value === undefined ? undefined : Number(value),
        status: statusNode ? {
          online: textOf(statusNode, "oadrOnline") === "true",
          manualOverride: textOf(statusNode, "oadrManualOverride") === "true",
          levelOffset: levelOffset === undefined ? undefined : Number(levelOffset),
        } : undefined,
      });
    }
  }
  return {
    reportRequestID: textOf(child(report, "reportRequestID")) ?? "",
    reportSpecifierID: textOf(child(report, "reportSpecifierID")) ?? "",
    reportName: textOf(child(report, "reportName")) ?? "",
    dtstart: dtstartText ? parseDateTime(dtstartText) : undefined,
    duration: durationText ? parseDuration(durationText) : undefined,
    intervals,
  };
}
