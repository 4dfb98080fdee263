// One fault run: main.ts on XS (host engine, virtual clock) against the VTN simulator (TLS with client
// certificates) and the CIOF terminal emulator on loopback, the workload (workload.ts) and one fault
// (catalog.ts) with one seed. It records what the peers received and what the relay pins did — with
// the pins' history kept across power cuts (a cut de-energises every coil: fail-normal wiring puts the
// loads on) — heals the fault, lets the firmware drain, and hands the records to checks.ts.
// Node only.
import { XsError, XsHost, type NetworkFault, type NetworkRequestInfo } from "../engine/index.ts";
import { CiofTerminal } from "../peers/ciof-terminal.ts";
import { makePki, type Pki } from "../peers/pki.ts";
import type { SimEvent } from "../peers/vtn/messages.ts";
import { VtnSimulator } from "../peers/vtn/server.ts";
import { deviceConfig, KEY, terminalContracts, terminalData, terminalServices } from "../ciof/site.ts";
import simBoard from "../../hardware/boards/sim";
import { seededRandom as seeded } from "../../hardware/sim/random.ts";
import { faultPki, type FaultPki } from "./pki-faults.ts";
import { EVENTS, FIRMWARE, MINUTE, reportRequests, simEvent, WORKLOAD_MS, workloadStart } from "./workload.ts";
import type { FaultDef, FaultContext, RunRecords, QueuedRecord } from "./types.ts";

export const ENTRY = "host-tests/faults/xs-faults.ts";
/** Longest drain after the workload: the firmware must reach its end state within this. */
const DRAIN_MAX_MS = 90 * MINUTE;
const STEP_MS = MINUTE;

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Pending { at: number; order: number; label: string; run: () => void | Promise<void> }


/** Stored keys and bytes per Preference domain (NVS entries cost 32 B plus the value in 32-byte spans). */
export function storage(xs: XsHost): Record<string, { keys: number; bytes: number; nvsBytes: number }> {
  const out: Record<string, { keys: number; bytes: number; nvsBytes: number }> = {};
  for (const domain of ["ven", "ctl", "mtr", "dr", "ciof", "config", "prov"]) {
    let bytes = 0, nvs = 0;
    const keys = xs.preferences.keys(domain);
    for (const key of keys) {
      const e = xs.preferences.read(domain, key);
      const n = e?.type === "string" ? Buffer.byteLength(e.value as string) + 1 : e?.type === "buffer" ? (e.value as Uint8Array).length : 4;
      bytes += n;
      nvs += 32 * (1 + Math.ceil(n / 32));
    }
    if (keys.length) out[domain] = { keys: keys.length, bytes, nvsBytes: nvs };
  }
  return out;
}

export interface RunOptions {
  /** Firmware log lines as they come (debugging). */
  onLog?: (line: string) => void;
  /** Start S (true time); default workloadStart(). */
  start?: number;
}

