// The firmware as one object: configuration → options objects → instances, from injected platform
// pieces (clock, timers, storage, HTTP transports, the OpenADR codec, the log) and the target the
// manifest chose (board definition, ECMA-419 io classes, network bring-up). main.ts builds it on the
// device and in mcsim; the host tests and `npm run sim` run that same main.ts on XS. Wiring only: each
// behaviour lives in its module (openadr/ven, control/relay-controller, metering/metering,
// ciof/controller, app/dr-ledger, app/status-led).
//
// Data paths (ARCHITECTURE.md): VEN signals → RelayController → relay drivers; CT pins → burst sampler →
// Metering → VEN reports (TELEMETRY_USAGE kW/kVA, HISTORY_USAGE kWh per 30 min) and CIOF energy slots;
// control + VEN + metering → DR ledger → CIOF DR records; health → status LED, VEN status, CIOF statuses.
// The button opts out (control.override → VEN EiOpt) for `control.override` seconds; a long press ends it.
// Leaves out: reading configuration sources (main.ts), the choice of board (the manifest).

import type { BoardDefinition } from "../../hardware/board";
import { assertBoard } from "../../hardware/board-check";
import { AnalogInput } from "../../hardware/drivers/analog-input";
import { BurstSampler } from "../../hardware/drivers/burst-sampler";
import { Button } from "../../hardware/drivers/button";
import type { AnalogIo, DigitalIo } from "../../hardware/drivers/io";
import { Led } from "../../hardware/drivers/led";
import { Relay } from "../../hardware/drivers/relay";
import { CiofController, type CiofStatus } from "../ciof/controller";
import type { DeviceHealth, EnergySlot, SlotSource } from "../ciof/types";
import { API_BASE } from "../ciof/wire";
import { RelayController, type ControlStatus, type RelayChannel } from "../control/relay-controller";
import { Metering, type MeteringHealth } from "../metering/metering";
import type { MeterReading } from "../metering/types";
import { parseVtnURL, Ven, type VenStatus, type VenTls } from "../openadr/ven";
import type { SignatureCrypto } from "../platform/crypto";
import type { Wire } from "../openadr/wire";
import type { Clock, HttpTransport, Log, Random, Scheduler, Store } from "../platform/types";
import { describeConfig, type AppConfig } from "./config";
import { DrLedger } from "./dr-ledger";
import { StatusLed, type LedState } from "./status-led";

/** What the platform the firmware runs on provides (hardware/target/*: one per platform, chosen by the manifest). */
export interface Target {
  readonly name: string;
  readonly board: BoardDefinition;
  /** ECMA-419 `embedded:io/digital` and `embedded:io/analog` (or simulated pins with their shape). */
  readonly digital: DigitalIo;
  readonly analog: AnalogIo;
  /** Monotonic ms, fractional where the platform can: paces the burst sampler. */
  readonly sampleClock: () => number;
  /** Brings up the network and the wall clock (Wi-Fi and SNTP on the device; nothing where it is up). */
  network(options: NetworkOptions): void;
}

export interface NetworkOptions {
  readonly ssid: string;
  readonly password: string;
  readonly sntp: string;
  readonly log: Log;
  /** Link up or down. */
  readonly onOnline: (up: boolean) => void;
  /** The wall clock was set (SNTP). */
  readonly onTime: () => void;
}

export interface TransportOptions {
  host: string;
  port: number;
  secure: boolean;
  tls?: VenTls;
  timeoutMs?: number;
}

export interface FirmwarePlatform {
  readonly clock: Clock & { markValid?(valid?: boolean): void };
  readonly scheduler: Scheduler;
  readonly random: Random;
  readonly log: Log;
  /** A Store over one storage domain (≤ 15 characters). */
  readonly store: (domain: string) => Store;
  /** An HTTP(S) transport to one origin (VTN with TLS; CIOF terminal). */
  readonly transport: (options: TransportOptions) => HttpTransport;
  /** The OpenADR codec. */
  readonly wire: Wire;
  /** The VEN's TLS identity (DER), when the VTN URL is https. */
  readonly tls: VenTls | undefined;
  /** Crypto for XML signatures; required when config.signMessages or config.verifySignature is set. */
  readonly crypto?: SignatureCrypto;
}

