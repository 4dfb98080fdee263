// The fault matrix as data: each fault laid over the workload (workload.ts), with its seeds and the end
// state it must still reach (checks.ts: registered, schedule right, relays right, outbox drained, no
// CIOF record lost or duplicated, no safety violation) plus what it must say about itself.
// Offsets are from the run's start S (10:00 JST). The workload: DR-1 11:15–12:30 (announced 10:10 at
// level 1, modified at 10:40 to level 2), DR-2 at 13:00 cancelled at 12:50, DR-3 13:45–14:15; most
// faults hold from 10:20 to 12:20, so the modification, the start and the end of DR-1 fall inside.
// Node only.
import type { NetworkRequestInfo } from "../engine/index.ts";
import type { WriteFault } from "../engine/index.ts";
import type { Fault as TerminalFault } from "../peers/ciof-terminal.ts";
import { NS } from "../peers/vtn/messages.ts";
import { HOUR, MINUTE } from "./workload.ts";
import type { FaultContext, FaultDef, RunRecords } from "./types.ts";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const FROM = 20 * MINUTE;
const TO = 2 * HOUR + 20 * MINUTE;

/** Holds a fault over [from, to): `start` at from, `stop` at to. */
function during(ctx: FaultContext, from: number, to: number, label: string, start: () => void | Promise<void>, stop: () => void | Promise<void>): void {
  ctx.at(from, `${label} on`, start);
  ctx.at(to, `${label} off`, stop);
}

/** A network fault on a share of the requests to one peer within [from, to). */
function share(ctx: FaultContext, peer: "vtn" | "ciof", p: number, fault: (info: NetworkRequestInfo) => Any, from = FROM, to = TO, label = "fault"): void {
  let remove: (() => void) | undefined;
  during(ctx, from, to, label, () => {
    remove = ctx.inject(label, (info, which) => (which === peer && ctx.rng() < p ? fault(info) : undefined));
  }, () => remove?.());
}

/** A VTN reply replaced (the request still reaches the VTN and is processed: the reply is what breaks). */
function vtnReplies(ctx: FaultContext, p: number, body: (info: NetworkRequestInfo) => { status?: number; body?: string | Uint8Array; process?: boolean; truncateTo?: number }, label: string): void {
  share(ctx, "vtn", p, (info) => {
    ctx.vtn.overrides.push({ process: true, ...body(info) });
    return undefined;
  }, FROM, TO, label);
}

const PAYLOAD = (inner: string) => `<?xml version="1.0" encoding="utf-8"?>\n<oadr:oadrPayload xmlns:oadr="${NS.oadr}"><oadr:oadrSignedObject>${inner}</oadr:oadrSignedObject></oadr:oadrPayload>`;

function randomBytes(rng: () => number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rng() * 256);
  return out;
}

/** Bodies beyond each of the XML reader's limits (modules/xml/reader.ts DEFAULT_LIMITS). */
function oversized(ctx: FaultContext): string {
  const open = `<oadr:oadrDistributeEvent ei:schemaVersion="2.0b" xmlns:ei="${NS.ei}"><ei:eiResponse><ei:responseCode>200</ei:responseCode><ei:responseDescription>OK</ei:responseDescription><requestID xmlns="${NS.pyld}">r</requestID></ei:eiResponse>`;
  switch (Math.floor(ctx.rng() * 6)) {
    case 0: return PAYLOAD(open + "<ei:x>filler filler filler filler</ei:x>".repeat(8000) + "</oadr:oadrDistributeEvent>"); // > 256 KB document
    case 1: return PAYLOAD(open + `<ei:vtnComment>${"x".repeat(10_000)}</ei:vtnComment></oadr:oadrDistributeEvent>`); // text > 4 KB
    case 2: return PAYLOAD(open + "<ei:d>".repeat(40) + "</ei:d>".repeat(40) + "</oadr:oadrDistributeEvent>"); // depth > 32
    case 3: return PAYLOAD(open + `<ei:a ${Array.from({ length: 40 }, (_, i) => `a${i}="v"`).join(" ")}/></oadr:oadrDistributeEvent>`); // attributes > 16
    case 4: return PAYLOAD(open + `<ei:${"n".repeat(200)}>v</ei:${"n".repeat(200)}></oadr:oadrDistributeEvent>`); // name > 64 bytes
    default: return PAYLOAD(open + Array.from({ length: 500 }, (_, i) => `<ei:u${i}/>`).join("") + "</oadr:oadrDistributeEvent>"); // distinct names > 384
  }
}

