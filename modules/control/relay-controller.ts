// Demand-response control of the relays: maps the VEN's active signals to a load state per relay
// (rules.ts) and enforces the safety rules locally, whatever the signals or commands say:
//   - minimum on and off time per relay (compressor protection), also against override and fail-normal;
//   - maximum continuous shed, then a lockout during which the relay is not shed again;
//   - restore after an event delayed at random in [0, restoreRandomMs] (cold-load pickup);
//   - at most one restore (off → on) per `restoreSpacingMs` (≥ 1 s) across all relays;
//   - after boot, relays are taken over one at a time, `restoreSpacingMs` apart, after a random delay
//     in [bootDelayMinMs, bootDelayMaxMs]; until then they keep their construction (de-energised) state
//     (a button press or fatal error ends that hold early; an override resumed from the store does not);
//   - fail-normal: any fatal error (a relay write that throws, a SignalView that throws, an internal
//     error, or failNormal() from main.ts) puts every load on (each as soon as its minimum off time
//     allows) and keeps it on, ignoring signals, until restart; health reports the cause;
//   - override (the button): opts out through OverrideSink.requestOptOut for `overrideMs` and restores
//     every load at once (minimum off time and restore spacing still apply).
// Every switching decision is logged with its reason. Durations run on the monotonic clock; the wall
// clock is used only to ask the SignalView what is in force. One timer: the earliest of the next
// signal change, a pending restore/shed, a minimum-time expiry, a max-shed deadline, a boot release,
// the override end, a write retry, and a periodic re-check (`recheckMs`, so a clock correction is seen
// even without clockChanged()). Public methods never switch a relay themselves: they arm the timer
// for now, so switching and logging always happen on a later turn.
//
// States: booting → normal → failNormal (final until restart). Override is a flag within normal.
// Leaves out: the VEN (signals.ts is the seam), the drivers (relay outputs are injected).

import type { Clock, Log, Random, Scheduler, Store, TimerHandle } from "../platform/types";
import { checkRules, shedSignal, type ShedRule } from "./rules";
import type { ActiveSignal, OverrideSink, SignalView } from "./signals";

/** What the controller needs from a relay driver (hardware/drivers/relay.ts fits). */
export interface RelayOutput {
  /** Supplies (true) or cuts (false) the load; throws on failure. */
  write(loadOn: boolean): void;
}

export interface RelayChannel {
  readonly id: string;
  readonly output: RelayOutput;
  /** Load state at construction: the driver's de-energised state (true with fail-normal wiring). */
  readonly initialLoadOn: boolean;
  /** OpenADR resource of this load; events for other resources leave it alone. */
  readonly resourceID?: string;
  readonly rules: readonly ShedRule[];
  /** Defaults: minOn 3 min, minOff 5 min, maxShed 4 h, lockout 30 min, restore random 5 min, shed random 0. */
  readonly minOnMs?: number;
  readonly minOffMs?: number;
  readonly maxShedMs?: number;
  readonly shedLockoutMs?: number;
  readonly restoreRandomMs?: number;
  readonly shedRandomMs?: number;
}

export interface RelayControllerOptions {
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly random: Random;
  readonly log: Log;
  readonly signals: SignalView;
  readonly override: OverrideSink;
  readonly relays: readonly RelayChannel[];
  /** Keeps the override across a reboot (key "ctl_override"). Optional. */
  readonly store?: Store;
  /** Boot takeover delay range (defaults 2 s – 30 s) and spacing between relays (default 2 s, ≥ 1 s). */
  readonly bootDelayMinMs?: number;
  readonly bootDelayMaxMs?: number;
  readonly restoreSpacingMs?: number;
  /** Override (opt-out) period (default 2 h). */
  readonly overrideMs?: number;
  /** Retry interval for a failed relay write in fail-normal (default 5 s). */
  readonly retryMs?: number;
  /** Longest timer delay (default 60 s). */
  readonly recheckMs?: number;
  /** Status changed (called from the controller's timer turn). */
  readonly onStatus?: (status: ControlStatus) => void;
}