export interface FirmwareOptions {
  readonly config: AppConfig;
  readonly platform: FirmwarePlatform;
  readonly target: Target;
}

export interface FirmwareStatus {
  readonly at: number;
  readonly clockValid: boolean;
  readonly ven: { readonly state: string; readonly venID?: string; readonly events: number; readonly failures: number; readonly lastError?: string };
  readonly events: readonly { readonly id: string; readonly modificationNumber: number; readonly status: string }[];
  readonly signals: readonly { readonly eventID: string; readonly signalName: string; readonly value: number; readonly phase: string; readonly opt: string }[];
  readonly control: { readonly mode: string; readonly override: boolean; readonly relays: readonly { readonly id: string; readonly loadOn: boolean; readonly shed: boolean; readonly eventID?: string }[] };
  readonly meter: { readonly kw: number; readonly valid: boolean; readonly energyWh: number; readonly health: string; readonly windows: number };
  readonly reports: { readonly requests: number; readonly buffered: number; readonly dropped: number };
  readonly ciof: { readonly state: string; readonly queued: number; readonly delivered: number; readonly lost: number; readonly deadLetters: number; readonly link: string; readonly contracts: number } | undefined;
  readonly ledger: { readonly open: number };
  readonly led: string;
}

const SITE = "site";

export class Firmware {
  readonly config: AppConfig;
  readonly target: Target;
  readonly ven: Ven;
  readonly control: RelayController;
  readonly metering: Metering;
  readonly ledger: DrLedger;
  readonly ciof: CiofController | undefined;
  readonly led: StatusLed | undefined;
  readonly relays: readonly Relay[];
  readonly button: Button | undefined;
  #platform: FirmwarePlatform;
  #log: Log;
  #venStatus: VenStatus | undefined;
  #controlStatus: ControlStatus | undefined;
  #health = "";
  #started = false;
  #closed = false;
  #producePending = false;

