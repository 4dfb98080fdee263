// The VTN simulator itself: replaying the VEN side of fixtures/openadr/session/ over TLS with a client
// certificate, it answers each request with the message type the captured VTN sent, every answer and
// every queued VTN→VEN message is XSD-valid, and it rejects a client without a certificate.
import test from "ava";
import { readFileSync } from "node:fs";
import https from "node:https";
import path from "node:path";
import { fixtureFiles, haveFixtures, MISSING_SHARED } from "../../support/shared.ts";
import { makePki } from "../pki.ts";
import { VtnSimulator } from "./server.ts";
import { validateMany } from "./validate.ts";

const pki = makePki();

function post(sim: VtnSimulator, endpoint: string, body: string, withCert = true): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: "127.0.0.1", port: sim.port, method: "POST", path: `/OpenADR2/Simple/2.0b/${endpoint}`,
      ca: pki.ca.certPem, ...(withCert ? { cert: pki.vens["ven-1"]!.certPem, key: pki.vens["ven-1"]!.keyPem } : {}),
      headers: { "Content-Type": "application/xml", "Content-Length": Buffer.byteLength(body) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const typeOf = (xml: string) => /<oadr:(oadr(?!Payload|SignedObject)\w+)/.exec(xml)?.[1] ?? (xml.trim() === "" ? "empty" : "?");

test("replaying the captured VEN requests gets the captured VTN's message types, XSD-valid", async (t) => {
  if (!haveFixtures) return t.pass(MISSING_SHARED);
  const now = Date.parse("2026-11-22T02:08:40Z");
  const sim = await VtnSimulator.start({ pki, clock: () => now, pollFreq: 2000, assignVenID: () => "VEN-OPENLEADR-1" });
  t.teardown(() => sim.close());
  const requests = fixtureFiles("session").filter((f) => f.endsWith(".req.xml"));
  const answers: string[] = [];
  for (const file of requests) {
    const [, seq, , endpoint, type] = /^(\d+)_([^_]+)_(\w+?)_(\w+)\.req\.xml$/.exec(path.basename(file))!;
    const expectedFile = fixtureFiles("session").find((f) => path.basename(f).startsWith(`${seq}_`) && f.endsWith(".resp.xml"))!;
    const expected = path.basename(expectedFile).replace(/^\d+_[^_]+_\w+?_/, "").replace(".resp.xml", "");
    // Script the VTN side so that a poll returns what the captured VTN returned.
    if (type === "oadrPoll" && expected !== "oadrResponse") sim.push(readFileSync(expectedFile, "utf8"));
    const reply = await post(sim, endpoint!, readFileSync(file, "utf8"));
    t.is(reply.status, 200, `${seq} ${type}`);
    if (type !== "oadrPoll") t.is(typeOf(reply.body), expected, `${seq} ${type} → ${expected}`);
    if (reply.body && type !== "oadrPoll") answers.push(reply.body);
  }
  sim.putEvent({ eventID: "E", modificationNumber: 0, dtstart: now, duration: 0, signals: [{ name: "SIMPLE", type: "level", id: "S", intervals: [{ duration: 60_000, value: 1 }] }], targets: { venID: ["V"] } });
  answers.push(sim.distributeEventXml());
  const outcomes = await validateMany(answers);
  outcomes.forEach((o, i) => t.not(o.valid, false, `answer ${i} ${typeOf(answers[i]!)}: ${o.errors.join("; ")}`));
  const invalid = await sim.validate();
  t.deepEqual(invalid.map((e) => e.seq), [], "the captured requests are XSD-valid");
});

test("a client without a certificate is refused at the TLS layer", async (t) => {
  const sim = await VtnSimulator.start({ pki });
  t.teardown(() => sim.close());
  await t.throwsAsync(post(sim, "OadrPoll", "<x/>", false));
  t.is(sim.exchanges.length, 0);
});

test("validation 'each': a schema-invalid body gets HTTP 400 and is recorded", async (t) => {
  if (!haveFixtures) return t.pass(MISSING_SHARED);
  const sim = await VtnSimulator.start({ pki, validation: "each" });
  t.teardown(() => sim.close());
  const poll = readFileSync(fixtureFiles("session").find((f) => f.endsWith("0006_ven-openleadr_OadrPoll_oadrPoll.req.xml"))!, "utf8");
  const invalid = poll.replace("<ei:venID>VEN-OPENLEADR-1</ei:venID>", "<ei:venID>VEN-OPENLEADR-1</ei:venID><ei:bogus>1</ei:bogus>");
  const reply = await post(sim, "OadrPoll", invalid);
  t.is(reply.status, 400);
  t.regex(sim.exchanges[0]!.problem ?? "", /schema-invalid/);
  t.deepEqual(sim.notes, []);
});