export type SwitchReason = "initial" | "boot" | "event" | "eventEnd" | "maxShed" | "override" | "failNormal";

export interface RelayStatus {
  readonly id: string;
  readonly resourceID: string | undefined;
  /** Load supplied now. */
  readonly loadOn: boolean;
  /** Off because of an event (a shed), as opposed to off at boot. */
  readonly shed: boolean;
  /** Why the relay is in its state. */
  readonly reason: SwitchReason;
  /** Event that caused the shed. */
  readonly eventID: string | undefined;
  /** Monotonic ms of the last switch. */
  readonly since: number;
  /** Taken over after boot. */
  readonly released: boolean;
  /** A change is wanted but held back (minimum time, spacing, randomisation) until this monotonic ms. */
  readonly pendingUntil: number | undefined;
  readonly writeError: string | undefined;
}

export interface ControlStatus {
  readonly mode: "booting" | "normal" | "failNormal";
  /** "ok", or "fault" in fail-normal (TELEMETRY_STATUS oadrOnline, CIOF health). */
  readonly health: "ok" | "fault";
  readonly fault: string | undefined;
  /** OpenADR oadrManualOverride. */
  readonly override: { readonly active: boolean; readonly until: number | undefined };
  readonly relays: readonly RelayStatus[];
}

const OVERRIDE_KEY = "ctl_override";
const EMPTY: readonly ActiveSignal[] = Object.freeze([]);

interface RelayState {
  readonly id: string;
  readonly output: RelayOutput;
  readonly resourceID: string | undefined;
  readonly rules: readonly ShedRule[];
  readonly minOn: number;
  readonly minOff: number;
  readonly maxShed: number;
  readonly lockout: number;
  readonly restoreRandom: number;
  readonly shedRandom: number;
  on: boolean;
  since: number;
  reason: SwitchReason;
  eventID: string | undefined;
  /** Off because of a shed or held off since boot (counts toward max shed). */
  offCountsAsShed: boolean;
  released: boolean;
  releaseAt: number;
  lockoutUntil: number;
  restoreAt: number | undefined;
  shedAt: number | undefined;
  pendingUntil: number | undefined;
  retryAt: number;
  writeError: string | undefined;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`${name} must be a finite number ≥ 0 (${value})`);
  return v;
}

export class RelayController {
  #clock: Clock;
  #scheduler: Scheduler;
  #random: Random;
  #log: Log;
  #signals: SignalView;
  #sink: OverrideSink;
  #store: Store | undefined;
  #relays: RelayState[];
  #spacing: number;
  #overrideMs: number;
  #retryMs: number;
  #recheckMs: number;
  #onStatus: RelayControllerOptions["onStatus"];
  #mode: ControlStatus["mode"] = "booting";
  #fault: string | undefined;
  #overrideEnd: number | undefined;   // monotonic
  #overrideUntil: number | undefined; // wall, as told to the VEN
  #storedOverride: number | undefined; // wall, loaded at boot, applied once the clock is valid
  #pressedThisBoot = false;           // a press (not an override resumed from the store) skips the boot hold
  #lastRestore = -Infinity;
  #timer: TimerHandle | undefined;
  #timerAt = Infinity;
  #started = false;
  #closed = false;
  #statusKey = "";

