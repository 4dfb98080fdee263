// XS-side control scenarios: the RelayController driving the real Relay drivers over in-XS pins, with a
// scripted SignalView, an OverrideSink that records calls, virtual time, reboots (new machine: drivers
// rebuilt, the relays drop to their de-energised level, ticks restart), clock corrections and injected
// faults. Every physical load change is recorded at true time from the pin writes, so the Node side
// can check the safety rules independently of the controller's own bookkeeping. Not firmware.

import { RelayController, type ControlStatus, type RelayChannel } from "../../modules/control/relay-controller";
import { dispatchSetpointBelow, priceAbove, SIMPLE_LEVEL_1, type ShedRule } from "../../modules/control/rules";
import type { ActiveSignal, OverrideSink, SignalView } from "../../modules/control/signals";
import { Button } from "../../hardware/drivers/button";
import { Relay } from "../../hardware/drivers/relay";
import { LocalPins } from "../../hardware/sim/pins";
import { seededRandom } from "../../hardware/sim/random";
import { MemoryStore, memoryLog, VirtualTime, type LogLine } from "../hardware/support/virtual-time";

const WALL = Date.UTC(2026, 10, 22, 0, 0, 0);

export interface EventSpec {
  /** Start relative to the wall clock when added, ms. */
  startIn: number;
  durationMs: number; // Infinity not JSON: use -1 for open-ended
  signalName?: string;
  signalType?: string;
  value: number;
  priority?: number;
  /** Resource targeted ("" or absent = whole VEN). */
  resource?: string;
  test?: boolean;
  opt?: "optIn" | "optOut";
}

interface StoredEvent extends EventSpec { id: string; start: number; end: number; seq: number; cancelled: boolean }

class ScriptedSignals implements SignalView {
  events: StoredEvent[] = [];
  listeners: (() => void)[] = [];
  throwNext = false;
  #seq = 0;

  add(spec: EventSpec, now: number): StoredEvent {
    const seq = ++this.#seq;
    const start = now + spec.startIn;
    const e: StoredEvent = { ...spec, id: `ev${seq}`, start, end: spec.durationMs < 0 ? Infinity : start + spec.durationMs, seq, cancelled: false };
    this.events.push(e);
    return e;
  }

  active(now: number): readonly ActiveSignal[] {
    if (this.throwNext) {
      this.throwNext = false;
      throw new Error("event store corrupt (injected)");
    }
    const live = this.events.filter((e) => !e.cancelled && e.start <= now && now < e.end);
    // lower priority number wins; 0 = lowest; ties: first activated
    const rank = (p: number | undefined) => (p === undefined || p === 0 ? Number.MAX_SAFE_INTEGER : p);
    live.sort((a, b) => rank(a.priority) - rank(b.priority) || a.start - b.start || a.seq - b.seq);
    return live.map((e) => ({
      eventID: e.id, modificationNumber: 0, signalName: e.signalName ?? "SIMPLE", signalType: e.signalType ?? "level",
      signalID: "s1", value: e.value, priority: e.priority ?? 0, test: e.test ?? false, phase: "active",
      start: e.start, end: e.end, opt: e.opt ?? "optIn", resourceIDs: e.resource ? [e.resource] : [],
    }));
  }

  nextChange(now: number): number | undefined {
    let next: number | undefined;
    for (const e of this.events) {
      if (e.cancelled) continue;
      for (const t of [e.start, e.end]) if (t > now && t !== Infinity && (next === undefined || t < next)) next = t;
    }
    return next;
  }

  onChange(listener: () => void): void { this.listeners.push(listener); }
  changed(): void { for (const l of this.listeners) l(); }
}

export interface RelaySpec {
  /** "on" = fail-normal wiring (NC), "off" = NO. */
  wiring: "on" | "off";
  activeLow?: boolean;
  minOnMs: number;
  minOffMs: number;
  maxShedMs: number;
  shedLockoutMs?: number;
  restoreRandomMs?: number;
  shedRandomMs?: number;
  rules?: ShedRule[];
  resource?: string;
}

export interface ControllerSpec {
  relays: RelaySpec[];
  bootDelayMinMs: number;
  bootDelayMaxMs: number;
  restoreSpacingMs: number;
  overrideMs: number;
  retryMs?: number;
  seed: number;
}

