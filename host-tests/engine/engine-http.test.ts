// Host http module: plain and TLS 1.2 with a client certificate against loopback Node servers,
// Moddable's callback sequence, session resumption counters, injected faults.
import test from "ava";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { makePki } from "../peers/pki.ts";
import { XsHost } from "./index.ts";

const entry = "host-tests/engine/fixtures/xs-platform.ts";
const BIG = "x".repeat(5000);

function handler(req: http.IncomingMessage, res: http.ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const peer = (req.socket as TLSSocket).getPeerCertificate?.();
    const body = JSON.stringify({
      method: req.method, url: req.url, connection: req.headers.connection, host: req.headers.host,
      length: req.headers["content-length"], body: Buffer.concat(chunks).toString(), client: peer?.subject?.CN,
    });
    if (req.url === "/big") { res.writeHead(200, { "Content-Length": BIG.length, "X-Test": "yes" }); res.end(BIG); return; }
    if (req.url === "/unbounded") { req.socket.end("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nno length"); return; }
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
    res.end(body);
  });
}

async function listen(server: http.Server | https.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

test("plain http: Moddable callback sequence, headers as http.js sends them, fragments, faults", async (t) => {
  const server = http.createServer(handler);
  const port = await listen(server);
  const xs = await XsHost.start({ entry });
  try {
    const r = await xs.call("fetch", { host: "127.0.0.1", port, method: "POST", path: "/oadr", headers: ["Content-Type", "application/xml"], body: "<a/>", response: "String" });
    t.is(r.status, 200);
    t.true(r.headersComplete);
    t.is(r.headers["content-type"], "application/json");
    const echo = JSON.parse(r.body);
    t.like(echo, { method: "POST", url: "/oadr", connection: "close", host: "127.0.0.1", length: "4", body: "<a/>" });

    const big = await xs.call("fetch", { host: "127.0.0.1", port, path: "/big" });
    t.is(big.body, BIG);
    t.deepEqual(big.fragments, [1460, 1460, 1460, 620]);
    t.is(big.headers["x-test"], "yes");
    t.is(xs.network.stats.requests, 2);
    t.is(xs.network.stats.connections, 2, "Connection: close → one connection per request");

    xs.network.failNext({ kind: "connect" });
    const refused = await xs.call("fetch", { host: "127.0.0.1", port, path: "/" });
    t.truthy(refused.error);

    xs.network.failNext({ kind: "timeout", afterMs: 30_000 });
    const p = xs.begin("fetch", { host: "127.0.0.1", port, path: "/" });
    const t0 = xs.ticks;
    await xs.advance(30_000);
    const timedOut = await p;
    t.truthy(timedOut.error);
    t.is(timedOut.ticks - t0, 30_000);

    xs.network.failNext({ kind: "timeout" });
    const aborted = xs.begin("fetch", { host: "127.0.0.1", port, path: "/", abortAfterMs: 5000 });
    await xs.advance(5000);
    t.true((await aborted).aborted);

    xs.network.failNext({ kind: "delay", ms: 2000 });
    const slow = xs.begin("fetch", { host: "127.0.0.1", port, path: "/", response: "String" });
    await xs.advance(2000);
    t.is((await slow).status, 200);

    xs.network.failNext({ kind: "truncate", bytes: 2000 });
    const cut = await xs.call("fetch", { host: "127.0.0.1", port, path: "/big" });
    t.truthy(cut.error);
    t.deepEqual(cut.fragments, [1460, 540]);

    const unknown = await xs.call("fetch", { host: "vtn.example.com", port, path: "/" });
    t.regex(String(unknown.error), /cannot resolve/);
  } finally {
    await xs.close();
    server.close();
  }
});

test("TLS 1.2 with a client certificate from the secure dictionary; full handshakes vs resumptions", async (t) => {
  const pki = makePki();
  const server = https.createServer({
    key: pki.vtn.keyPem, cert: pki.vtn.certPem, ca: pki.ca.certPem,
    requestCert: true, rejectUnauthorized: true, minVersion: "TLSv1.2", maxVersion: "TLSv1.2",
  }, handler);
  const port = await listen(server);
  const ven = Object.values(pki.vens)[0];
  const secure = { protocolVersion: 0x303, certificate: pki.ca.certDer, clientCertificates: [ven.certDer], clientKey: ven.keyDer };
  const xs = await XsHost.start({ entry });
  try {
    const r = await xs.call("fetch", { host: "127.0.0.1", port, path: "/EiEvent", method: "POST", body: "x", secure, response: "String" });
    t.is(r.status, 200, JSON.stringify(r));
    t.is(JSON.parse(r.body).client, ven.name);
    const again = await xs.call("fetch", { host: "127.0.0.1", port, path: "/OadrPoll", secure, response: "String" });
    t.is(again.status, 200);
    t.is(xs.network.stats.handshakes, 1);
    t.is(xs.network.stats.resumptions, 1, "single-entry session cache, as Moddable's ssl_cache");

    await xs.restart(); // the session cache is RAM
    await xs.call("fetch", { host: "127.0.0.1", port, path: "/", secure, response: "String" });
    t.is(xs.network.stats.handshakes, 2);

    xs.network.keepAlive = true;
    await xs.call("fetch", { host: "127.0.0.1", port, path: "/", secure, response: "String" });
    await xs.call("fetch", { host: "127.0.0.1", port, path: "/", secure, response: "String" });
    t.is(xs.network.stats.handshakes, 3);
    t.is(xs.network.stats.connections, 4);
    xs.network.keepAlive = false;

    xs.network.forgetSession(); // a resumed session is not verified again (as with Moddable's cache)
    const rogue = { ...secure, certificate: pki.rogueVtn.certDer };
    const refused = await xs.call("fetch", { host: "127.0.0.1", port, path: "/", secure: rogue });
    t.truthy(refused.error, "server certificate not signed by the configured CA");

    const noClientCert = { protocolVersion: 0x303, certificate: pki.ca.certDer };
    const rejected = await xs.call("fetch", { host: "127.0.0.1", port, path: "/", secure: noClientCert });
    t.truthy(rejected.error ?? (rejected.status !== 200 ? rejected.status : undefined));

    const hang = xs.begin("fetch", { host: "127.0.0.1", port, path: "/unbounded", secure, abortAfterMs: 60_000 });
    await xs.advance(60_000);
    const hung = await hang;
    t.true(hung.aborted, `no Content-Length over TLS: Moddable's client never completes ${JSON.stringify(hung)}`);
    t.true(xs.output.some((l) => l.includes("without Content-Length")));
  } finally {
    await xs.close();
    server.close();
  }
});

test("a secure request holds SecureSocket-sized memory in XS: the handshake's until the response head, then the established session's (fixed-heap realism)", async (t) => {
  const pki = makePki();
  const server = https.createServer({ key: pki.vtn.keyPem, cert: pki.vtn.certPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: true }, handler);
  const port = await listen(server);
  const ven = Object.values(pki.vens)[0];
  const secure = { protocolVersion: 0x303, certificate: pki.ca.certDer, clientCertificates: [ven.certDer], clientKey: ven.keyDer };
  const xs = await XsHost.start({ entry });
  try {
    const { result, meter } = await xs.callMetered("fetch", { host: "127.0.0.1", port, path: "/", secure, response: "String" });
    t.is(result.status, 200);
    t.true(meter.peakChunks > 32_768 && meter.peakSlots > 1_500, `${meter.peakChunks} B, ${meter.peakSlots} slots`);
    // Once the response head is in, the handshake's memory is let go and the established session's stays
    // while the body is read: live at the headers, over live before the request, with the TLS memory
    // against without it. Each is the second exchange of its kind (the first also carries one-time
    // allocations of the engine, ≈10 KB here).
    const { tlsSession } = xs.network;
    const liveHeld = async () => {
      const r = await xs.call("fetch", { host: "127.0.0.1", port, path: "/big", secure, live: true });
      return [r.liveAtHeaders[0] - r.liveBefore[0], r.liveAtHeaders[1] - r.liveBefore[1]];
    };
    await liveHeld();
    const withTls = await liveHeld();
    xs.network.tlsBallast = null;
    await liveHeld();
    const without = await liveHeld();
    const held = [withTls[0] - without[0], withTls[1] - without[1]];
    t.log(`held while the body is read: ${held[0]} B, ${held[1]} slots (the session's figure: ${tlsSession.chunks} B, ${tlsSession.slots} slots)`);
    t.true(held[0] >= tlsSession.chunks && held[0] < tlsSession.chunks + 1_024, `chunks held ${held[0]}`);
    t.true(held[1] >= tlsSession.slots && held[1] < tlsSession.slots + 64, `slots held ${held[1]}`);
    const bare = await xs.callMetered("fetch", { host: "127.0.0.1", port, path: "/", secure, response: "String" });
    t.true(bare.meter.peakChunks < 32_768, `${bare.meter.peakChunks}`);
  } finally {
    await xs.close();
    server.close();
  }
});