export async function runFault(def: FaultDef, seed: number, options: RunOptions = {}): Promise<RunRecords> {
  const wall0 = performance.now();
  const S = options.start ?? workloadStart();
  const rng = seeded(seed * 7919 + def.name.length);
  const pki: Pki = makePki();
  const fpki: FaultPki = faultPki(pki);
  let skew = def.clock?.skewMs ?? 0; // device wall clock − true time
  let xs: XsHost | undefined;
  // true time never jumps; while the device clock is not valid it counts from boot, so keep our own
  let trueBase = S;
  let ticksBase = 0;
  const truth = () => (xs ? trueBase + (xs.ticks - ticksBase) : S);

  const records: RunRecords = {
    fault: def.name, seed, start: S, end: S + WORKLOAD_MS, drainedAt: undefined,
    relayWrites: [], boots: [], cuts: [], skews: [{ at: S, skew: def.clock?.skewMs ?? 0 }], queued: [], log: [], notes: [], injections: [],
    eventVersions: [], finalStatus: null, finalVen: null, finalEvents: [], finalControl: null,
    xsErrors: [], aborted: undefined, wallSeconds: 0, vtn: undefined as unknown as VtnSimulator, terminal: undefined as unknown as CiofTerminal,
  };

  const vtn = await VtnSimulator.start({ pki, clock: truth, pollFreq: 2 * MINUTE, validation: "off", reportRequests: (metadata) => reportRequests(metadata) });
  const terminal = new CiofTerminal({ authorizationKey: KEY, services: terminalServices(), data: terminalData(), contracts: terminalContracts(), now: truth });
  const ciofPort = (await terminal.listen()).port;
  records.vtn = vtn;
  records.terminal = terminal;


  // ---- what the firmware prints: log lines, and the "#F" observations of xs-faults.ts ----
  let booting = false;
  const onPrint = (line: string) => {
    if (line.startsWith("#F ")) {
      const space = line.indexOf(" ", 3);
      const kind = line.slice(3, space);
      const value = JSON.parse(line.slice(space + 1));
      if (kind === "relay") {
        const relay = simBoard.relays.find((r) => r.pin === value.pin);
        if (!relay) return;
        const energized = relay.activeLow ? value.level === 0 : value.level !== 0;
        const on = energized !== (relay.loadWhenDeenergized === "on");
        const at = truth() - ((xs?.ticks ?? value.ticks) - value.ticks);
        records.relayWrites.push({ relay: relay.id, on, at, cause: booting ? "boot" : "control" });
      } else if (kind === "queued") {
        for (const q of value as QueuedRecord[]) records.queued.push({ ...q, at: truth() });
      }
      return;
    }
    records.log.push(line);
    options.onLog?.(line);
  };

  const pending: Pending[] = [];
  let order = 0;
  const schedule = (at: number, label: string, run: Pending["run"]) => pending.push({ at, order: order++, label, run });
  const note = (text: string) => { if (!records.notes.includes(text)) records.notes.push(text); };

  // ---- network faults: one decision per request, by peer ----
  type Decide = (info: NetworkRequestInfo, peer: "vtn" | "ciof") => NetworkFault | undefined;
  const deciders: Decide[] = [];

  const boot = async () => {
    booting = true;
    try {
      const ok = await xs!.call<boolean>("boot");
      records.boots.push({ at: truth(), ok });
      if (!ok) note("boot refused: the firmware did not start");
    } finally {
      booting = false;
    }
  };

  /** Power is back after a cut: new worker on the same store, the clock goes on. */
  const restart = async (offMs: number, whileOff?: () => void) => {
    const ticksAtCut = xs!.ticks;
    const cutAt = trueBase + (ticksAtCut - ticksBase);
    records.cuts.push({ at: cutAt, offMs });
    // the coils lose power with the controller: every load goes on (fail-normal wiring)
    for (const r of simBoard.relays) records.relayWrites.push({ relay: r.id, on: r.loadWhenDeenergized === "on", at: cutAt, cause: "powerloss" });
    whileOff?.();
    await xs!.restart({ offMs });
    trueBase = cutAt + offMs;
    ticksBase = xs!.ticks;
    await boot();
  };

  /** Runs `f`; a power loss injected by the store model (a write cut short) reboots the device. */
  const guard = async <T>(f: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await f();
    } catch (error) {
      if (error instanceof XsError && error.code === "powerloss") {
        await restart(Math.round(1000 + rng() * 9000));
        return undefined;
      }
      throw error;
    }
  };

  const ctx: FaultContext = {
    get xs() { return xs!; },
    vtn, terminal, pki, faultPki: fpki, rng, seed, S,
    get now() { return truth(); },
    at(offset, label, run) { schedule(S + offset, label, run); },
    note,
    inject(label, decide) {
      records.injections.push(label);
      deciders.push(decide);
      return () => { const i = deciders.indexOf(decide); if (i >= 0) deciders.splice(i, 1); };
    },
    async powerCut(offMs, whileOff) {
      xs!.powerLoss();
      await restart(offMs, whileOff);
    },
    failWrites(n, mode) { xs!.preferences.failWrite(n, mode); },
    async setDeviceClock(trueOffsetMs, valid = true) {
      // the device clock becomes true time + offset (a correction to 0 sets it right)
      skew = trueOffsetMs;
      records.skews.push({ at: truth(), skew });
      await xs!.setClock(truth() + trueOffsetMs, { valid });
    },
    async call(name, ...args) { return await guard(() => xs!.call(name, ...args)); },
  };

  try {
    await def.setup?.(ctx);
    const config: Record<string, unknown> = {
      ...structuredClone(FIRMWARE), ciof: deviceConfig(),
      vtnURL: vtn.url, ciofURL: `http://127.0.0.1:${ciofPort}`, ciofKey: KEY,
      ...(typeof def.firmware === "function" ? def.firmware(ctx) : def.firmware ?? {}),
    };
    xs = await XsHost.start({
      entry: ENTRY, heap: "host", clock: { start: S + skew, valid: def.clock?.valid ?? true }, random: { seed },
      config, resources: { "vtn-ca.der": pki.ca.certDer, "ven-cert.der": pki.vens["ven-1"]!.certDer, "ven-key.der": pki.vens["ven-1"]!.keyDer },
      onPrint,
    });
    ticksBase = xs.ticks;
    xs.network.deviceClockCertificates = true;
    xs.network.inject((info) => {
      const peer = info.port === vtn.port ? "vtn" : info.port === ciofPort ? "ciof" : undefined;
      if (!peer) return undefined;
      for (const d of deciders) {
        const fault = d(info, peer);
        if (fault) return fault;
      }
      return undefined;
    });
    await boot();

    // ---- the workload's VTN actions ----
    for (const e of EVENTS) {
      schedule(S + e.at, `${e.kind} ${e.eventID}`, () => {
        const venID = vtn.vens.size ? vtn.ven().venID : undefined;
        let ev: SimEvent;
        if (e.kind === "cancel") ev = vtn.cancelEvent(e.eventID);
        else {
          ev = simEvent(S, e, venID, truth(), e.kind === "modify" ? vtn.events.get(e.eventID) : undefined);
          vtn.putEvent(ev);
        }
        records.eventVersions.push({ at: truth(), kind: e.kind, event: structuredClone(vtn.events.get(e.eventID)!) });
        if (vtn.vens.size) vtn.distribute();
      });
    }
    def.inject(ctx);

    // ---- the loop: actions at their true times, one simulated minute at a time ----
    const end = S + WORKLOAD_MS;
    let nextStorage = truth();
    for (;;) {
      if (truth() >= nextStorage) {
        nextStorage = truth() + 10 * MINUTE;
        const total = Object.values(storage(xs)).reduce((n, d) => n + d.nvsBytes, 0);
        records.storagePeak = Math.max(records.storagePeak ?? 0, total);
      }
      pending.sort((a, b) => a.at - b.at || a.order - b.order);
      while (pending.length && pending[0].at <= truth()) {
        const p = pending.shift()!;
        await guard(async () => { await p.run(); });
      }
      if (truth() >= end) break;
      const target = Math.min(end, pending.length ? pending[0].at : Infinity, truth() + STEP_MS);
      await guard(() => xs!.advance(Math.max(0, target - truth())));
    }

    // ---- heal: no fault left; the firmware must reach its end state on its own ----
    deciders.length = 0;
    xs.preferences.clearFaults();
    await def.heal?.(ctx);
    const drainEnd = truth() + DRAIN_MAX_MS;
    let calm = 0;
    while (truth() < drainEnd) {
      await guard(() => xs!.advance(STEP_MS));
      const st = await guard(() => xs!.call<Any>("status"));
      const ven = await guard(() => xs!.call<Any>("venStatus"));
      const settled = st && ven?.state === "registered" && (st.ciof === undefined || (st.ciof.queued === 0 && st.ciof.link === "idle")) &&
        st.control.relays.every((r: Any) => r.loadOn) && st.signals.length === 0;
      calm = settled ? calm + 1 : 0;
      if (calm >= 3) { records.drainedAt = truth(); break; }
    }
    records.end = truth();
    records.finalStatus = await xs.call("status");
    records.finalVen = await xs.call("venStatus");
    records.finalEvents = await xs.call("events");
    records.finalControl = await xs.call("control");
    records.storage = storage(xs);
  } catch (error) {
    const e = error as { code?: string; message?: string };
    records.aborted = `${e.code ?? "error"}: ${e.message ?? String(error)}`;
  } finally {
    records.xsErrors = xs ? xs.errors.slice() : [];
    records.wallSeconds = (performance.now() - wall0) / 1000;
    await xs?.close();
    await vtn.close();
    await terminal.close();
  }
  return records;
}