  constructor(options: FirmwareOptions) {
    const { config, platform, target } = options;
    if (!config || !platform || !target) throw new TypeError("Firmware: config, platform and target are required");
    const { clock, scheduler, random, log } = platform;
    const board = target.board;
    for (const w of assertBoard(board)) log("warn", "board", w.message, { path: w.path });
    if (config.board !== "" && config.board !== board.name) log("warn", "board", "config names another board than the build's target", { config: config.board, target: board.name });
    this.config = config;
    this.target = target;
    this.#platform = platform;
    this.#log = log;
    const offsetMinutes = config.timezone / 60;

    // ---- relays and control (constructed first: the drivers force the de-energised level) ----
    const relays = board.relays.map((r) => new Relay({ output: { io: target.digital, pin: r.pin }, activeLow: r.activeLow, loadWhenDeenergized: r.loadWhenDeenergized }));
    this.relays = relays;

    // ---- metering ----
    const analogPins = board.ct.map((c) => c.pin);
    if (board.voltage) analogPins.push(board.voltage.pin);
    const inputs = analogPins.map((pin) => new AnalogInput({ sensor: { io: target.analog, pin }, resolution: board.adc.resolution }));
    const sampler = new BurstSampler({ inputs, now: target.sampleClock, sampleRate: board.sampling.sampleRate, windowMs: board.sampling.windowMs });
    const estimated = !board.voltage;
    this.metering = new Metering({
      clock, scheduler, log, store: platform.store("mtr"), source: sampler,
      adc: board.adc, ct: board.ct, voltage: board.voltage, nominalVolts: board.mains.nominalVolts, frequencyHz: board.mains.frequencyHz,
      windowCapacity: sampler.capacity, intervalMs: config.meteringInterval, utcOffsetMinutes: offsetMinutes,
      onReading: (reading) => this.#onReading(reading),
      onSlot: () => this.#produceSoon(),
      onHealth: (health) => this.#onHealth(health),
    });

    // ---- VEN ----
    const tls = platform.tls ? { ...platform.tls, ...(config.vtnFingerprint ? { vtnFingerprint: config.vtnFingerprint } : {}) } : undefined;
    this.ven = new Ven({
      vtnURL: config.vtnURL, venName: config.venName, development: config.development, pollInterval: config.pollInterval * 1000,
      ...(tls ? { tls } : {}),
      store: platform.store("ven"), clock, scheduler, random, log, wire: platform.wire,
      transport: (o) => platform.transport(o),
      utcOffsetMinutes: offsetMinutes, reportBufferRows: config.reportBufferRows, maxRowsPerReport: config.maxRowsPerReport,
      onEvent: () => (this.#controlStatus?.mode === "failNormal" ? "optOut" : "optIn"),
      online: () => this.#controlStatus?.health !== "fault",
      onStatus: (status) => this.#onVenStatus(status),
      ...(config.signMessages && tls ? { signing: { certificate: tls.certificate, key: tls.key } } : {}),
      ...(config.verifySignature ? { validateSignatures: true } : {}),
      ...(platform.crypto ? { crypto: platform.crypto } : {}),
    });
    const metering = this.metering;
    this.ven.addReport({
      reportName: "TELEMETRY_USAGE", resourceId: SITE, rID: "site:power",
      measurement: estimated ? "powerApparent" : "powerReal", unit: estimated ? "VA" : "W", scale: "k",
      samplingRate: config.telemetryInterval, readingType: estimated ? "Estimated" : "Direct Read",
      powerAttributes: { hertz: board.mains.frequencyHz, voltage: board.mains.nominalVolts, ac: true },
      read: () => {
        const r = metering.reading;
        if (!r.valid || metering.windows === 0) return undefined;
        return round3((estimated ? r.voltAmps : r.watts) / 1000);
      },
    });
    this.ven.addReport({
      reportName: "HISTORY_USAGE", resourceId: SITE, rID: "site:energy",
      measurement: estimated ? "energyApparent" : "energyReal", scale: "k", readingType: estimated ? "Estimated" : "Direct Read",
      read: () => round3(metering.energyWh / 1000),
    });

    // ---- control ----
    const channels: RelayChannel[] = board.relays.map((r, i) => {
      const c = config.control.relays[r.id];
      const channel: { -readonly [K in keyof RelayChannel]: RelayChannel[K] } = {
        id: r.id, output: relays[i], initialLoadOn: relays[i].read(), resourceID: r.resourceID, rules: c?.rules ?? [],
      };
      if (c?.minOn !== undefined) channel.minOnMs = c.minOn * 1000;
      if (c?.minOff !== undefined) channel.minOffMs = c.minOff * 1000;
      if (c?.maxShed !== undefined) channel.maxShedMs = c.maxShed * 1000;
      if (c?.shedLockout !== undefined) channel.shedLockoutMs = c.shedLockout * 1000;
      if (c?.restoreRandom !== undefined) channel.restoreRandomMs = c.restoreRandom * 1000;
      if (c?.shedRandom !== undefined) channel.shedRandomMs = c.shedRandom * 1000;
      return channel;
    });
    this.control = new RelayController({
      clock, scheduler, random, log, signals: this.ven.signals, override: this.ven, relays: channels, store: platform.store("ctl"),
      bootDelayMinMs: config.control.bootDelayMin * 1000, bootDelayMaxMs: config.control.bootDelayMax * 1000,
      restoreSpacingMs: config.control.restoreSpacing * 1000, overrideMs: config.control.override * 1000,
      onStatus: (status) => this.#onControlStatus(status),
    });

    // ---- DR ledger ----
    this.ledger = new DrLedger({ clock, log, store: platform.store("dr"), signals: this.ven.signals, onRecord: () => this.#produceSoon() });

    // ---- CIOF controller (only when the site has one) ----
    if (config.ciofURL !== "" && config.ciofKey !== "" && config.ciof) {
      let transport: HttpTransport | undefined;
      try {
        const url = parseVtnURL(config.ciofURL);
        transport = platform.transport({ host: url.host, port: url.port, secure: url.secure, ...(url.secure && platform.tls ? { tls: platform.tls } : {}) });
        const slots: SlotSource = { slotsAfter: (after, limit) => energySlots(metering, after, limit, offsetMinutes) };
        this.ciof = new CiofController({
          transport, authorizationKey: config.ciofKey, store: platform.store("ciof"), clock, scheduler, random, log,
          deviceId: config.deviceId, config: config.ciof, pollingRateSeconds: config.ciofPollingRate, offsetMinutes,
          slots, dr: this.ledger, health: { health: () => this.#deviceHealth() },
          http: url.base !== "" ? { basePath: url.base + API_BASE } : undefined,
          onStatus: (status: CiofStatus) => this.#onCiofStatus(status),
        });
      } catch (error) {
        // Trade data is independent of demand response: a CIOF configuration the controller refuses
        // turns the controller off, not the device.
        transport?.close();
        log("error", "ciof", "CIOF controller not started: configuration refused (VEN, control and metering run)", { error: String((error as Error)?.message ?? error) });
      }
    } else {
      log("info", "ciof", "no CIOF terminal configured (ciofURL, ciofKey and ciof device config): controller off");
    }

    // ---- button and status LED ----
    const b = board.button;
    this.button = b ? new Button({
      input: { io: target.digital, pin: b.pin }, pull: b.pull, activeLevel: b.activeLevel, ticks: () => clock.ticks(),
      onPress: () => this.control.override(),
      onLongPress: () => this.control.cancelOverride(),
    }) : undefined;
    const l = board.statusLed;
    this.led = l ? new StatusLed({ output: new Led({ output: { io: target.digital, pin: l.pin }, activeLow: l.activeLow }), scheduler }) : undefined;
    this.led?.set("offline");
  }

  /** A closed energy slot or DR record reaches the CIOF controller from a promise job of its own, not at
   *  the bottom of the metering callback that closed it (timer → metering → ledger → CIOF → outbox →
   *  storage was the deepest stack path of the firmware, over the ESP32's 512 slots on the host engine).
   *  Same instant, one produce for a slot boundary that closes both. */
  #produceSoon(): void {
    if (this.#producePending || !this.ciof) return;
    this.#producePending = true;
    Promise.resolve().then(() => {
      this.#producePending = false;
      this.ciof?.produce();
    });
  }

  /** Starts every part: control takes the relays over (after its boot delay), metering samples, the
   *  network comes up, the VEN registers and polls, the CIOF controller reports ready. Idempotent. */
  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    const { clock, log } = this.#platform;
    log("info", "app", "starting", { target: this.target.name, ...describeConfig(this.config) });
    this.control.start();
    this.metering.start();
    this.target.network({
      ssid: this.config.ssid, password: this.config.password, sntp: this.config.sntp, log,
      onOnline: (up) => log("info", "app", up ? "network up" : "network down"),
      onTime: () => {
        clock.markValid?.(true);
        this.control.clockChanged();
      },
    });
    this.ven.start();
    this.ciof?.start();
  }

  /** Orderly stop: the VEN stops polling, the CIOF controller reports "stopped", metering persists
   *  its counter; relays keep their state (fail-normal wiring covers a dead controller). */
  async stop(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.ven.stop();
    this.control.close();
    this.metering.close();
    this.led?.close();
    if (this.ciof) await this.ciof.stop();
  }

  /** Everything at a glance (status line, diagnostics). */
  status(): FirmwareStatus {
    const now = this.#platform.clock.now();
    const venStatus = this.ven.status;
    const control = this.control.status();
    const reading = this.metering.reading;
    const ciof = this.ciof?.status;
    const stats = this.ven.stats.reports;
    let signals: FirmwareStatus["signals"] = [];
    try {
      signals = this.ven.signals.active(now).map((s) => ({ eventID: s.eventID, signalName: s.signalName, value: s.value, phase: s.phase, opt: s.opt }));
    } catch {
      signals = [];
    }
    return {
      at: now, clockValid: this.#platform.clock.valid,
      ven: { state: venStatus.state, venID: venStatus.venID, events: venStatus.events, failures: venStatus.failures, lastError: venStatus.lastError ? String((venStatus.lastError as { code?: unknown }).code ?? "error") : undefined },
      events: this.ven.events().map((e) => ({ id: e.eventID, modificationNumber: e.modificationNumber, status: e.status })),
      signals,
      control: { mode: control.mode, override: control.override.active, relays: control.relays.map((r) => ({ id: r.id, loadOn: r.loadOn, shed: r.shed, eventID: r.eventID })) },
      meter: { kw: round3((reading.estimated ? reading.voltAmps : reading.watts) / 1000), valid: reading.valid, energyWh: Math.round(this.metering.energyWh), health: this.metering.health.status, windows: this.metering.windows },
      reports: { requests: stats.requests, buffered: stats.buffered, dropped: stats.dropped },
      ciof: ciof ? { state: ciof.state, queued: ciof.outbox.queued, delivered: ciof.outbox.delivered, lost: ciof.outbox.lost, deadLetters: ciof.outbox.deadLetters, link: ciof.outbox.link, contracts: ciof.contractsInForce } : undefined,
      ledger: { open: this.ledger.open },
      led: this.led?.state ?? "none",
    };
  }

  // ---- status fan-out ----------------------------------------------------------------------------

  #onReading(reading: MeterReading): void {
    const clock = this.#platform.clock;
    if (!clock.valid) return;
    this.ledger.reading((reading.estimated ? reading.voltAmps : reading.watts) / 1000, clock.now());
  }

  #onHealth(health: MeteringHealth): void {
    if (health.status !== "ok" && health.status !== "starting") this.#log("warn", "app", "metering health", { status: health.status });
    this.#healthChanged();
  }

  #onVenStatus(status: VenStatus): void {
    this.#venStatus = status;
    this.#healthChanged();
  }

