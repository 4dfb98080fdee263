// A full session in the spirit of fixtures/openadr/session/ (OpenLEADR VEN ↔ OpenLEADR VTN), run by
// this VEN on XS against the simulator over TLS 1.2 with client certificates: registration, report
// registration and a TELEMETRY_USAGE request, an opt-out schedule, events with modification,
// cancellation, implied cancellation and startafter, an event needing no answer, CreateReport /
// CancelReport for TELEMETRY_STATUS, reregistration, the VTN's own RegisterReport, and the VTN
// cancelling the registration. Every VEN request is XSD-valid; every event is answered by the rules;
// report values arrive on schedule; the VEN sends every message type the captured VEN sent.
import test from "ava";
import path from "node:path";
import { fixtureFiles } from "../../support/shared.ts";
import { HOUR, MINUTE, openSession, requestTelemetry, SECOND, sessionEvent, simpleEvent, T0 } from "./support/session.ts";

test("session like fixtures/session: every step, every rule", async (t) => {
  const s = await openSession(t, {
    vtn: { pollFreq: 2 * SECOND, reportRequests: requestTelemetry(10 * SECOND, 10 * SECOND, "RR-TELEMETRY_USAGE-13075a86") },
    ven: {
      venName: "ven-openleadr",
      answers: { byEvent: { "EVT-2-OPTOUT": "optOut" } },
      reports: [
        { resourceId: "Device001", measurement: "powerReal", unit: "W", reading: { base: 0.768 } },
        { resourceId: "Device002", measurement: "powerReal", unit: "W", reading: { base: 3.141 } },
      ],
    },
  });
  const poll = () => s.sim.received("oadrPoll").length;
  const answered = (n: number) => s.until(() => s.sim.received("oadrCreatedEvent").length >= n);
  const afterPolls = async (n: number) => {
    const target = poll() + n;
    await s.until(() => poll() >= target);
  };

  // registration, METADATA, the TELEMETRY_USAGE request, RequestEvent
  await s.until(() => poll() >= 1);
  t.deepEqual(s.sim.exchanges.slice(0, 5).map((e) => e.type), ["oadrQueryRegistration", "oadrCreatePartyRegistration", "oadrRegisterReport", "oadrCreatedReport", "oadrRequestEvent"]);
  t.deepEqual(s.sim.ven().metadata.map((m) => m.reportName), ["METADATA_TELEMETRY_STATUS", "METADATA_TELEMETRY_USAGE"]);

  // the VEN opts out for two hours (EiOpt schedule)
  await s.xs.call("override", s.xs.now + 2 * HOUR, "notParticipating");
  await s.until(() => s.sim.received("oadrCreateOpt").length >= 1);
  await s.xs.call("cancelOverride");
  await s.until(() => s.sim.received("oadrCancelOpt").length >= 1);

  // EVT-1: two signals, three intervals, startafter, notification/rampUp/recovery
  const evt1 = sessionEvent({ dtstart: s.xs.now + 20 * SECOND + 20 * SECOND });
  s.sim.putEvent(evt1);
  s.sim.distribute();
  await answered(1);
  // EVT-2 (answered optOut), then EVT-3 (responseRequired never, a test event)
  s.sim.putEvent({ ...simpleEvent("EVT-2-OPTOUT", s.xs.now + 10 * MINUTE, 30 * MINUTE, 1, { priority: 2 }), signals: [{ name: "LOAD_DISPATCH", type: "delta", id: "SIG-DISPATCH", intervals: [{ duration: 15 * MINUTE, value: -5 }, { duration: 15 * MINUTE, value: -2.5 }] }] });
  s.sim.distribute();
  await answered(2);
  s.sim.putEvent(simpleEvent("EVT-3-NORESP", s.xs.now + HOUR, HOUR, 3, { priority: 0, testEvent: true, responseRequired: "never" }));
  s.sim.distribute();
  await answered(3);
  // EVT-1 modified (price update), then EVT-2 cancelled
  const raised = evt1.signals.map((signal) => ({ ...signal, intervals: signal.intervals.map((i) => ({ ...i, value: signal.name === "SIMPLE" ? i.value + 1 : Math.round(i.value * 150) / 100 })) }));
  s.sim.putEvent({ ...evt1, modificationNumber: 1, modificationReason: "price update", dtstart: evt1.dtstart + 4 * SECOND, notification: undefined, signals: raised });
  s.sim.distribute();
  await answered(4);
  s.sim.cancelEvent("EVT-2-OPTOUT");
  s.sim.distribute();
  await answered(5);
  const [a1, a2, a3, a4, a5] = s.sim.received("oadrCreatedEvent").map((c) => c.eventResponses!.map((r) => `${r.eventID}/${r.modificationNumber}/${r.optType}/${r.responseCode}`));
  t.deepEqual(a1, ["EVT-1/0/optIn/200"]);
  t.deepEqual(a2, ["EVT-1/0/optIn/200", "EVT-2-OPTOUT/0/optOut/200"]);
  t.deepEqual(a3, ["EVT-1/0/optIn/200", "EVT-2-OPTOUT/0/optOut/200"], "no answer for responseRequired never");
  t.deepEqual(a4, ["EVT-1/1/optIn/200", "EVT-2-OPTOUT/0/optOut/200"]);
  t.deepEqual(a5, ["EVT-1/1/optIn/200", "EVT-2-OPTOUT/1/optOut/200"]);

  // EVT-1 runs (randomised within startafter) and ends
  const [e1] = (await s.xs.call("events")).filter((e: { eventID: string }) => e.eventID === "EVT-1");
  t.true(e1.activePeriod.randomization >= 0 && e1.activePeriod.randomization <= 10 * SECOND);
  await s.until(() => s.xs.now >= e1.activePeriod.start + 25 * SECOND);
  t.like((await s.xs.call("active")).find((a: { signalName: string }) => a.signalName === "SIMPLE"), { eventID: "EVT-1", value: 3, phase: "active" });

  // CreateReport TELEMETRY_STATUS, a few status reports, CancelReport
  const statusSpecifier = s.sim.ven().metadata.find((m) => m.reportName === "METADATA_TELEMETRY_STATUS")!.reportSpecifierID;
  s.sim.createReport([{ reportRequestID: "RR-STATUS-POLL", reportSpecifierID: statusSpecifier, granularity: 10 * SECOND, reportBackDuration: 10 * SECOND, rIDs: ["status"] }]);
  await s.until(() => s.sim.received("oadrUpdateReport").filter((u) => u.reports![0]!.reportName === "TELEMETRY_STATUS").length >= 2);
  s.sim.cancelReport(["RR-STATUS-POLL"], false);
  await s.until(() => s.sim.received("oadrCanceledReport").length >= 1);
  await afterPolls(3);

  // reregistration, then the VTN lists EVT-1 only: EVT-3 implicitly cancelled
  s.sim.removeEvent("EVT-3-NORESP");
  s.sim.requestReregistration();
  await s.until(() => s.sim.received("oadrRequestEvent").length >= 2);
  await answered(6);
  t.deepEqual(s.sim.received("oadrCreatedEvent")[5]!.eventResponses!.map((r) => r.eventID), ["EVT-1", "EVT-2-OPTOUT"]);
  t.is((await s.xs.call("events")).find((e: { eventID: string }) => e.eventID === "EVT-3-NORESP").status, "cancelled");

  // the VTN's own RegisterReport, then it cancels the registration
  s.sim.registerReport();
  await s.until(() => s.sim.received("oadrRegisteredReport").length >= 1);
  await afterPolls(2);
  s.sim.cancelPartyRegistration();
  await s.until(() => s.sim.received("oadrCanceledPartyRegistration").length >= 1);

  // TELEMETRY_USAGE every 10 s with the values read, from the first request until reregistration
  const usage = s.sim.received("oadrUpdateReport").filter((u) => u.reports![0]!.reportName === "TELEMETRY_USAGE");
  t.true(usage.length >= 5);
  const gaps = usage.slice(1, 6).map((u, i) => u.at - usage[i]!.at);
  t.true(gaps.every((g) => g === 10 * SECOND), `every 10 s (${gaps})`);
  for (const u of usage) {
    t.deepEqual(u.reports![0]!.intervals.map((i) => [i.rID, i.value]), [["Device001:powerReal", 0.768], ["Device002:powerReal", 3.141]]);
  }

  // every event answered before the next poll; every request XSD-valid
  for (const created of s.sim.received("oadrCreatedEvent")) {
    const previous = s.sim.exchanges[created.seq - 2]!;
    t.true(previous.responseType === "oadrDistributeEvent", `CreatedEvent #${created.seq} follows its distribute`);
  }
  t.deepEqual((await s.sim.validate()).map((e) => `${e.seq} ${e.type}: ${e.validation?.errors.join("; ")}`), []);
  const sent = new Set(s.sim.exchanges.map((e) => e.type));
  const captured = new Set(fixtureFiles("session").filter((f) => f.endsWith(".req.xml")).map((f) => path.basename(f).replace(/^\d+_[^_]+_\w+?_/, "").replace(".req.xml", "")));
  t.deepEqual([...captured].filter((type) => !sent.has(type)), [], "every message type the captured VEN sent");
  t.true(s.sim.exchanges.every((e) => e.status === 200 && !e.problem), "the VTN saw no problem");
  t.is(s.xs.network.stats.handshakes, 1, "one full TLS handshake; every other exchange resumed the session");
  void T0;
});