  constructor(options: RelayControllerOptions) {
    const { clock, scheduler, random, log, signals, override, relays } = options;
    if (!clock || typeof clock.ticks !== "function" || typeof clock.now !== "function") throw new TypeError("clock is required");
    if (!scheduler || typeof scheduler.set !== "function") throw new TypeError("scheduler is required");
    if (typeof random !== "function") throw new TypeError("random is required");
    if (typeof log !== "function") throw new TypeError("log is required");
    if (!signals || typeof signals.active !== "function" || typeof signals.onChange !== "function") throw new TypeError("signals is required (SignalView)");
    if (!override || typeof override.requestOptOut !== "function") throw new TypeError("override is required (OverrideSink)");
    if (!Array.isArray(relays) || relays.length === 0) throw new TypeError("relays must list at least one relay");
    const bootMin = nonNegative("bootDelayMinMs", options.bootDelayMinMs, 2_000);
    const bootMax = nonNegative("bootDelayMaxMs", options.bootDelayMaxMs, 30_000);
    if (bootMax < bootMin) throw new RangeError("bootDelayMaxMs must be ≥ bootDelayMinMs");
    const spacing = nonNegative("restoreSpacingMs", options.restoreSpacingMs, 2_000);
    if (spacing < 1_000) throw new RangeError(`restoreSpacingMs must be ≥ 1000 (${spacing})`);
    const overrideMs = nonNegative("overrideMs", options.overrideMs, 7_200_000);
    if (overrideMs < 60_000) throw new RangeError("overrideMs must be ≥ 60,000");
    const retryMs = nonNegative("retryMs", options.retryMs, 5_000);
    const recheckMs = nonNegative("recheckMs", options.recheckMs, 60_000);
    if (retryMs < 100 || recheckMs < 1_000) throw new RangeError("retryMs must be ≥ 100 and recheckMs ≥ 1000");
    const ids = new Set<string>();
    const states: RelayState[] = [];
    relays.forEach((r, i) => {
      const name = `relays[${i}]`;
      if (!r || typeof r.id !== "string" || !r.id || ids.has(r.id)) throw new TypeError(`${name}.id must be a unique non-empty string`);
      ids.add(r.id);
      if (!r.output || typeof r.output.write !== "function") throw new TypeError(`${name}.output must have write(loadOn)`);
      if (typeof r.initialLoadOn !== "boolean") throw new TypeError(`${name}.initialLoadOn must be a boolean`);
      checkRules(name, r.rules);
      const minOff = nonNegative(`${name}.minOffMs`, r.minOffMs, 300_000);
      const maxShed = nonNegative(`${name}.maxShedMs`, r.maxShedMs, 14_400_000);
      if (maxShed < minOff) throw new RangeError(`${name}.maxShedMs must be ≥ minOffMs`);
      states.push({
        id: r.id, output: r.output, resourceID: r.resourceID, rules: r.rules,
        minOn: nonNegative(`${name}.minOnMs`, r.minOnMs, 180_000),
        minOff, maxShed,
        lockout: nonNegative(`${name}.shedLockoutMs`, r.shedLockoutMs, 1_800_000),
        restoreRandom: nonNegative(`${name}.restoreRandomMs`, r.restoreRandomMs, 300_000),
        shedRandom: nonNegative(`${name}.shedRandomMs`, r.shedRandomMs, 0),
        on: r.initialLoadOn, since: 0, reason: "initial", eventID: undefined, offCountsAsShed: !r.initialLoadOn,
        released: false, releaseAt: 0, lockoutUntil: -Infinity, restoreAt: undefined, shedAt: undefined,
        pendingUntil: undefined, retryAt: -Infinity, writeError: undefined,
      });
    });
    this.#clock = clock;
    this.#scheduler = scheduler;
    this.#random = random;
    this.#log = log;
    this.#signals = signals;
    this.#sink = override;
    this.#store = options.store;
    this.#relays = states;
    this.#spacing = spacing;
    this.#overrideMs = overrideMs;
    this.#retryMs = retryMs;
    this.#recheckMs = recheckMs;
    this.#onStatus = options.onStatus;
    // Boot: every relay is as the hardware left it since (about) now; takeover one at a time.
    const now = clock.ticks();
    const delay = Math.round(bootMin + (bootMax - bootMin) * random()); // whole ms: timers count whole ms
    states.forEach((s, i) => {
      s.since = now;
      s.releaseAt = now + delay + i * spacing;
    });
    this.#loadOverride();
  }

