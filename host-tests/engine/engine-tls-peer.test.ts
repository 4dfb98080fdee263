// The server certificate as the device judges it: the fingerprint pin through the `secure.verifyPeer`
// callback (checked in the handshake, before any request byte; resumed sessions are not re-checked),
// certificate validity at the device's own clock (`xs.network.deviceClockCertificates`), and a server
// that stalls mid-body (`{kind: "stall"}`) until the transport's own timeout acts.
import test from "ava";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { makePki } from "../peers/pki.ts";
import { XsHost } from "./index.ts";

const entry = "host-tests/engine/fixtures/xs-transport.ts";

async function server(t: import("ava").ExecutionContext) {
  const pki = makePki();
  const paths: string[] = [];
  const bodies: Buffer[] = [];
  const srv = https.createServer({ key: pki.vtn.keyPem, cert: pki.vtn.certPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: true, minVersion: "TLSv1.2", maxVersion: "TLSv1.2" }, (req, res) => {
    paths.push(req.url ?? "");
    const parts: Buffer[] = [];
    req.on("data", (b: Buffer) => parts.push(b));
    req.on("end", () => {
      bodies.push(Buffer.concat(parts)); const body = "x".repeat(4000); res.writeHead(200, { "Content-Length": body.length }); res.end(body); });
  });
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  t.teardown(() => srv.close());
  const ven = pki.vens["ven-1"]!;
  const tls = { ca: pki.ca.certDer, certificate: ven.certDer, key: ven.keyDer };
  return { pki, paths, bodies, port: (srv.address() as AddressInfo).port, tls };
}

test("pin: a matching fingerprint passes, a resumed session is not re-checked; a mismatch is refused before the request", async (t) => {
  const s = await server(t);
  const xs = await XsHost.start({ entry });
  t.teardown(() => xs.close());
  await xs.call("open", { host: "127.0.0.1", port: s.port, secure: true, tls: { ...s.tls, vtnFingerprint: s.pki.vtn.fingerprint } });
  t.is((await xs.call("request", "/a")).status, 200);
  t.is((await xs.call("request", "/b")).status, 200);
  t.is(xs.network.stats.handshakes, 1);
  t.is(xs.network.stats.resumptions, 1);

  await xs.restart();
  await xs.call("open", { host: "127.0.0.1", port: s.port, secure: true, tls: { ...s.tls, vtnFingerprint: "00:11:22:33:44:55:66:77:88:99" } });
  const refused = await xs.call("request", "/c");
  t.is(refused.error?.code, "fingerprint", JSON.stringify(refused));
  t.regex(refused.error.message, new RegExp(s.pki.vtn.fingerprint));
  const again = await xs.call("request", "/d");
  t.is(again.error?.code, "fingerprint", "the refused server's TLS session is not cached and resumed");
  t.deepEqual(s.paths, ["/a", "/b"], "the refused requests never reached the server");
});

test("device clock: before SNTP the VTN certificate is not yet valid; once the clock is set it is", async (t) => {
  const s = await server(t);
  const xs = await XsHost.start({ entry, clock: { start: Date.UTC(2026, 10, 22), valid: false } });
  t.teardown(() => xs.close());
  xs.network.deviceClockCertificates = true;
  await xs.call("open", { host: "127.0.0.1", port: s.port, secure: true, tls: s.tls });
  const early = await xs.call("request", "/early");
  t.is(early.error?.code, "certificate", JSON.stringify(early));
  t.regex(early.error.message, /date validation failed at the device clock/);
  await xs.setClock(Date.now(), { valid: true });
  t.is((await xs.call("request", "/late")).status, 200);
  t.deepEqual(s.paths, ["/late"]);
});

test("stall mid-body: status and the first bytes arrive, then nothing until the transport's timeout", async (t) => {
  const s = await server(t);
  const xs = await XsHost.start({ entry });
  t.teardown(() => xs.close());
  await xs.call("open", { host: "127.0.0.1", port: s.port, secure: true, tls: s.tls });
  xs.network.failNext({ kind: "stall", bytes: 1000 });
  const p = xs.begin("request", "/slow", 20_000);
  const t0 = xs.ticks;
  await xs.advance(20_000);
  const r = await p;
  t.is(r.status, 200);
  t.is(r.body.length, 1000);
  t.is(r.error?.code, "timeout");
  t.is(xs.ticks - t0, 20_000);
});

test("a request body larger than a socket's send buffer goes out in fragments and arrives whole", async (t) => {
  // The SDK's http client writes a whole body in one socket.write, which throws once the body does not
  // fit the socket's send buffer (1,024 bytes on lin: seen in mcsim at the VEN's 1.1 KB registration).
  // The transport streams it (body: true); the host http asks for fragments of at most 1,024 bytes and
  // fails a request that hands it more.
  const s = await server(t);
  const xs = await XsHost.start({ entry });
  t.teardown(() => xs.close());
  await xs.call("open", { host: "127.0.0.1", port: s.port, secure: true, tls: s.tls });
  const text = "<big>" + "デマンドレスポンス-0123456789".repeat(150) + "</big>"; // 5,711 bytes of UTF-8
  const r = await xs.call("request", "/big", undefined, text);
  t.is(r.status, 200, JSON.stringify(r.error));
  t.is(s.bodies.length, 1);
  t.is(s.bodies[0]!.toString("utf8"), text);
  t.true(Buffer.byteLength(text) > 4 * 1024);
  t.deepEqual(xs.errors, []);
});