export type Command =
  | { op: "event"; event: EventSpec }
  | { op: "cancel"; index: number }
  | { op: "advance"; ms: number }
  | { op: "press" }
  | { op: "cancelOverride" }
  | { op: "reboot"; offMs: number }
  | { op: "clock"; jumpMs: number }
  | { op: "relayFault"; relay: number }
  | { op: "signalsThrow" }
  | { op: "fatal" }
  | { op: "status" };

export interface Transition { t: number; relay: number; on: boolean; cause: "controller" | "reboot" }

const RELAY_PINS = [26, 27, 25, 33];

/** A site with N relays under the controller; commands drive it. */
class Site {
  readonly time = new VirtualTime(WALL);
  readonly store = new MemoryStore();
  readonly signals = new ScriptedSignals();
  readonly lines: LogLine[] = [];
  readonly transitions: Transition[] = [];
  readonly boots: number[] = [];
  /** Power-down instants (true ms), one per reboot. */
  readonly downs: number[] = [];
  readonly optOuts: { t: number; until: number; wall: number; reason: string }[] = [];
  readonly optCancels: number[] = [];
  readonly fatal: number[] = [];
  readonly statuses: ControlStatus[] = [];
  readonly physical: boolean[];
  pins!: LocalPins;
  controller!: RelayController;
  relays: Relay[] = [];
  faults: boolean[];
  button: Button | undefined;
  #random: () => number;
  #log = memoryLog(this.lines);

  constructor(readonly spec: ControllerSpec, readonly withButton = false) {
    this.physical = spec.relays.map((r) => r.wiring === "on");
    this.faults = spec.relays.map(() => false);
    this.#random = seededRandom(spec.seed);
    this.boot();
  }

  boot(): void {
    const time = this.time;
    this.boots.push(time.elapsed);
    this.pins = new LocalPins({ defer: (f) => { time.set(f, 0); }, ticks: () => time.ticks() });
    const spec = this.spec;
    this.relays = spec.relays.map((r, i) => {
      const pin = RELAY_PINS[i];
      const activeLow = r.activeLow ?? true;
      this.pins.onDigitalWrite(pin, (level) => {
        const energized = activeLow ? level === 0 : level === 1;
        const on = energized !== (r.wiring === "on");
        if (on !== this.physical[i]) {
          this.physical[i] = on;
          this.transitions.push({ t: time.elapsed, relay: i, on, cause: "controller" });
        }
      });
      return new Relay({ output: { io: this.pins.Digital, pin }, activeLow, loadWhenDeenergized: r.wiring });
    });
    const log = this.#log;
    const channels: RelayChannel[] = spec.relays.map((r, i) => ({
      id: `relay${i + 1}`,
      output: { write: (on: boolean) => { if (this.faults[i]) { this.faults[i] = false; throw new Error("GPIO write failed (injected)"); } this.relays[i].write(on); } },
      initialLoadOn: r.wiring === "on",
      resourceID: r.resource,
      rules: r.rules ?? [SIMPLE_LEVEL_1],
      minOnMs: r.minOnMs, minOffMs: r.minOffMs, maxShedMs: r.maxShedMs, shedLockoutMs: r.shedLockoutMs ?? 0,
      restoreRandomMs: r.restoreRandomMs ?? 0, shedRandomMs: r.shedRandomMs ?? 0,
    }));
    const sink: OverrideSink = {
      requestOptOut: (until, reason) => { this.optOuts.push({ t: time.elapsed, until, wall: time.now(), reason }); },
      cancelOptOut: () => { this.optCancels.push(time.elapsed); },
    };
    this.signals.listeners = [];
    this.controller = new RelayController({
      clock: time, scheduler: time, random: this.#random, store: this.store, signals: this.signals, override: sink,
      log: (level, component, message, fields) => {
        if (message.startsWith("fail-normal")) this.fatal.push(time.elapsed);
        log(level, component, message, fields);
      },
      relays: channels,
      bootDelayMinMs: spec.bootDelayMinMs, bootDelayMaxMs: spec.bootDelayMaxMs, restoreSpacingMs: spec.restoreSpacingMs,
      overrideMs: spec.overrideMs, retryMs: spec.retryMs ?? 5_000,
      onStatus: (s) => { this.statuses.push(s); },
    });
    if (this.withButton) {
      this.pins.setDigitalInput(4, 1);
      this.button = new Button({
        input: { io: this.pins.Digital, pin: 4 }, pull: "up", activeLevel: 0, ticks: () => time.ticks(),
        onPress: () => this.controller.override(),
        onLongPress: () => this.controller.cancelOverride(),
      });
    }
    this.controller.start();
  }