/** Well-formed, schema-invalid replies: the real reply with one required part broken, or a message the VEN never takes. */
function schemaInvalid(ctx: FaultContext, info: NetworkRequestInfo): string {
  const events = [...ctx.vtn.events.values()];
  const distribute = ctx.vtn.distributeEventXml({ events });
  const k = Math.floor(ctx.rng() * 7);
  if (info.path.endsWith("OadrPoll") || info.path.endsWith("EiEvent")) {
    if (k === 0) return distribute.replace(/<xcal:date-time>[^<]*<\/xcal:date-time>/, "<xcal:date-time>2026-13-45T99:00:00Z</xcal:date-time>");
    if (k === 1) return distribute.replace(/<ei:eventID>[^<]*<\/ei:eventID>/, "<ei:eventID></ei:eventID>");
    if (k === 2) return distribute.replace(/<xcal:duration>P[^<]*<\/xcal:duration>/, "<xcal:duration>P1X</xcal:duration>");
    if (k === 3) return distribute.replace(/<ei:modificationNumber>\d+<\/ei:modificationNumber>/, "<ei:modificationNumber>-3.5e</ei:modificationNumber>");
  }
  if (k === 4) return PAYLOAD(`<oadr:oadrResponse ei:schemaVersion="2.0b" xmlns:ei="${NS.ei}"><ei:eiResponse><ei:responseCode>abc</ei:responseCode><requestID xmlns="${NS.pyld}"/></ei:eiResponse></oadr:oadrResponse>`);
  if (k === 5) return PAYLOAD(`<oadr:oadrCreateOpt ei:schemaVersion="2.0b" xmlns:ei="${NS.ei}"><ei:optID>x</ei:optID></oadr:oadrCreateOpt>`);
  return `<?xml version="1.0"?><oadrPayload xmlns="urn:not-openadr"><oadrResponse/></oadrPayload>`;
}

function hostile(ctx: FaultContext): string {
  switch (Math.floor(ctx.rng() * 4)) {
    case 0: return `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>` + PAYLOAD(`<oadr:oadrResponse><x>&lol3;</x></oadr:oadrResponse>`).replace(/^<\?xml[^>]*>\n/, "");
    case 1: return `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><oadr:oadrPayload xmlns:oadr="${NS.oadr}">&xxe;</oadr:oadrPayload>`;
    case 2: return PAYLOAD(`<oadr:oadrResponse>&unknown;&#0;&#x110000;</oadr:oadrResponse>`);
    default: return PAYLOAD(`<oadr:oadrResponse xmlns:a="x" xmlns:a="y"><a:b a:c="1" a:c="2"/></oadr:oadrResponse>`);
  }
}

/** A TLS fault from FROM to TO: the VTN changes its certificate (or its client CA); sessions are forgotten on both sides. */
function tlsFault(ctx: FaultContext, change: Parameters<FaultContext["vtn"]["setTls"]>[0], label: string): void {
  during(ctx, FROM, TO, label, () => { ctx.vtn.setTls(change); ctx.xs.network.forgetSession(); }, () => { ctx.vtn.setTls(); ctx.xs.network.forgetSession(); });
}

/** Requests that reached the VTN between two instants. */
function vtnRequestsBetween(r: RunRecords, from: number, to: number): number {
  return r.vtn.exchanges.filter((x) => x.at >= r.start + from && x.at < r.start + to).length;
}

/** TELEMETRY_STATUS as the VTN received it: (interval start, online). */
function vtnOnline(r: RunRecords): { at: number; online: boolean }[] {
  return r.vtn.exchanges.flatMap((x) => (x.reports ?? []).filter((rep) => rep.reportName === "TELEMETRY_STATUS")
    .flatMap((rep) => rep.intervals.filter((i) => i.status).map((i) => ({ at: i.dtstart ?? x.at, online: i.status!.online === true }))));
}

/** TELEMETRY_USAGE values the VTN received with their interval start. */
function vtnTelemetry(r: RunRecords): number[] {
  return r.vtn.exchanges.flatMap((x) => (x.reports ?? []).filter((rep) => rep.reportName === "TELEMETRY_USAGE")
    .flatMap((rep) => rep.intervals.filter((i) => i.value !== undefined).map((i) => i.dtstart ?? x.at)));
}

