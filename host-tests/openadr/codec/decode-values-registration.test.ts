// Registration, poll, opt and event-response payloads: decoded values equal the XML (txml) in every
// fixture — registration ids, venID/vtnID, requested poll frequency, profiles, poll venID, event
// responses (event ids, modification numbers, optType), opt ids.
import test from "ava";
import { readFileSync } from "node:fs";
import type { XsHost } from "../../engine/index.ts";
import type { EventResponse } from "../../../modules/openadr/types.ts";
import { haveFixtures, MISSING_SHARED } from "../../support/shared.ts";
import { all, at, child, children, durationMs, localName, messageOf, root, text } from "./oracle.ts";
import { allFixtures, fixture, startCodec, xsdInvalidNames } from "./support.ts";
import type { DecodeOutcome } from "./xs-entry.ts";

let xs: XsHost;
test.before(async () => { if (haveFixtures) xs = await startCodec(); });
test.after.always(async () => { await xs?.close(); });

test("registration, poll, opt and created-event fields equal the XML in every fixture", async (t) => {
  if (!haveFixtures) return t.log(MISSING_SHARED), t.pass();
  const invalid = xsdInvalidNames();
  const counts: Record<string, number> = {};
  for (const f of allFixtures()) {
    if (invalid.has(f.name)) continue;
    const bytes = readFileSync(f.file);
    if (bytes.length === 0) continue;
    const xml = messageOf(root(bytes));
    const type = localName(xml);
    if (!/Registration|Poll|Opt|CreatedEvent|RequestEvent/.test(type)) continue;
    const outcome = await xs.call<DecodeOutcome>("decode", bytes);
    if (!outcome.ok) return t.fail(`${f.name}: ${outcome.error.message}`);
    const m = outcome.message as Record<string, unknown>;
    const label = `${f.folder}/${f.name}`;
    const body = type === "oadrCreatedEvent" ? child(xml, "eiCreatedEvent")! : type === "oadrRequestEvent" ? child(xml, "eiRequestEvent")! : xml;
    counts[type] = (counts[type] ?? 0) + 1;
    t.is(m.venID, text(child(body, "venID")), `${label} venID`);
    t.is(m.registrationID, text(child(body, "registrationID")), `${label} registrationID`);
    t.is(m.vtnID, text(child(body, "vtnID")), `${label} vtnID`);
    t.is(m.requestID, text(child(body, "requestID")) ?? (child(body, "requestID") ? "" : undefined), `${label} requestID`);
    t.is(m.optID, text(child(body, "optID")), `${label} optID`);
    if (type === "oadrCreatedPartyRegistration") {
      t.is(m.oadrRequestedOadrPollFreq, durationMs(text(at(xml, "oadrRequestedOadrPollFreq", "duration"))), label);
      const profiles = all(xml, "oadrProfile").map((p) => ({
        oadrProfileName: text(child(p, "oadrProfileName")), oadrTransports: all(p, "oadrTransportName").map((n) => text(n)),
      }));
      t.deepEqual(m.oadrProfiles, profiles, label);
    }
    if (type === "oadrCreatePartyRegistration") {
      t.is(m.oadrProfileName, text(child(xml, "oadrProfileName")), label);
      t.is(m.oadrXmlSignature, text(child(xml, "oadrXmlSignature")) === "true", label);
      t.is(m.oadrVenName, text(child(xml, "oadrVenName")), label);
    }
    if (type === "oadrCreatedEvent") {
      const responses = all(body, "eventResponse");
      const decoded = m.eventResponses as EventResponse[];
      t.deepEqual(decoded.map((r) => r.qualifiedEventID.eventID), responses.map((r) => text(at(r, "qualifiedEventID", "eventID"))), label);
      t.deepEqual(decoded.map((r) => r.qualifiedEventID.modificationNumber), responses.map((r) => Number(text(at(r, "qualifiedEventID", "modificationNumber")))), label);
      t.deepEqual(decoded.map((r) => r.optType), responses.map((r) => text(child(r, "optType"))), label);
      t.deepEqual(decoded.map((r) => r.requestID), responses.map((r) => text(child(r, "requestID")) ?? ""), label);
      t.deepEqual(decoded.map((r) => r.responseCode), responses.map((r) => text(child(r, "responseCode"))), label);
    }
    if (type === "oadrCreateOpt") {
      t.is(m.optType, text(child(xml, "optType")), label);
      t.is(m.optReason, text(child(xml, "optReason")), label);
      const target = child(xml, "eiTarget")!;
      t.deepEqual((m.eiTarget as Record<string, string[]>).venID, children(target, "venID").length ? children(target, "venID").map((v) => text(v)) : undefined, label);
    }
  }
  for (const type of ["oadrCreatedPartyRegistration", "oadrCreatePartyRegistration", "oadrPoll", "oadrCreatedEvent", "oadrCreateOpt", "oadrQueryRegistration"]) {
    t.true((counts[type] ?? 0) >= 3, `${type}: ${counts[type] ?? 0} fixtures`);
  }
  t.log(JSON.stringify(counts));
});

test("captured CreatedPartyRegistration (session 0002): literal values", async (t) => {
  if (!haveFixtures) return t.log(MISSING_SHARED), t.pass();
  const bytes = fixture("session", "0002_noven_EiRegisterParty_oadrCreatedPartyRegistration.resp.xml");
  const outcome = await xs.call<DecodeOutcome>("decode", bytes);
  if (!outcome.ok) return t.fail(outcome.error.message);
  const xml = messageOf(root(bytes));
  t.like(outcome.message, {
    type: "oadrCreatedPartyRegistration",
    registrationID: text(child(xml, "registrationID")),
    venID: "VEN-OPENLEADR-1",
    vtnID: "TEST_VTN",
    oadrProfiles: [{ oadrProfileName: "2.0b", oadrTransports: ["simpleHttp"] }],
  });
  t.is(outcome.message.oadrRequestedOadrPollFreq, 2_000); // PT2S
});
