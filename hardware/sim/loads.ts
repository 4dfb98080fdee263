// Load model for the simulated site: loads that respond to their relay — a compressor with inrush, a
// thermostat cycle and a minimum off time it can be made to violate, a resistive heater, an unswitched
// base load that steps at random — summed as phasors into the instantaneous mains current. It also
// integrates the exact truth (apparent VAh from the nominal voltage, real Wh) as time advances, for
// accuracy tests. Time is monotonic ms; calls must not go backwards (a late relay event is applied at
// the model's current time). Allocation only at state changes, none per sample.

export interface SimLoad {
  readonly name: string;
  /** Relay id that supplies it; undefined = always supplied. */
  readonly relay: string | undefined;
  /** Current lag behind voltage, radians (acos of the power factor). */
  readonly lag: number;
  supply(on: boolean, t: number): void;
  /** Next self-driven change (thermostat), ms; Infinity if none. */
  nextEvent(): number;
  fire(t: number): void;
  /** RMS amps at t. */
  amps(t: number): number;
  /** Until when amps(t) varies between events (inrush), ms. */
  varyingUntil(): number;
  readonly supplied: boolean;
}

export interface CompressorOptions {
  readonly name?: string;
  readonly relay: string;
  readonly random: () => number;
  /** Running amps (default 8 A: ≈0.8 kVA at 100 V). */
  readonly ratedAmps?: number;
  readonly powerFactor?: number;
  /** Locked-rotor multiple at start (default 5) decaying with `inrushTauMs` (default 100 ms). */
  readonly inrushMultiple?: number;
  readonly inrushTauMs?: number;
  /** Thermostat: run and rest periods, ± `jitter` fraction (defaults 10 min, 6 min, 0.2). */
  readonly runMs?: number;
  readonly restMs?: number;
  readonly jitter?: number;
  /** The manufacturer's minimum off time between runs (default 3 min) and minimum run (default 2 min). */
  readonly minOffMs?: number;
  readonly minRunMs?: number;
}

export class Compressor implements SimLoad {
  readonly name: string;
  readonly relay: string;
  readonly lag: number;
  readonly rated: number;
  readonly minOffMs: number;
  readonly minRunMs: number;
  supplied = true;
  running = false;
  /** Starts within minOffMs of the last stop, and supply cuts within minRunMs of a start. */
  shortCycles = 0;
  starts = 0;
  #random: () => number;
  #inrush: number;
  #tau: number;
  #runMs: number;
  #restMs: number;
  #jitter: number;
  #demand = true;
  #next = Infinity;
  #startedAt = -Infinity;
  #stoppedAt = -Infinity;

  constructor(options: CompressorOptions) {
    this.name = options.name ?? "compressor";
    this.relay = options.relay;
    this.#random = options.random;
    this.rated = options.ratedAmps ?? 8;
    this.lag = Math.acos(options.powerFactor ?? 0.85);
    this.#inrush = options.inrushMultiple ?? 5;
    this.#tau = options.inrushTauMs ?? 100;
    this.#runMs = options.runMs ?? 600_000;
    this.#restMs = options.restMs ?? 360_000;
    this.#jitter = options.jitter ?? 0.2;
    this.minOffMs = options.minOffMs ?? 180_000;
    this.minRunMs = options.minRunMs ?? 120_000;
  }

  #period(ms: number): number { return ms * (1 + this.#jitter * (2 * this.#random() - 1)); }

