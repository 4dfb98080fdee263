// Node side of the simulated pins behind the host `embedded:io/digital` and `embedded:io/analog`:
// one registry per XsHost (xs.pins). Tests set analog sources and digital inputs, read output levels
// and observe writes. Pin numbers are the board's GPIO numbers.

export type AnalogSource = (timeMs: number, pin: number) => number;

export interface PinState { kind: "digital" | "analog"; mode?: number; edge?: number; resolution?: number }

export class SimPins {
  /** Virtual time one analog read takes (µs). */
  analogReadUs = 1000;
  readonly #levels = new Map<number, number>();
  readonly #sources = new Map<number, AnalogSource>();
  readonly #writers = new Map<number, ((level: number, timeMs: number) => void)[]>();
  readonly #open = new Map<number, PinState>();
  readonly #post: (pin: number, rising: boolean) => void;
  /** Writes per pin since start (all boots). */
  readonly writes = new Map<number, { level: number; ticks: number }[]>();

  constructor(post: (pin: number, rising: boolean) => void) { this.#post = post; }

  /** Analog source: code at a virtual time (ms since boot, fractional). Clamped to the resolution. */
  setAnalogSource(pin: number, source: AnalogSource | number): void {
    this.#sources.set(pin, typeof source === "number" ? () => source : source);
  }

  /** Level an output pin was last driven to (undefined if never written). */
  digitalLevel(pin: number): number | undefined { return this.#levels.get(pin); }

  onDigitalWrite(pin: number, callback: (level: number, timeMs: number) => void): () => void {
    const list = this.#writers.get(pin) ?? [];
    list.push(callback);
    this.#writers.set(pin, list);
    return () => { const l = this.#writers.get(pin); if (l) l.splice(l.indexOf(callback), 1); };
  }

  /** Drives an input pin; an edge reaches the XS onReadable on a later turn. */
  setDigitalInput(pin: number, level: number): void {
    const v = level ? 1 : 0;
    const previous = this.#levels.get(pin) ?? 0;
    this.#levels.set(pin, v);
    if (v !== previous && this.#open.get(pin)?.kind === "digital") this.#post(pin, v === 1);
  }

  /** Pins currently open in XS. */
  get openPins(): ReadonlyMap<number, PinState> { return this.#open; }

  /** @internal host handlers */
  handlers(ticks: () => number): Record<string, (m: any) => unknown> { // eslint-disable-line @typescript-eslint/no-explicit-any
    return {
      "pins.open": (m) => {
        if (this.#open.has(m.pin)) throw new Error(`pin ${m.pin} in use`);
        this.#open.set(m.pin, { kind: m.kind, mode: m.mode, edge: m.edge, resolution: m.resolution });
        if (m.kind === "digital" && m.mode === 1 && !this.#levels.has(m.pin)) this.#levels.set(m.pin, 1); // pull-up idles high
        return null;
      },
      "pins.close": (m) => { this.#open.delete(m.pin); return null; },
      "pins.read": (m) => this.#levels.get(m.pin) ?? 0,
      "pins.write": (m) => {
        this.#levels.set(m.pin, m.value);
        const t = ticks();
        const log = this.writes.get(m.pin) ?? [];
        log.push({ level: m.value, ticks: t });
        this.writes.set(m.pin, log);
        for (const cb of this.#writers.get(m.pin) ?? []) cb(m.value, t);
        return null;
      },
      "pins.analog": (m) => {
        const state = this.#open.get(m.pin);
        const max = (1 << (state?.resolution ?? 10)) - 1;
        const source = this.#sources.get(m.pin);
        const raw = source ? source(m.t, m.pin) : 0;
        const value = Math.max(0, Math.min(max, Math.round(raw)));
        return { value, costMs: this.analogReadUs / 1000 };
      },
    };
  }

  /** Power cycle: pins close; driven output levels are forgotten (inputs keep their level). */
  reset(): void {
    for (const [pin, s] of this.#open) if (s.kind === "digital" && (s.mode ?? 0) >= 8) this.#levels.delete(pin);
    this.#open.clear();
  }
}
