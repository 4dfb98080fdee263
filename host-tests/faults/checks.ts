// Did the firmware survive? Computed from what the peers received and what the relay pins did (the
// firmware's own word is used only for its final status and for what the CIOF outbox accepted):
//   registered  the VEN ends registered, under a venID the VTN knows;
//   schedule    the events the VTN holds are stored in their final version and answered; every event
//               due to run shed the relays its level calls for, inside its window; nothing was shed
//               outside an event's window; a cancelled event shed nothing;
//   relays      at the end every load is on (no event left), control in the expected mode;
//   safety      minimum on/off, maximum shed, restore spacing, boot delay — on the pins, with power cuts
//               (a cut puts every load on: fail-normal wiring) exempt from the minimum-off rule only;
//   outbox      drained (nothing queued, link idle);
//   CIOF        every record the outbox accepted reached the terminal (by message id; a record the
//               terminal rejected counts as accounted for when its error service record arrived), every
//               30-minute slot that closed while the firmware ran is there, no data row arrived under two
//               message ids (a retry under the same id is recognised by the terminal: not a duplicate).
// Node only.
import simBoard from "../../hardware/boards/sim";
import { KEY } from "../ciof/site.ts";
import { makePki } from "../peers/pki.ts";
import { FIRMWARE, MINUTE, slotKey } from "./workload.ts";
import type { FaultDef, RunRecords, RunVerdict } from "./types.ts";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const TOLERANCE_MS = 1000;
const SLOT_MS = 30 * MINUTE;
const ENERGY_CONTRACTS = new Set(["10001", "10004"]);

interface Period { relay: string; on: boolean; from: number; to: number; endCause: "boot" | "control" | "powerloss" | "end"; startCause: string }

function periods(records: RunRecords): Map<string, Period[]> {
  const out = new Map<string, Period[]>();
  for (const r of simBoard.relays) out.set(r.id, []);
  const writes = records.relayWrites.slice().sort((a, b) => a.at - b.at);
  for (const w of writes) {
    const list = out.get(w.relay)!;
    const last = list[list.length - 1];
    if (last && last.on === w.on) continue;
    if (last) { last.to = w.at; last.endCause = w.cause; }
    list.push({ relay: w.relay, on: w.on, from: w.at, to: records.end, endCause: "end", startCause: w.cause });
  }
  return out;
}

function relayConfig(def: FaultDef, relay: string): Any {
  const fw = ((def.firmware as Any)?.control)?.relays?.[relay] ?? (FIRMWARE.control.relays as Any)[relay];
  return { minOn: (fw.minOn ?? 180) * 1000, minOff: (fw.minOff ?? 300) * 1000, maxShed: (fw.maxShed ?? 14_400) * 1000, restoreRandom: (fw.restoreRandom ?? 300) * 1000, rules: fw.rules };
}

export function safety(records: RunRecords, def: FaultDef, per = periods(records)): string[] {
  const violations: string[] = [];
  const spacing = FIRMWARE.control.restoreSpacing * 1000;
  const bootDelayMin = FIRMWARE.control.bootDelayMin * 1000;
  const restores: { relay: string; at: number }[] = [];
  const t = (ms: number) => new Date(ms).toISOString().slice(11, 19);
  for (const [relay, list] of per) {
    const c = relayConfig(def, relay);
    for (const p of list) {
      const length = p.to - p.from;
      if (p.on && p.endCause === "control" && length < c.minOn - TOLERANCE_MS) violations.push(`${relay} minimum on: on ${(length / 1000).toFixed(0)} s < ${c.minOn / 1000} s (${t(p.from)}–${t(p.to)})`);
      if (!p.on && p.endCause === "control" && length < c.minOff - TOLERANCE_MS) violations.push(`${relay} minimum off: off ${(length / 1000).toFixed(0)} s < ${c.minOff / 1000} s (${t(p.from)}–${t(p.to)})`);
      if (!p.on && length > c.maxShed + spacing + TOLERANCE_MS) violations.push(`${relay} maximum shed: off ${(length / 60_000).toFixed(1)} min > ${c.maxShed / 60_000} min (from ${t(p.from)})`);
      if (p.on && p.startCause === "control") restores.push({ relay, at: p.from });
      if (p.startCause === "control") {
        const boot = [...records.boots].reverse().find((b) => b.at <= p.from);
        if (boot && p.from < boot.at + bootDelayMin - TOLERANCE_MS) violations.push(`${relay} boot delay: switched ${((p.from - boot.at) / 1000).toFixed(1)} s after boot`);
      }
    }
  }
  restores.sort((a, b) => a.at - b.at);
  for (let i = 1; i < restores.length; i++) {
    if (restores[i].at - restores[i - 1].at < spacing - 10) violations.push(`${restores[i].relay} restore spacing: ${restores[i].at - restores[i - 1].at} ms after ${restores[i - 1].relay}`);
  }
  return violations;
}