/** Status PUTs the terminal received for a path ("service_implementations", "data_implementations") carrying `status`. */
function terminalStatus(r: RunRecords, path: string, status: string): number[] {
  return r.terminal.log.filter((l) => l.method === "PUT" && l.path.endsWith(path) && l.request.includes(`"status":"${status}"`)).map((l) => l.at);
}

/** The CT rows: invalid readings reach neither the VTN nor the CIOF terminal as numbers; both hear of the fault. */
function ctReported(r: RunRecords): string[] {
  const out: string[] = [];
  const from = r.start + FROM + 2 * MINUTE, to = r.start + TO;
  const during = vtnTelemetry(r).filter((t) => t >= from && t < to);
  if (during.length) out.push(`${during.length} TELEMETRY_USAGE values reached the VTN while the CT was faulty`);
  if (!vtnTelemetry(r).some((t) => t >= to + 5 * MINUTE)) out.push("no TELEMETRY_USAGE values after the CT recovered");
  if (!terminalStatus(r, "data_implementations", "invalid").some((t) => t >= r.start + FROM && t < to)) out.push("the CIOF terminal never heard the energy data was invalid");
  if (!terminalStatus(r, "service_implementations", "failure").some((t) => t >= r.start + FROM && t < to)) out.push("the CIOF terminal never heard of the CT fault");
  return out;
}

const WRITE_MODES: readonly WriteFault[] = ["torn", "erased", "powerloss-after"];

/** One power cut at a random moment: either by time, or in the middle of a store write. */
function randomCut(ctx: FaultContext, from: number, to: number, counts: Record<string, number>): void {
  const at = from + Math.floor(ctx.rng() * (to - from));
  const offMs = Math.round(1000 + ctx.rng() * 59_000);
  if (ctx.rng() < 0.5) {
    ctx.at(at, "power cut", async () => { counts.time = (counts.time ?? 0) + 1; await ctx.powerCut(offMs); });
  } else {
    const mode = WRITE_MODES[Math.floor(ctx.rng() * WRITE_MODES.length)]!;
    const n = 1 + Math.floor(ctx.rng() * 12);
    ctx.at(at, "store write cut", () => { counts[mode] = (counts[mode] ?? 0) + 1; ctx.failWrites(n, mode); });
  }
}

/** Store domains of the firmware (main.ts: Preference domains; firmware.ts: one Store each). */
const DOMAINS = ["ven", "ctl", "mtr", "dr", "ciof"] as const;

function corrupt(ctx: FaultContext, keep: (domain: string, key: string) => boolean, how: "corrupt" | "delete"): string[] {
  const touched: string[] = [];
  for (const domain of DOMAINS) {
    for (const key of ctx.xs.preferences.keys(domain)) {
      if (keep(domain, key)) continue;
      if (how === "delete") ctx.xs.preferences.write(domain, key, undefined);
      else {
        // garbage a reader can tell from a value (a plausible number or a value of another NVS type reads
        // as a value or as absent: the "missing" row covers the latter)
        const variants = ["{", "null", "[1,2", "\u0001garbage\u00ff", JSON.stringify({ v: 999 }), "x".repeat(3000), "[]", "{\"__proto__\":{\"polluted\":1}}", "-1.5e"];
        ctx.xs.preferences.write(domain, key, { type: "string", value: variants[Math.floor(ctx.rng() * variants.length)]! });
      }
      touched.push(`${domain}/${key}`);
    }
  }
  return touched;
}