  #onControlStatus(status: ControlStatus): void {
    this.#controlStatus = status;
    this.ledger.relays(status);
    this.#healthChanged();
  }

  #onCiofStatus(status: CiofStatus): void {
    if (status.state === "mismatch" || status.state === "unauthorized") this.#log("warn", "app", "CIOF controller needs attention", { state: status.state, problems: status.problems.length });
  }

  #deviceHealth(): DeviceHealth {
    const control = this.#controlStatus;
    const meter = this.metering.health.status;
    return {
      relayFault: control?.health === "fault",
      ctFault: meter === "fault" || meter === "degraded",
      vtnReachable: (this.#venStatus?.state ?? this.ven.status.state) === "registered",
    };
  }

  #healthChanged(): void {
    const h = this.#deviceHealth();
    const control = this.#controlStatus;
    let led: LedState = "ok";
    if (h.relayFault || h.ctFault) led = "fault";
    else if (control?.override.active) led = "override";
    else if (!h.vtnReachable) led = "offline";
    else if (control?.relays.some((r) => r.shed)) led = "shedding";
    this.led?.set(led);
    const key = `${h.relayFault}${h.ctFault}${h.vtnReachable}`;
    if (key !== this.#health) {
      this.#health = key;
      this.ciof?.healthChanged();
    }
  }
}