  reboot(offMs: number): void {
    this.controller.close();
    this.downs.push(this.time.elapsed);
    // Power gone: every coil drops; with the mains still there the loads follow their wiring.
    this.spec.relays.forEach((r, i) => {
      const on = r.wiring === "on";
      if (on !== this.physical[i]) {
        this.physical[i] = on;
        this.transitions.push({ t: this.time.elapsed, relay: i, on, cause: "reboot" });
      }
    });
    this.time.reboot(offMs);
    this.faults = this.faults.map(() => false);
    this.boot();
  }

  apply(c: Command): void {
    const time = this.time;
    switch (c.op) {
      case "event": this.signals.add(c.event, time.now()); this.signals.changed(); break;
      case "cancel": {
        const live = this.signals.events.filter((e) => !e.cancelled);
        if (live.length) { live[c.index % live.length].cancelled = true; this.signals.changed(); }
        break;
      }
      case "advance": time.advance(c.ms); break;
      case "press": this.controller.override(); break;
      case "cancelOverride": this.controller.cancelOverride(); break;
      case "reboot": this.reboot(c.offMs); break;
      case "clock": time.setWall(time.now() + c.jumpMs); this.controller.clockChanged(); break;
      case "relayFault": this.faults[c.relay % this.faults.length] = true; break;
      case "signalsThrow": this.signals.throwNext = true; break;
      case "fatal": this.controller.failNormal("injected by test"); break;
      case "status": this.statuses.push(this.controller.status()); break;
    }
  }

  result() {
    return {
      transitions: this.transitions, boots: this.boots, downs: this.downs, optOuts: this.optOuts, optCancels: this.optCancels,
      fatal: this.fatal, end: this.time.elapsed, physical: this.physical, status: this.controller.status(),
      errors: this.time.errors,
      log: this.lines.filter((l) => l.level !== "debug").map((l) => ({ ...l, fields: l.fields ? JSON.stringify(l.fields) : undefined })),
    };
  }
}

/** Runs a command sequence; returns what happened at the pins and around the controller. */
function run(spec: ControllerSpec, commands: Command[], settleMs = 0, withLog = true) {
  const site = new Site(spec);
  for (const c of commands) site.apply(c);
  if (settleMs > 0) site.time.advance(settleMs);
  const r = site.result();
  return { ...r, log: !withLog ? [] : r.log.length > 400 ? r.log.slice(-400) : r.log };
}

/** The override path through the real Button driver on a pin: short press → override, long → cancel. */
function button(spec: ControllerSpec, script: { op: "press" | "release" | "advance" | "event"; ms?: number; event?: EventSpec }[]) {
  const site = new Site(spec, true);
  const steps: ControlStatus[] = [];
  for (const s of script) {
    if (s.op === "press") { site.pins.setDigitalInput(4, 0); site.time.advance(0); }
    else if (s.op === "release") { site.pins.setDigitalInput(4, 1); site.time.advance(0); }
    else if (s.op === "event") { site.signals.add(s.event!, site.time.now()); site.signals.changed(); }
    else site.time.advance(s.ms ?? 0);
    steps.push(site.controller.status());
  }
  return { ...site.result(), statuses: steps };
}

/** Which rules shed for given signals (pure policy check). */
function rules(cases: { rules: "simple" | "price30" | "setpoint2"; resource?: string; events: EventSpec[] }[]) {
  return cases.map((c) => {
    const spec: ControllerSpec = {
      relays: [{ wiring: "on", minOnMs: 0, minOffMs: 0, maxShedMs: 3_600_000, rules: [c.rules === "simple" ? SIMPLE_LEVEL_1 : c.rules === "price30" ? priceAbove(30) : dispatchSetpointBelow(2)], resource: c.resource }],
      bootDelayMinMs: 0, bootDelayMaxMs: 0, restoreSpacingMs: 1000, overrideMs: 3_600_000, seed: 1,
    };
    const commands: Command[] = [{ op: "advance", ms: 1_000 }, ...c.events.map((event) => ({ op: "event", event }) as Command), { op: "advance", ms: 60_000 }];
    const r = run(spec, commands);
    return { shed: !r.physical[0], status: r.status };
  });
}

export const functions = { run, button, rules };