  /** Starts control: subscribes to signal changes and arms the timer. Idempotent. */
  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    this.#signals.onChange(() => this.#run());
    this.#log("info", "control", "started", { relays: this.#relays.length, takeoverMs: Math.round(this.#relays[0].releaseAt - this.#clock.ticks()) });
    this.#kick();
  }

  /** The button: opt out of everything in force for `overrideMs`, loads back on at once. */
  override(): void {
    if (this.#closed) return;
    const until = this.#clock.now() + this.#overrideMs;
    this.#pressedThisBoot = true;
    this.#storedOverride = undefined; // superseded by this press
    this.#overrideEnd = this.#clock.ticks() + this.#overrideMs;
    this.#overrideUntil = until;
    this.#saveOverride(until);
    this.#log("info", "control", "override", { until: new Date(until).toISOString(), minutes: Math.round(this.#overrideMs / 60_000) });
    try {
      this.#sink.requestOptOut(until, "overrideStatus");
    } catch (error) {
      this.#log("error", "control", "opt-out request failed", { error: message(error) });
    }
    this.#kick();
  }

  /** Ends the override early (long press, app). */
  cancelOverride(): void {
    if (this.#closed) return;
    if (this.#storedOverride !== undefined && this.#clock.valid) this.#applyStoredOverride(this.#clock.ticks());
    if (this.#overrideEnd === undefined) return;
    this.#clearOverride("cancelled");
    try {
      this.#sink.cancelOptOut();
    } catch (error) {
      this.#log("error", "control", "opt-out cancel failed", { error: message(error) });
    }
    this.#kick();
  }

  /** Enters fail-normal (main.ts: an unrecoverable error elsewhere). */
  failNormal(reason: string): void {
    if (this.#closed) return;
    this.#enterFailNormal(reason);
    this.#kick();
  }

  /** The wall clock was set or corrected: re-evaluate now. */
  clockChanged(): void {
    if (!this.#closed) this.#kick();
  }

  /** Stops the timer (relays keep their state). Idempotent. */
  close(): void {
    this.#closed = true;
    this.#scheduler.clear(this.#timer);
    this.#timer = undefined;
  }

  status(): ControlStatus {
    const active = this.#overrideEnd !== undefined;
    return Object.freeze({
      mode: this.#mode,
      health: this.#mode === "failNormal" ? "fault" : "ok",
      fault: this.#fault,
      override: Object.freeze({ active, until: active ? this.#overrideUntil : undefined }),
      relays: Object.freeze(this.#relays.map((r) => Object.freeze({
        id: r.id, resourceID: r.resourceID, loadOn: r.on, shed: !r.on && r.reason === "event",
        reason: r.reason, eventID: r.on ? undefined : r.eventID, since: r.since, released: r.released,
        pendingUntil: r.pendingUntil, writeError: r.writeError,
      }))),
    });
  }

  // ---------- evaluation ----------

  #kick(): void {
    if (!this.#started || this.#closed) return;
    this.#arm(this.#clock.ticks());
  }

  #arm(at: number): void {
    if (this.#closed) return;
    if (this.#timer !== undefined && this.#timerAt <= at) return;
    this.#scheduler.clear(this.#timer);
    this.#timerAt = at;
    this.#timer = this.#scheduler.set(() => {
      this.#timer = undefined;
      this.#timerAt = Infinity;
      this.#run();
    }, Math.max(0, Math.ceil(at - this.#clock.ticks()))); // rounded up: a timer that fires early would re-arm for a fraction at the same tick
  }

  #run(): void {
    if (this.#closed) return;
    let wake: number;
    try {
      wake = this.#evaluate();
    } catch (error) {
      this.#enterFailNormal(`internal: ${message(error)}`);
      try {
        wake = this.#evaluate();
      } catch (again) {
        this.#log("error", "control", "fail-normal evaluation failed", { error: message(again) });
        wake = this.#clock.ticks() + this.#retryMs;
      }
    }
    this.#scheduler.clear(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
    this.#arm(wake);
    this.#reportStatus();
  }

  /** Decides every relay; returns the monotonic time of the next evaluation. */
  #evaluate(): number {
    const now = this.#clock.ticks();
    let wake = now + this.#recheckMs;
    if (this.#storedOverride !== undefined && this.#clock.valid) this.#applyStoredOverride(now);
    if (this.#overrideEnd !== undefined) {
      if (now >= this.#overrideEnd) this.#clearOverride("expired");
      else if (this.#overrideEnd < wake) wake = this.#overrideEnd;
    }
    let signals = EMPTY;
    if (this.#mode !== "failNormal" && this.#clock.valid) {
      const wall = this.#clock.now();
      try {
        signals = this.#signals.active(wall);
        const next = this.#signals.nextChange(wall);
        if (next !== undefined && next > wall) {
          const at = now + (next - wall);
          if (at < wake) wake = at;
        }
      } catch (error) {
        this.#enterFailNormal(`signals: ${message(error)}`);
        signals = EMPTY;
      }
    }
    const relays = this.#relays;
    let allReleased = true;
    const failedBefore = this.#mode === "failNormal";
    for (let pass = 0; pass < 2; pass++) {
      allReleased = true;
      for (let i = 0; i < relays.length; i++) {
        const at = this.#decide(relays[i], now, signals);
        if (at < wake) wake = at;
        if (!relays[i].released) allReleased = false;
      }
      // A write failure in this pass entered fail-normal: decide the others again under it at once.
      if (failedBefore || this.#mode !== "failNormal") break;
    }
    if (this.#mode === "booting" && allReleased) {
      this.#mode = "normal";
      this.#log("info", "control", "all relays taken over");
    }
    return wake > now ? wake : now + 1;
  }

  /** Decides one relay; switches it if allowed now; returns when it next needs a look (or Infinity). */
  #decide(r: RelayState, now: number, signals: readonly ActiveSignal[]): number {
    const failed = this.#mode === "failNormal";
    const overridden = this.#overrideEnd !== undefined;
    let wake = Infinity;
    if (!r.released) {
      // A press or a fatal error takes the relays over at once; an override resumed after a restart
      // does not: the staggered takeover is what protects the grid after an outage.
      if (now >= r.releaseAt || failed || (overridden && this.#pressedThisBoot)) {
        r.released = true;
        this.#log("info", "control", "relay taken over", { relay: r.id, on: r.on });
      } else {
        r.pendingUntil = undefined;
        return r.releaseAt;
      }
    }
    let target = r.on;
    let reason: SwitchReason = r.reason;
    let eventID: string | undefined;
    let at = now;
    if (failed) {
      target = true;
      reason = "failNormal";
      r.restoreAt = r.shedAt = undefined;
    } else if (overridden) {
      target = true;
      reason = "override";
      r.restoreAt = r.shedAt = undefined;
    } else {
      let signal = shedSignal(signals, r.rules, r.resourceID);
      if (signal !== undefined && now < r.lockoutUntil) {
        wake = r.lockoutUntil;
        signal = undefined;
      }
      if (signal !== undefined) {
        r.restoreAt = undefined;
        if (r.on) {
          target = false;
          reason = "event";
          eventID = signal.eventID;
          if (r.shedRandom > 0) {
            if (r.shedAt === undefined) r.shedAt = now + Math.round(r.shedRandom * this.#random());
            at = r.shedAt;
          }
        } else if (r.offCountsAsShed) {
          const deadline = r.since + r.maxShed;
          if (now >= deadline) {
            target = true;
            reason = "maxShed";
          } else {
            if (r.reason === "event") r.eventID = signal.eventID;
            wake = Math.min(wake, deadline);
          }
        }
      } else {
        r.shedAt = undefined;
        if (!r.on) {
          target = true;
          if (r.reason === "event") {
            reason = "eventEnd";
            if (r.restoreAt === undefined) r.restoreAt = now + Math.round(r.restoreRandom * this.#random());
            at = r.restoreAt;
          } else {
            reason = "boot";
          }
          if (r.offCountsAsShed) {
            // max shed still applies while a randomised restore waits
            const deadline = r.since + r.maxShed;
            if (deadline <= at) {
              at = deadline;
              reason = "maxShed";
            }
          }
        }
      }
    }
    if (target === r.on) {
      r.pendingUntil = undefined;
      return wake;
    }
    // Safety: minimum times, then restore spacing, then retry pacing.
    const minAt = r.since + (r.on ? r.minOn : r.minOff);
    if (at < minAt) at = minAt;
    if (target && at < this.#lastRestore + this.#spacing) at = this.#lastRestore + this.#spacing;
    if (at < r.retryAt) at = r.retryAt;
    if (at > now) {
      if (r.pendingUntil !== at) this.#log("debug", "control", "switch held back", { relay: r.id, on: target, reason, waitMs: Math.round(at - now) });
      r.pendingUntil = at;
      return Math.min(wake, at);
    }
    r.pendingUntil = undefined;
    this.#switch(r, target, reason, eventID, now);
    if (r.on !== target) return Math.min(wake, r.retryAt); // write failed: fail-normal retries
    return !r.on && r.offCountsAsShed ? Math.min(wake, r.since + r.maxShed) : wake;
  }

  #switch(r: RelayState, on: boolean, reason: SwitchReason, eventID: string | undefined, now: number): void {
    try {
      r.output.write(on);
    } catch (error) {
      r.writeError = message(error);
      r.retryAt = now + this.#retryMs;
      this.#log("error", "control", "relay write failed", { relay: r.id, on, error: r.writeError });
      this.#enterFailNormal(`relay ${r.id}: ${r.writeError}`);
      return;
    }
    r.writeError = undefined;
    r.on = on;
    r.since = now;
    r.reason = reason;
    r.eventID = on ? undefined : eventID;
    r.offCountsAsShed = !on;
    r.restoreAt = undefined;
    r.shedAt = undefined;
    if (on) this.#lastRestore = now;
    if (reason === "maxShed") r.lockoutUntil = now + r.lockout;
    this.#log("info", "control", on ? "load on" : "load off", { relay: r.id, reason, eventID });
  }

  #enterFailNormal(reason: string): void {
    if (this.#mode === "failNormal") return;
    this.#mode = "failNormal";
    this.#fault = reason;
    this.#log("error", "control", "fail-normal: loads on, signals ignored until restart", { reason });
  }

  // ---------- override persistence ----------

  #clearOverride(why: string): void {
    this.#overrideEnd = undefined;
    this.#overrideUntil = undefined;
    this.#saveOverride(undefined);
    this.#log("info", "control", "override ended", { why });
  }

  #saveOverride(until: number | undefined): void {
    const store = this.#store;
    if (!store) return;
    try {
      if (until === undefined) store.delete(OVERRIDE_KEY);
      else store.set(OVERRIDE_KEY, JSON.stringify({ v: 1, until }));
    } catch (error) {
      this.#log("warn", "control", "override not persisted", { error: message(error) });
    }
  }

  #loadOverride(): void {
    const text = this.#store?.get(OVERRIDE_KEY);
    if (text === undefined) return;
    try {
      const record = JSON.parse(text);
      if (record && record.v === 1 && Number.isFinite(record.until)) this.#storedOverride = record.until;
    } catch {
      this.#log("warn", "control", "stored override unreadable: ignored");
    }
  }

  #applyStoredOverride(now: number): void {
    const until = this.#storedOverride!;
    this.#storedOverride = undefined;
    const left = until - this.#clock.now();
    if (left <= 0 || left > this.#overrideMs) {
      this.#saveOverride(undefined);
      return;
    }
    this.#overrideEnd = now + left;
    this.#overrideUntil = until;
    this.#log("info", "control", "override resumed after restart", { until: new Date(until).toISOString() });
  }

  #reportStatus(): void {
    if (!this.#onStatus) return;
    let key = this.#mode + (this.#overrideEnd !== undefined ? "+o" : "");
    for (let i = 0; i < this.#relays.length; i++) {
      const r = this.#relays[i];
      key += r.on ? "1" : "0";
      if (r.writeError) key += "!";
    }
    if (key === this.#statusKey) return;
    this.#statusKey = key;
    this.#onStatus(this.status());
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