/** Closed 30-minute slots from metering as the CIOF controller takes them. */
function energySlots(metering: Metering, after: number | undefined, limit: number, offsetMinutes: number): EnergySlot[] {
  const out: EnergySlot[] = [];
  // Slots after `after` that metering no longer holds (its history is RAM: a slot that closed just
  // before a power cut, or while the device was off) go out as invalid, no energy known, so the terminal
  // gets every slot once instead of a silent gap (at most GAP_SLOTS_MAX of them).
  let next = after === undefined ? undefined : after + SLOT_MS;
  const held = metering.closedCount;
  for (let k = 0; k < held; k++) {
    if (after !== undefined && metering.closedStart(k) <= after) continue; // no record made for those
    const s = metering.closed(k);
    if (next !== undefined && s.start > next && s.start - next <= GAP_SLOTS_MAX * SLOT_MS) {
      for (let t = next; t < s.start && out.length < limit; t += SLOT_MS) out.push({ start: t, offsetMinutes, wh: 0, avgKw: 0, peakKw: 0, estimated: s.estimated, valid: false });
    }
    if (out.length >= limit) break;
    out.push({ start: s.start, offsetMinutes, wh: round3(s.wh), avgKw: round3(s.averageKw), peakKw: round3(s.peakKw), estimated: s.estimated, valid: s.valid });
    next = s.start + SLOT_MS;
  }
  return out;
}

const SLOT_MS = 30 * 60_000;
/** Longest run of missing slots handed to CIOF as invalid placeholders (two days). */
const GAP_SLOTS_MAX = 96;

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