export const CATALOG: readonly FaultDef[] = [
  // ---------------------------------------------------------------- VTN
  {
    name: "VTN unreachable 3 h", group: "VTN", seeds: 3,
    description: "10:20–13:20 connections refused (odd seeds) or no answer at all (even seeds); DR-1 runs from the store, DR-2/DR-3 arrive after",
    inject(ctx) {
      if (ctx.seed % 2) during(ctx, FROM, 3 * HOUR + FROM, "offline", () => ctx.vtn.setOffline(true), () => ctx.vtn.setOffline(false));
      else share(ctx, "vtn", 1, () => ({ kind: "timeout" }), FROM, 3 * HOUR + FROM, "black hole");
    },
    expect: { logs: [/ W ven .*(back|offline|unreachable|fail)/i] },
  },
  {
    name: "VTN slow (stalls mid-body)", group: "VTN", seeds: 3,
    description: "half the replies stop after 200–800 body bytes and never finish; the transport's 30 s timeout acts",
    inject(ctx) { share(ctx, "vtn", 0.5, () => ({ kind: "stall", bytes: 200 + Math.floor(ctx.rng() * 600) })); },
    expect: { logs: [/no complete response within 30000 ms/] },
  },
  {
    name: "VTN HTTP 5xx", group: "VTN", seeds: 3,
    description: "60 % of requests answered 500/502/503 without being processed",
    inject(ctx) {
      share(ctx, "vtn", 0.6, () => {
        const status = [500, 502, 503][Math.floor(ctx.rng() * 3)]!;
        ctx.vtn.overrides.push({ status, body: status === 503 ? "" : `<html><body>${status}</body></html>` });
        return undefined;
      }, FROM, TO, "5xx");
    },
    expect: { logs: [/HTTP 50[023]|status 50[023]|50[023]/] },
  },
  {
    name: "VTN truncated replies", group: "VTN", seeds: 3,
    description: "40 % of replies cut after a random byte count (connection reset)",
    inject(ctx) { share(ctx, "vtn", 0.4, () => ({ kind: "truncate", bytes: Math.floor(ctx.rng() * 1500) })); },
  },
  {
    name: "VTN garbage replies", group: "VTN", seeds: 3,
    description: "40 % of replies (processed by the VTN) replaced by random bytes, HTML, JSON or an empty 200",
    inject(ctx) {
      vtnReplies(ctx, 0.4, () => {
        const k = Math.floor(ctx.rng() * 4);
        const body = k === 0 ? randomBytes(ctx.rng, 100 + Math.floor(ctx.rng() * 2000)) : k === 1 ? "<html><body><h1>Service temporarily unavailable</h1></body></html>" : k === 2 ? "{\"error\":\"gateway\"}" : "";
        return { status: 200, body };
      }, "garbage");
    },
    expect: { logs: [/ W ven .*(undecodable|decode|not a|bad reply|unexpected)/i] },
  },
  {
    name: "VTN oversized replies", group: "VTN", seeds: 3,
    description: "30 % of replies beyond one of the XML reader's limits (document 256 KB, text 4 KB, depth 32, 16 attributes, 64-byte names, 384 names)",
    inject(ctx) { vtnReplies(ctx, 0.3, () => ({ status: 200, body: oversized(ctx) }), "oversized"); },
    expect: { logs: [/limit|too (large|long|deep|many)|exceed/i] },
  },
  {
    name: "VTN schema-invalid replies", group: "VTN", seeds: 3,
    description: "40 % of replies well-formed but invalid: bad date, empty eventID, bad duration, bad modificationNumber, bad responseCode, a VTN-only message, a foreign namespace",
    inject(ctx) { vtnReplies(ctx, 0.4, (info) => ({ status: 200, body: schemaInvalid(ctx, info) }), "schema-invalid"); },
  },
  {
    name: "VTN hostile XML", group: "Input", seeds: 2,
    description: "30 % of replies with a DOCTYPE (entity expansion, external entity), undefined entities and bad character references, duplicate attributes",
    inject(ctx) { vtnReplies(ctx, 0.3, () => ({ status: 200, body: hostile(ctx) }), "hostile XML"); },
    expect: { logs: [/DOCTYPE|doctype|entity|duplicate|reference/i] },
  },
  {
    name: "VTN unknown venID (452)", group: "VTN", seeds: 2,
    description: "the VTN forgets the VEN at 10:30 and at 12:00: 452 on the next request, the VEN registers again",
    inject(ctx) {
      ctx.at(30 * MINUTE, "forget VEN", () => { if (ctx.vtn.vens.size) ctx.vtn.forgetVen(); });
      ctx.at(2 * HOUR, "forget VEN", () => { if (ctx.vtn.vens.size) ctx.vtn.forgetVen(); });
    },
    expect: {
      logs: [/452/],
      custom: (r) => (r.vtn.received("oadrCreatePartyRegistration").length >= 3 ? [] : [`registered ${r.vtn.received("oadrCreatePartyRegistration").length} times, expected 3`]),
    },
  },
  {
    name: "VTN replies after the VEN gave up", group: "VTN", seeds: 3,
    description: "40 % of replies delivered 35–90 s late, after the VEN's 30 s timeout (the VTN processed the request)",
    inject(ctx) { share(ctx, "vtn", 0.4, () => ({ kind: "delay", ms: 35_000 + Math.floor(ctx.rng() * 55_000) })); },
    expect: { logs: [/no complete response within 30000 ms/] },
  },
  // ---------------------------------------------------------------- TLS
  {
    name: "TLS: VTN certificate from another CA", group: "TLS", seeds: 2,
    description: "10:20–12:20 the VTN serves a certificate the VEN's CA did not sign",
    inject(ctx) { tlsFault(ctx, { serverIdentity: ctx.pki.rogueVtn }, "rogue CA"); },
    expect: {
      logs: [/certificate|self[- ]signed|verify/i],
      custom: (r) => (vtnRequestsBetween(r, FROM + MINUTE, TO) === 0 ? [] : [`${vtnRequestsBetween(r, FROM + MINUTE, TO)} requests reached a VTN with a foreign certificate`]),
    },
  },
  {
    name: "TLS: VTN certificate expired", group: "TLS", seeds: 2,
    description: "10:20–12:20 the VTN serves a certificate of the right CA that expired in 2021",
    inject(ctx) { tlsFault(ctx, { serverIdentity: ctx.faultPki.expired }, "expired"); },
    expect: {
      logs: [/expired|date/i],
      custom: (r) => (vtnRequestsBetween(r, FROM + MINUTE, TO) === 0 ? [] : [`${vtnRequestsBetween(r, FROM + MINUTE, TO)} requests reached a VTN with an expired certificate`]),
    },
  },
  {
    name: "TLS: VTN certificate for another host", group: "TLS", seeds: 2,
    description: "10:20–12:20 the VTN serves a certificate of the right CA for vtn.example.org",
    inject(ctx) { tlsFault(ctx, { serverIdentity: ctx.faultPki.wrongHost }, "wrong host"); },
    expect: {
      logs: [/altname|host|name/i],
      custom: (r) => (vtnRequestsBetween(r, FROM + MINUTE, TO) === 0 ? [] : [`${vtnRequestsBetween(r, FROM + MINUTE, TO)} requests reached a VTN with another host's certificate`]),
    },
  },
  {
    name: "TLS: fingerprint mismatch (pinned)", group: "TLS", seeds: 2,
    description: "the VEN pins the VTN's fingerprint; 10:20–12:20 the VTN serves another valid certificate (right CA, right host)",
    firmware: (ctx) => ({ vtnFingerprint: ctx.pki.vtn.fingerprint }),
    inject(ctx) { tlsFault(ctx, { serverIdentity: ctx.faultPki.otherVtn }, "other certificate"); },
    expect: {
      logs: [/fingerprint/i],
      custom: (r) => (vtnRequestsBetween(r, FROM + MINUTE, TO) === 0 ? [] : [`${vtnRequestsBetween(r, FROM + MINUTE, TO)} requests reached a VTN whose fingerprint does not match the pin`]),
    },
  },
  {
    name: "TLS: client certificate rejected", group: "TLS", seeds: 2,
    description: "10:20–12:20 the VTN trusts another CA for client certificates and refuses the VEN's",
    inject(ctx) { tlsFault(ctx, { clientCaPem: ctx.faultPki.foreignClientCaPem }, "client CA"); },
    expect: { logs: [/alert|certificate|handshake|reset|socket/i] },
  },
  // ---------------------------------------------------------------- Clock
  {
    name: "Clock: no time at boot (SNTP 40 min late)", group: "Clock", seeds: 2,
    description: "the device boots with no wall clock; SNTP answers at 10:40 (TLS cannot verify the VTN before)",
    clock: { valid: false },
    inject(ctx) { ctx.at(40 * MINUTE, "SNTP", () => ctx.setDeviceClock(0, true)); },
    expect: { slotsComplete: false, logs: [/date validation/] },
  },
  {
    name: "Clock: +1 h correction during an event", group: "Clock", seeds: 2,
    description: "the device clock runs 1 h slow until SNTP corrects it (+1 h) at 11:45, inside DR-1",
    clock: { skewMs: -HOUR },
    inject(ctx) { ctx.at(HOUR + 45 * MINUTE, "clock +1 h", () => ctx.setDeviceClock(0, true)); },
    expect: { slotsComplete: false },
  },
  {
    name: "Clock: −1 h correction during an event", group: "Clock", seeds: 2,
    description: "the device clock runs 1 h fast until SNTP corrects it (−1 h) at 11:45, inside DR-1",
    clock: { skewMs: HOUR },
    inject(ctx) { ctx.at(HOUR + 45 * MINUTE, "clock −1 h", () => ctx.setDeviceClock(0, true)); },
    expect: { slotsComplete: false },
  },
  {
    name: "Clock: leap across a slot boundary", group: "Clock", seeds: 2,
    description: "the clock is 10 min off from boot and SNTP corrects it across 11:30: odd seeds 10 min slow, +10 min at device 11:25 → 11:35; even seeds 10 min fast, −10 min at device 11:35 → 11:25",
    clock: { skewMs: 0 },
    setup(ctx) { ctx.note(ctx.seed % 2 ? "leap +10 min" : "leap −10 min"); },
    inject(ctx) {
      ctx.at(0, "10 min off", () => ctx.setDeviceClock(ctx.seed % 2 ? -10 * MINUTE : 10 * MINUTE, true));
      ctx.at(ctx.seed % 2 ? HOUR + 35 * MINUTE : HOUR + 25 * MINUTE, "leap", () => ctx.setDeviceClock(0, true));
    },
    expect: { slotsComplete: false },
  },
  // ---------------------------------------------------------------- Power
  {
    name: "Power: reboots at random moments", group: "Power", seeds: 100, reducedSeeds: 2,
    description: "1–3 power cuts per run (1–60 s off) at random times, half of them in the middle of a store write (torn, erased, written-then-cut)",
    inject(ctx) {
      const counts: Record<string, number> = {};
      const n = 1 + Math.floor(ctx.rng() * 3);
      for (let i = 0; i < n; i++) randomCut(ctx, 5 * MINUTE, 4 * HOUR + 15 * MINUTE, counts);
      ctx.at(4 * HOUR + 20 * MINUTE, "count", () => ctx.note(`cuts: ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(", ")}`));
    },
  },
  {
    name: "Power: cut as a slot closes", group: "Power", seeds: 6, reducedSeeds: 2,
    description: "the first store write after a slot boundary (the slot going into the CIOF outbox) is cut by a power loss (torn, erased, written-then-cut by seed); seeds 1–3 at 10:30, the device's first slot and first outbox commit, seeds 4–6 at 11:00; the slot, held in RAM only, must still reach the terminal (as invalid if its energy is gone)",
    inject(ctx) {
      const mode = WRITE_MODES[(ctx.seed - 1) % WRITE_MODES.length]!;
      const boundary = ctx.seed <= 3 ? 30 * MINUTE : HOUR;
      ctx.at(boundary - 1000, "cut the next write", () => ctx.failWrites(1, mode));
      ctx.note(`mode ${mode} at ${ctx.seed <= 3 ? "10:30" : "11:00"}`);
    },
  },
  {
    name: "Power: stored state corrupt", group: "Power", seeds: 8,
    description: "a power cut at a random moment (10:30–14:10); while off, the stored keys of the VEN, control, metering and DR ledger — all of them, or one module's (by seed) — are overwritten with garbage, and one CIOF outbox meta copy",
    inject(ctx) {
      const at = 30 * MINUTE + Math.floor(ctx.rng() * (3 * HOUR + 40 * MINUTE));
      const only = [undefined, "ven", "dr", "mtr"][ctx.seed % 4];
      ctx.at(at, "corrupt", () => ctx.powerCut(5_000, () => {
        const touched = corrupt(ctx, (domain, key) => (domain === "ciof" ? key !== "cq_a" : only !== undefined && domain !== only), "corrupt");
        ctx.note(`corrupted ${only ?? "all"}: ${touched.length} keys`);
      }));
    },
    expect: { logs: [/corrupt|unreadable|damaged|invalid|discard|default/i] },
  },
  {
    name: "Power: cut as an event ends", group: "Power", seeds: 3, reducedSeeds: 2,
    description: "a power cut 70 s after DR-1's end, while its relays wait for their randomised restore (0–2 min): the DR participation, followed in RAM until its record closes, must still reach the terminal",
    inject(ctx) {
      ctx.at(2 * HOUR, "find DR-1's end", async () => {
        const events = (await ctx.call("events")) as Any[];
        const end = events?.find((e) => e.eventID === "DR-1")?.end;
        if (typeof end === "number") ctx.at(end - ctx.S + 70_000, "cut", () => ctx.powerCut(5_000));
      });
    },
  },
  {
    name: "Power: DR ledger lost after a record", group: "Power", seeds: 1,
    description: "at 13:00, after DR-1's record went to the terminal, a power cut; while off the DR ledger's keys are garbage (the CIOF outbox and its cursor intact): DR-3's record must still be traded",
    inject(ctx) {
      ctx.at(3 * HOUR, "corrupt the ledger", () => ctx.powerCut(5_000, () => { ctx.note(`corrupted ${corrupt(ctx, (domain) => domain !== "dr", "corrupt").length} ledger keys`); }));
    },
  },
  {
    name: "Power: stored state missing", group: "Power", seeds: 3,
    description: "a power cut while the CIOF queue is empty; while off, every stored key is erased (as after an NVS erase); the VEN registers again",
    inject(ctx) {
      const at = 30 * MINUTE + Math.floor(ctx.rng() * 2 * HOUR);
      let done = false;
      for (let t = at; t < at + HOUR; t += MINUTE) {
        ctx.at(t, "erase when idle", async () => {
          if (done) return;
          const st = await ctx.call("status");
          if (!st || st.ciof?.queued !== 0) return;
          done = true;
          await ctx.powerCut(5_000, () => {
            const touched = corrupt(ctx, () => false, "delete");
            ctx.note(`erased ${touched.length} keys`);
          });
        });
      }
    },
    expect: {
      custom: (r) => (r.vtn.received("oadrCreatePartyRegistration").length >= 2 ? [] : ["registration not redone after the store was erased"]),
    },
  },
  // ---------------------------------------------------------------- CIOF
  {
    name: "CIOF 401 for 2 h", group: "CIOF", seeds: 2,
    description: "10:20–12:20 the terminal refuses the authorization key (401) on every request",
    inject(ctx) { during(ctx, FROM, TO, "401", () => { ctx.terminal.down = 401 as unknown as TerminalFault; }, () => { ctx.terminal.down = null; }); },
    heal(ctx) { ctx.terminal.down = null; },
    expect: { logs: [/401/] },
  },
  {
    name: "CIOF 422 on trade data", group: "CIOF", seeds: 2,
    description: "two POST /messages answered 422 (the terminal refuses the data): dead-lettered with an error service record",
    inject(ctx) { ctx.at(FROM, "422", () => ctx.terminal.inject(422 as unknown as TerminalFault, 2, (r) => r.method === "POST" && r.path.includes("/messages"))); },
    expect: { logs: [/rejected trade data/] },
  },
  {
    name: "CIOF 400 on trade data", group: "CIOF", seeds: 2,
    description: "two POST /messages answered 400: dead-lettered with an error service record",
    inject(ctx) { ctx.at(FROM, "400", () => ctx.terminal.inject(400 as unknown as TerminalFault, 2, (r) => r.method === "POST" && r.path.includes("/messages"))); },
    expect: { logs: [/rejected trade data/] },
  },
  {
    name: "CIOF 502 for 3 h", group: "CIOF", seeds: 2,
    description: "10:20–13:20 every request answered 502 (launcher misconfigured)",
    inject(ctx) { during(ctx, FROM, 3 * HOUR + FROM, "502", () => { ctx.terminal.down = 502; }, () => { ctx.terminal.down = null; }); },
    heal(ctx) { ctx.terminal.down = null; },
    expect: { logs: [/unreachable|back/i] },
  },
  {
    name: "CIOF 503 for 3 h", group: "CIOF", seeds: 2,
    description: "10:20–13:20 every request answered 503 (terminal not running)",
    inject(ctx) { during(ctx, FROM, 3 * HOUR + FROM, "503", () => { ctx.terminal.down = 503; }, () => { ctx.terminal.down = null; }); },
    heal(ctx) { ctx.terminal.down = null; },
    expect: { logs: [/unreachable|back/i] },
  },
  {
    name: "CIOF timeouts", group: "CIOF", seeds: 3,
    description: "half the requests to the terminal get no answer (the client's own timeout acts)",
    inject(ctx) { share(ctx, "ciof", 0.5, () => ({ kind: "timeout" })); },
    expect: { logs: [/timeout|unreachable/i] },
  },
  {
    name: "CIOF garbage replies", group: "CIOF", seeds: 3,
    description: "30 % of the terminal's replies (after it acted on the request) replaced by HTML, cut JSON, JSON of the wrong shape, 100 KB of JSON (over the 32 KB reply limit) or bytes that are not UTF-8, with status 200",
    inject(ctx) {
      const handle = ctx.terminal.handle.bind(ctx.terminal);
      let on = false;
      ctx.terminal.handle = (req) => {
        const reply = handle(req);
        if (!on || reply.kind !== "reply" || ctx.rng() >= 0.3) return reply;
        const k = Math.floor(ctx.rng() * 5);
        const body = k === 0 ? "<html><body>502 Bad Gateway</body></html>" : k === 1 ? reply.body.slice(0, Math.floor(reply.body.length / 2)) || "{" : k === 2 ? JSON.stringify({ data: 1, items: "none" }) : k === 3 ? JSON.stringify({ pad: "x".repeat(100_000) }) : "\ud800\udfff\u0000\u00ff";
        return { kind: "reply", status: 200, body };
      };
      during(ctx, FROM, TO, "garbage", () => { on = true; }, () => { on = false; });
    },
    expect: { logs: [/ [EW] ciof /] },
  },
  {
    name: "CIOF reply lost after store", group: "CIOF", seeds: 3,
    description: "six POSTs stored by the terminal whose reply is lost (connection reset): the retry carries the same id",
    inject(ctx) { ctx.at(FROM, "lose replies", () => ctx.terminal.inject("lose-reply", 6, (r) => r.method === "POST")); },
    expect: { custom: (r) => (r.terminal.messages.some((m) => m.duplicate) || r.terminal.records.some((x) => x.duplicate) ? [] : ["no retry after a lost reply reached the terminal"]) },
  },
  // ---------------------------------------------------------------- Hardware
  {
    name: "Relay driver error", group: "Hardware", seeds: 2,
    description: "11:10–11:40 every write to relay1's pin throws: control goes fail-normal (loads on, signals ignored until restart)",
    inject(ctx) { during(ctx, HOUR + 10 * MINUTE, HOUR + 40 * MINUTE, "relay1 driver", () => ctx.call("failRelay", 26, true), () => ctx.call("failRelay", 26, false)); },
    expect: {
      eventsExecuted: false, controlMode: "failNormal", logs: [/relay write failed/, /fail-normal/],
      custom: (r) => [
        ...(vtnOnline(r).some((s) => !s.online && s.at > r.start + HOUR + 10 * MINUTE) ? [] : ["the VTN never received TELEMETRY_STATUS online=false after the relay fault"]),
        ...(terminalStatus(r, "service_implementations", "failure").length ? [] : ["the CIOF terminal never heard of the relay fault"]),
        ...(r.vtn.exchanges.some((x) => (x.eventResponses ?? []).some((e) => e.eventID === "DR-3" && e.optType === "optOut")) ? [] : ["DR-3 (after the fault) not opted out"]),
      ],
    },
  },
  {
    name: "CT stuck at a rail", group: "Hardware", seeds: 2,
    description: "10:20–12:20 the CT input sits at ground (bias network open): readings invalid, health fault",
    inject(ctx) { during(ctx, FROM, TO, "ct1 open", () => ctx.call("ctFault", "ct1", "open"), () => ctx.call("ctFault", "ct1", "none")); },
    expect: { logs: [/metering health status=fault/], custom: ctReported },
  },
  {
    name: "CT ADC frozen", group: "Hardware", seeds: 2,
    description: "10:20–12:20 the ADC returns one code: channel stuck, readings invalid",
    inject(ctx) { during(ctx, FROM, TO, "ct1 stuck", () => ctx.call("ctFault", "ct1", "stuck", 400), () => ctx.call("ctFault", "ct1", "none")); },
    expect: { logs: [/metering health status=fault/], custom: ctReported },
  },
  {
    name: "CT unplugged (bias kept)", group: "Hardware", seeds: 2,
    description: "10:20–12:20 the CT is unplugged while its bias stays: indistinguishable from no load (a documented limit): reads 0 A, stays valid",
    inject(ctx) { during(ctx, FROM, TO, "ct1 unplugged", () => ctx.call("ctFault", "ct1", "disconnected"), () => ctx.call("ctFault", "ct1", "none")); },
  },
];