function sheds(rules: Any[], value: number): boolean {
  return rules.some((r: Any) => r.signalName === "SIMPLE" && (r.when === "atLeast" ? value >= r.threshold : r.when === "above" ? value > r.threshold : r.when === "atMost" ? value <= r.threshold : value < r.threshold));
}

export function verdict(def: FaultDef, records: RunRecords): RunVerdict {
  const failures: string[] = [];
  const notes = records.notes.slice();
  const expect = def.expect ?? {};
  const fail = (what: string) => failures.push(what);
  const vtn = records.vtn;
  const terminal = records.terminal;
  if (records.aborted) fail(`run aborted: ${records.aborted}`);
  if (records.xsErrors.length) fail(`uncaught in XS: ${records.xsErrors.slice(0, 3).join("; ")}`);
  if (records.boots.some((b) => !b.ok)) fail("a boot did not start the firmware");
  if (records.drainedAt === undefined && !records.aborted) fail("no end state within the drain time (registered, outbox drained, loads on, no signal)");

  // ---- registered ----
  const ven = records.finalVen;
  if (ven?.state !== "registered") fail(`VEN ends ${ven?.state ?? "unknown"}, not registered (${ven?.lastError?.message ?? ""})`);
  else if (!vtn.vens.has(ven.venID)) fail(`VEN ends registered as ${ven.venID}, which the VTN does not know`);

  // ---- schedule: stored, answered ----
  const stored = new Map<string, Any>((records.finalEvents ?? []).map((e: Any) => [e.eventID, e]));
  const answered = new Map<string, string>();
  for (const x of vtn.exchanges) for (const r of x.eventResponses ?? []) answered.set(`${r.eventID}#${r.modificationNumber}`, r.responseCode);
  for (const e of vtn.events.values()) {
    const end = e.dtstart + e.duration + (e.startafter ?? 0);
    const s = stored.get(e.eventID);
    if (s && s.modificationNumber !== e.modificationNumber) fail(`${e.eventID}: stored modification ${s.modificationNumber}, the VTN's is ${e.modificationNumber}`);
    if (!s && end > records.end && e.status !== "cancelled") fail(`${e.eventID}: not stored although still to run`);
    if (s && e.status === "cancelled" && s.status !== "cancelled") fail(`${e.eventID}: cancelled by the VTN, stored as ${s.status}`);
    if (answered.get(`${e.eventID}#${e.modificationNumber}`) !== "200") fail(`${e.eventID}: final version ${e.modificationNumber} never answered to the VTN`);
  }

  // ---- schedule on the pins: what the VEN knew (the versions it answered) is what must run ----
  const per = periods(records);
  const answers = new Map<string, { at: number; modificationNumber: number; optType: string }[]>();
  for (const x of vtn.exchanges) {
    for (const r of x.eventResponses ?? []) {
      if (r.responseCode !== "200") continue;
      if (!answers.has(r.eventID)) answers.set(r.eventID, []);
      answers.get(r.eventID)!.push({ at: x.at, modificationNumber: r.modificationNumber, optType: r.optType });
    }
  }
  const windows: { eventID: string; relay: string; from: number; to: number; toDevice: number }[] = [];
  for (const e of vtn.events.values()) {
    const versions = records.eventVersions.filter((v) => v.event.eventID === e.eventID);
    // a cancellation counts from when the VEN answered it (it learns it at its next poll)
    const cancel = versions.find((x) => x.kind === "cancel");
    const cancelKnown = cancel ? (answers.get(e.eventID) ?? []).filter((a) => a.modificationNumber === cancel.event.modificationNumber).map((a) => a.at).sort((a, b) => a - b)[0] ?? Infinity : Infinity;
    for (const relay of simBoard.relays) {
      const c = relayConfig(def, relay.id);
      // any version may shed within its window (a superset: what the VEN may legitimately have acted on)
      for (const v of versions) {
        if (v.event.status === "cancelled") continue;
        if (!sheds(c.rules, v.event.signals[0].intervals[0].value)) continue;
        const to = v.event.dtstart + v.event.duration + (v.event.startafter ?? 0);
        windows.push({ eventID: e.eventID, relay: relay.id, from: v.event.dtstart, to: Math.min(to, cancelKnown), toDevice: Math.min(to, cancelKnown + skewAt(records, cancelKnown)) });
      }
    }
    if (expect.eventsExecuted === false) continue;
    // the latest version the VEN answered before that version's end
    const known = (answers.get(e.eventID) ?? []).slice().sort((a, b) => a.at - b.at).filter((a) => {
      const v = versions.find((x) => x.event.modificationNumber === a.modificationNumber)?.event;
      return v && a.at < v.dtstart + v.duration + (v.startafter ?? 0);
    }).pop();
    if (!known) { notes.push(`${e.eventID}: no version reached the VEN before its end`); continue; }
    const v = versions.find((x) => x.event.modificationNumber === known.modificationNumber)!.event;
    if (v.status === "cancelled" || known.optType !== "optIn") continue;
    const from = Math.max(v.dtstart, known.at), to = v.dtstart + v.duration + (v.startafter ?? 0);
    if (from + 10 * MINUTE > Math.min(to, records.end)) continue; // learnt too late to require anything
    for (const relay of simBoard.relays) {
      if (!sheds(relayConfig(def, relay.id).rules, v.signals[0].intervals[0].value)) continue;
      const shed = (per.get(relay.id) ?? []).some((p) => !p.on && p.from < to && p.to > from);
      if (!shed) fail(`${e.eventID} (modification ${v.modificationNumber}, known ${new Date(known.at).toISOString().slice(11, 16)}Z): ${relay.id} never shed in its window`);
    }
  }
  for (const [relay, list] of per) {
    for (const p of list) {
      if (p.on || p.startCause !== "control") continue;
      // the device follows its own clock: a shed is inside a window at true time or at device time
      const device = p.from + skewAt(records, p.from);
      const inside = windows.some((w) => w.relay === relay && ((p.from >= w.from - TOLERANCE_MS && p.from <= w.to + TOLERANCE_MS) || (device >= w.from - TOLERANCE_MS && device <= w.toDevice + TOLERANCE_MS)));
      if (!inside) fail(`${relay} shed at ${new Date(p.from).toISOString()} outside every event window`);
    }
  }

  // ---- relays and control at the end ----
  for (const [relay, list] of per) if (list.length && !list[list.length - 1].on) fail(`${relay} ends off`);
  const mode = records.finalControl?.mode;
  if (mode !== undefined && mode !== (expect.controlMode ?? "normal") && !(expect.controlMode === undefined && mode === "normal")) fail(`control ends in mode ${mode}, expected ${expect.controlMode ?? "normal"}`);

  // ---- safety ----
  const violations = safety(records, def, per);
  for (const v of violations.slice(0, 5)) fail(`safety: ${v}`);

  // ---- outbox ----
  const ciof = records.finalStatus?.ciof;
  if (!ciof) fail("no CIOF status at the end");
  else if (ciof.queued !== 0) fail(`outbox not drained: ${ciof.queued} queued (${ciof.link})`);

  // ---- CIOF records ----
  const delivered = new Set(terminal.messages.map((m) => m.id));
  const errorRecords = new Set(terminal.records.filter((r) => r.body.event_type === "error").map((r) => r.body.data_id));
  const recordFor = new Set(terminal.records.filter((r) => r.body.event_type !== "error").map((r) => r.body.data_id));
  let lost = 0;
  let rejected = 0;
  for (const q of records.queued) {
    if (q.kind !== "message") continue;
    if (delivered.has(q.id)) {
      if (q.withRecord && !recordFor.has(q.id) && !errorRecords.has(q.id)) { lost++; notes.push(`service record of ${q.id} never arrived`); }
      continue;
    }
    if (errorRecords.has(q.id)) { rejected++; continue; }
    lost++;
    if (lost <= 3) notes.push(`${q.id} (${q.contract} ${q.key}) queued, never delivered`);
  }
  if (rejected) notes.push(`${rejected} rejected by the terminal, each with an error service record`);
  if (expect.slotsComplete !== false) {
    // what the outbox accepted, plus what reached the terminal (a commit that completed just before a
    // power cut is queued although the cut came before it could be observed)
    const queuedSlots = new Set(records.queued.filter((q) => q.kind === "message" && q.contract === "10001").flatMap((q) => (q.key ?? "").split("|")));
    for (const m of terminal.messages) if (m.tradeContractId === "10001") for (const row of m.contents) queuedSlots.add(row[0]!);
    const running = runningIntervals(records);
    const interval = Number(FIRMWARE.meteringInterval);
    for (let b = Math.ceil(records.start / SLOT_MS) * SLOT_MS + SLOT_MS; b <= (records.drainedAt ?? records.end) - 2 * MINUTE; b += SLOT_MS) {
      const up = running.some(([from, to]) => b >= from + 2 * interval && b <= to);
      if (!up) continue;
      const key = slotKey(b - SLOT_MS);
      if (!queuedSlots.has(key)) { lost++; notes.push(`slot ${key} closed while running, never queued`); }
    }
  }
  // every event that shed a relay on the pins has its DR record at the terminal (the ledger → CIOF path)
  for (const e of vtn.events.values()) {
    const to = e.dtstart + e.duration + (e.startafter ?? 0);
    const shed = [...per.values()].some((list) => list.some((p) => !p.on && p.startCause === "control" && p.from >= e.dtstart - TOLERANCE_MS && p.from < to));
    if (!shed || to + 10 * MINUTE > (records.drainedAt ?? records.end)) continue;
    const recorded = terminal.messages.some((m) => m.tradeContractId === "10002" && m.contents.some((row) => row[0] === e.eventID));
    if (!recorded) { lost++; notes.push(`${e.eventID} shed relays but its DR record never reached the terminal`); }
  }
  const byKey = new Map<string, Set<string>>();
  for (const m of terminal.messages) {
    if (m.duplicate) continue;
    for (const row of m.contents) {
      // energy: one row per slot start; DR: a row is one participation (the same row under two ids is a
      // duplicate; two participations of one event — the clock moved back into it — are two records)
      const k = ENERGY_CONTRACTS.has(m.tradeContractId) ? `${m.tradeContractId} ${row[0]}` : `${m.tradeContractId} ${JSON.stringify(row)}`;
      if (!byKey.has(k)) byKey.set(k, new Set());
      byKey.get(k)!.add(m.id);
    }
  }
  let duplicated = 0;
  for (const [k, ids] of byKey) if (ids.size > 1) { duplicated += ids.size - 1; notes.push(`${k} delivered under ${ids.size} message ids`); }
  const retried = terminal.messages.filter((m) => m.duplicate).length;
  if (retried) notes.push(`${retried} retried deliveries recognised by message id`);
  if (lost) fail(`${lost} CIOF records lost`);
  if (duplicated) fail(`${duplicated} CIOF records duplicated`);

  // ---- secrets: the CIOF key and the VEN's private key appear in no log and no message body ----
  const keyDer = Buffer.from(makePki().vens["ven-1"]!.keyDer);
  const secrets: [string, string][] = [["the CIOF key", KEY], ["the VEN private key (base64)", keyDer.toString("base64").slice(64, 112)], ["the VEN private key (hex)", keyDer.toString("hex").slice(64, 112)]];
  for (const [what, secret] of secrets) {
    if (records.log.some((l) => l.includes(secret))) fail(`${what} appears in the firmware log`);
    if (vtn.exchanges.some((x) => x.requestBody.includes(secret))) fail(`${what} appears in a message to the VTN`);
    if (terminal.log.some((l) => l.request.includes(secret))) fail(`${what} appears in a message to the CIOF terminal`);
  }

  // ---- no sign of a programming error in the log (a fault is handled, not thrown around) ----
  const bug = records.log.find((l) => / E /.test(l) && /TypeError|ReferenceError|could not build message|reply handling failed|callback threw|outbox step failed|internal:/.test(l));
  if (bug) fail(`error line that points at a bug: ${bug.slice(0, 200)}`);

  // ---- the fault's own expectations ----
  for (const re of expect.logs ?? []) if (!records.log.some((l) => re.test(l))) fail(`no log line matching ${re}`);
  for (const f of expect.custom?.(records) ?? []) fail(f);

  return {
    fault: def.name, seed: records.seed, survived: failures.length === 0, lost, duplicated, safetyViolations: violations.length,
    failures, notes, reboots: records.cuts.length, wallSeconds: Math.round(records.wallSeconds * 10) / 10, storagePeak: records.storagePeak ?? 0,
  };
}

/** Device clock − true time at true time `t`. */
function skewAt(records: RunRecords, t: number): number {
  let skew = 0;
  for (const s of records.skews) if (s.at <= t) skew = s.skew;
  return skew;
}

/** [from, to) true-time intervals in which the firmware ran with a valid clock (boot → cut). */
function runningIntervals(records: RunRecords): [number, number][] {
  const out: [number, number][] = [];
  const cuts = records.cuts.map((c) => c.at).sort((a, b) => a - b);
  for (const b of records.boots) {
    const next = cuts.find((c) => c >= b.at);
    out.push([b.at, next ?? Infinity]);
  }
  return out;
}