  supply(on: boolean, t: number): void {
    if (on === this.supplied) return;
    this.supplied = on;
    if (!on && this.running) {
      if (t - this.#startedAt < this.minRunMs) this.shortCycles++;
      this.#stop(t, false);
    } else if (on && this.#demand) this.#start(t);
  }

  /** First start at t (power-up): running with demand. */
  begin(t: number): void {
    if (this.supplied && this.#demand && !this.running) this.#start(t);
  }

  nextEvent(): number { return this.#next; }

  fire(t: number): void {
    if (this.running) {
      this.#demand = false;
      this.#stop(t, true);
    } else {
      this.#demand = true;
      this.#next = Infinity;
      if (this.supplied) this.#start(t);
    }
  }

  #start(t: number): void {
    if (t - this.#stoppedAt < this.minOffMs) this.shortCycles++;
    this.running = true;
    this.starts++;
    this.#startedAt = t;
    this.#next = t + this.#period(this.#runMs);
  }

  #stop(t: number, satisfied: boolean): void {
    this.running = false;
    this.#stoppedAt = t;
    this.#next = satisfied ? t + this.#period(this.#restMs) : Infinity;
  }

  amps(t: number): number {
    if (!this.running) return 0;
    const since = t - this.#startedAt;
    return since < 8 * this.#tau ? this.rated * (1 + (this.#inrush - 1) * Math.exp(-since / this.#tau)) : this.rated;
  }

  varyingUntil(): number { return this.running ? this.#startedAt + 8 * this.#tau : -Infinity; }
}

export class Heater implements SimLoad {
  readonly name: string;
  readonly relay: string;
  readonly lag = 0;
  readonly rated: number;
  supplied = true;

  /** `watts` at `volts` (default 1,200 W at 100 V). */
  constructor(options: { name?: string; relay: string; watts?: number; volts?: number }) {
    this.name = options.name ?? "heater";
    this.relay = options.relay;
    this.rated = (options.watts ?? 1200) / (options.volts ?? 100);
  }
  supply(on: boolean): void { this.supplied = on; }
  nextEvent(): number { return Infinity; }
  fire(): void { /* no self-driven changes */ }
  amps(): number { return this.supplied ? this.rated : 0; }
  varyingUntil(): number { return -Infinity; }
}

export class BaseLoad implements SimLoad {
  readonly name: string;
  readonly relay = undefined;
  readonly lag: number;
  readonly supplied = true;
  #random: () => number;
  #min: number;
  #max: number;
  #stepMs: number;
  #amps: number;
  #next: number;

  /** Steps to a random level in [minAmps, maxAmps] every stepMs ± 50 % (defaults 1–4 A, 15 min, PF 0.95). */
  constructor(options: { name?: string; random: () => number; minAmps?: number; maxAmps?: number; stepMs?: number; powerFactor?: number; start?: number }) {
    this.name = options.name ?? "base";
    this.#random = options.random;
    this.#min = options.minAmps ?? 1;
    this.#max = options.maxAmps ?? 4;
    this.#stepMs = options.stepMs ?? 900_000;
    this.lag = Math.acos(options.powerFactor ?? 0.95);
    this.#amps = this.#level();
    this.#next = (options.start ?? 0) + this.#interval();
  }
  #level(): number { return this.#min + (this.#max - this.#min) * this.#random(); }
  #interval(): number { return this.#stepMs * (0.5 + this.#random()); }
  supply(): void { /* unswitched */ }
  nextEvent(): number { return this.#next; }
  fire(t: number): void {
    this.#amps = this.#level();
    this.#next = t + this.#interval();
  }
  amps(): number { return this.#amps; }
  varyingUntil(): number { return -Infinity; }
}

/** A fixed current at a fixed phase: calibration and accuracy tests. Optionally on a relay. */
export class ConstantLoad implements SimLoad {
  readonly name: string;
  readonly relay: string | undefined;
  readonly lag: number;
  supplied = true;
  rated: number;

  constructor(options: { name?: string; amps: number; powerFactor?: number; relay?: string }) {
    this.name = options.name ?? "constant";
    this.rated = options.amps;
    this.lag = Math.acos(options.powerFactor ?? 1);
    this.relay = options.relay;
  }
  supply(on: boolean): void { this.supplied = on; }
  nextEvent(): number { return Infinity; }
  fire(): void { /* none */ }
  amps(): number { return this.supplied ? this.rated : 0; }
  varyingUntil(): number { return -Infinity; }
}

export interface LoadModelOptions {
  readonly volts: number;
  readonly frequencyHz: number;
  readonly loads: readonly SimLoad[];
  /** Model time to start at, ms (default 0). */
  readonly start?: number;
}

const INTEGRATION_STEP_MS = 1;

/** Sums the loads into an instantaneous current and integrates the truth. */
export class LoadModel {
  readonly volts: number;
  readonly frequencyHz: number;
  readonly loads: readonly SimLoad[];
  /** Exact integrals since start (or resetTruth): apparent VAh at `volts`, real Wh. */
  truthVAh = 0;
  truthWh = 0;
  #time: number;
  #omega: number;
  // cached phasor sum (cos and sin components) and its magnitude
  #a = 0;
  #b = 0;
  #magnitude = 0;
  #dirty = true;
  #varyingUntil = -Infinity;
  #nextEvent = Infinity;

  constructor(options: LoadModelOptions) {
    this.volts = options.volts;
    this.frequencyHz = options.frequencyHz;
    this.loads = options.loads;
    this.#time = options.start ?? 0;
    this.#omega = (2 * Math.PI * options.frequencyHz) / 1000;
    this.#findNext();
  }

  get time(): number { return this.#time; }

  /** Switches the loads on relay `relay` at t (clamped to the model's time). */
  supply(relay: string, on: boolean, t: number): void {
    this.advance(t);
    const loads = this.loads;
    for (let i = 0; i < loads.length; i++) if (loads[i].relay === relay) loads[i].supply(on, this.#time);
    this.#changed();
  }

  /** Tells the model a load changed outside supply() (e.g. Compressor.begin). */
  touch(): void { this.#changed(); }

  /** Runs self-driven events up to t and integrates the truth. */
  advance(t: number): void {
    while (t > this.#time) {
      const next = this.#nextEvent;
      const until = next < t ? next : t;
      this.#integrate(this.#time, until);
      this.#time = until;
      if (next <= t) {
        const loads = this.loads;
        for (let i = 0; i < loads.length; i++) if (loads[i].nextEvent() <= until) loads[i].fire(until);
        this.#changed();
      }
    }
  }

  resetTruth(): void {
    this.truthVAh = 0;
    this.truthWh = 0;
  }

  /** RMS amps of all loads (or of one relay's loads) at the model's time. */
  rmsAmps(relay?: string): number {
    let a = 0;
    let b = 0;
    const loads = this.loads;
    for (let k = 0; k < loads.length; k++) {
      const load = loads[k];
      if (relay !== undefined && load.relay !== relay) continue;
      const i = load.amps(this.#time);
      a += i * Math.cos(load.lag);
      b += i * Math.sin(load.lag);
    }
    return Math.sqrt(a * a + b * b);
  }

  /** Instantaneous mains current (A) at t; all loads. */
  current(t: number): number {
    this.advance(t);
    if (this.#dirty || this.#time < this.#varyingUntil) this.#phasor(this.#time);
    const w = this.#omega * t;
    return Math.SQRT2 * (this.#a * Math.sin(w) - this.#b * Math.cos(w));
  }

  /** Instantaneous current of one relay's loads (a sub-circuit CT). No cache: slower. */
  relayCurrent(relay: string, t: number): number {
    this.advance(t);
    let a = 0;
    let b = 0;
    const loads = this.loads;
    for (let k = 0; k < loads.length; k++) {
      const load = loads[k];
      if (load.relay !== relay) continue;
      const i = load.amps(t);
      a += i * Math.cos(load.lag);
      b += i * Math.sin(load.lag);
    }
    const w = this.#omega * t;
    return Math.SQRT2 * (a * Math.sin(w) - b * Math.cos(w));
  }

  /** Instantaneous mains voltage at t. */
  voltage(t: number): number {
    return Math.SQRT2 * this.volts * Math.sin(this.#omega * t);
  }

  #changed(): void {
    this.#dirty = true;
    this.#findNext();
  }

  #findNext(): void {
    let next = Infinity;
    const loads = this.loads;
    for (let i = 0; i < loads.length; i++) {
      const e = loads[i].nextEvent();
      if (e < next) next = e;
    }
    this.#nextEvent = next;
  }

  #phasor(t: number): void {
    let a = 0;
    let b = 0;
    let varying = -Infinity;
    const loads = this.loads;
    for (let k = 0; k < loads.length; k++) {
      const load = loads[k];
      const i = load.amps(t);
      a += i * Math.cos(load.lag);
      b += i * Math.sin(load.lag);
      const v = load.varyingUntil();
      if (v > varying) varying = v;
    }
    this.#a = a;
    this.#b = b;
    this.#magnitude = Math.sqrt(a * a + b * b);
    this.#varyingUntil = varying;
    this.#dirty = false;
  }

  #integrate(from: number, to: number): void {
    if (this.#dirty) this.#phasor(from);
    let t = from;
    while (t < this.#varyingUntil && t < to) {
      // inrush: midpoint rule on 1 ms steps
      const step = Math.min(INTEGRATION_STEP_MS, to - t);
      this.#phasor(t + step / 2);
      this.#accumulate(step);
      t += step;
      this.#dirty = true;
    }
    if (t < to) {
      if (this.#dirty) this.#phasor(t);
      this.#accumulate(to - t);
    }
  }

  #accumulate(ms: number): void {
    const hours = ms / 3_600_000;
    this.truthVAh += this.volts * this.#magnitude * hours;
    this.truthWh += this.volts * this.#a * hours;
  }
}
