// Simulated pins inside the same XS machine: a registry with the SimPins shape and ECMA-419-shaped
// Digital and Analog classes bound to it, for platforms with no GPIO or ADC (mcsim, lin) and for long
// XS-side simulations where a host round trip per analog read would dominate. Analog reads call the
// source directly (the site's ADC model keeps the sample clock); digital input edges reach onReadable
// on a later turn through the injected `defer` (a Scheduler's set(…, 0)), never re-entrantly.
// Leaves out: the engine's Node-side registry (host-tests/engine/host-modules/sim-pins.ts).

import type { AnalogIo, AnalogPort, DigitalIo, DigitalPort } from "../drivers/io";
import type { SimPins } from "./site";

type Source = (timeMs?: number) => number;
type Writer = (level: number, timeMs?: number) => void;

interface OpenDigital { readonly onReadable: (() => void) | undefined; readonly edge: number; readonly output: boolean }

export interface LocalPinsOptions {
  /** Runs a callback on a later turn (e.g. `(f) => scheduler.set(f, 0)`). */
  readonly defer: (callback: () => void) => void;
  /** Monotonic ms, reported with output writes. */
  readonly ticks?: () => number;
}

export class LocalPins implements SimPins {
  readonly Digital: DigitalIo;
  readonly Analog: AnalogIo;
  #levels = new Map<number, number>();
  #sources = new Map<number, Source>();
  #writers = new Map<number, Writer[]>();
  #digital = new Map<number, OpenDigital>();
  #analog = new Set<number>();
  #defer: (callback: () => void) => void;

  constructor(options: LocalPinsOptions) {
    if (typeof options?.defer !== "function") throw new TypeError("defer is required");
    this.#defer = options.defer;
    const ticks = options.ticks;
    const levels = this.#levels;
    const sources = this.#sources;
    const writers = this.#writers;
    const digital = this.#digital;
    const analog = this.#analog;

    class Digital implements DigitalPort {
      static readonly Input = 0;
      static readonly InputPullUp = 1;
      static readonly InputPullDown = 2;
      static readonly Output = 8;
      static readonly Rising = 1;
      static readonly Falling = 2;
      #pin: number;
      #output: boolean;
      constructor(o: { pin: number; mode: number; edge?: number; onReadable?: () => void }) {
        if (digital.has(o.pin) || analog.has(o.pin)) throw new Error(`Digital: pin ${o.pin} in use`);
        this.#pin = o.pin;
        this.#output = o.mode >= 8;
        const self = this;
        digital.set(o.pin, { output: this.#output, edge: o.edge ?? 0, onReadable: o.onReadable ? () => o.onReadable!.call(self) : undefined });
        if (!this.#output && !levels.has(o.pin)) levels.set(o.pin, o.mode === Digital.InputPullUp ? 1 : 0);
      }
      read(): number {
        if (this.#pin < 0) throw new Error("Digital: closed");
        return levels.get(this.#pin) ?? 0;
      }
      write(value: 0 | 1): void {
        if (this.#pin < 0) throw new Error("Digital: closed");
        if (!this.#output) throw new Error("Digital: write on an input");
        const level = value ? 1 : 0;
        levels.set(this.#pin, level);
        const list = writers.get(this.#pin);
        if (list) for (let i = 0; i < list.length; i++) list[i](level, ticks?.());
      }
      close(): void {
        if (this.#pin < 0) return;
        digital.delete(this.#pin);
        this.#pin = -1;
      }
    }

    class Analog implements AnalogPort {
      readonly resolution: number;
      #pin: number;
      #source: Source | undefined;
      constructor(o: { pin: number; resolution?: number }) {
        if (digital.has(o.pin) || analog.has(o.pin)) throw new Error(`Analog: pin ${o.pin} in use`);
        this.#pin = o.pin;
        this.resolution = o.resolution ?? 10;
        analog.add(o.pin);
        this.#source = sources.get(o.pin);
      }
      read(): number {
        const source = this.#source ?? sources.get(this.#pin);
        if (this.#pin < 0) throw new Error("Analog: closed");
        return source ? source() : 0;
      }
      close(): void {
        if (this.#pin < 0) return;
        analog.delete(this.#pin);
        this.#pin = -1;
      }
    }

    this.Digital = Digital;
    this.Analog = Analog;
  }

  setAnalogSource(pin: number, source: Source): void { this.#sources.set(pin, source); }

  onDigitalWrite(pin: number, callback: Writer): void {
    const list = this.#writers.get(pin) ?? [];
    list.push(callback);
    this.#writers.set(pin, list);
  }

  digitalLevel(pin: number): number | undefined { return this.#levels.get(pin); }

  setDigitalInput(pin: number, level: 0 | 1): void {
    const v = level ? 1 : 0;
    const previous = this.#levels.get(pin);
    this.#levels.set(pin, v);
    const open = this.#digital.get(pin);
    if (previous === v || !open || open.output || !open.onReadable) return;
    const rising = v === 1;
    if ((rising && open.edge & 1) || (!rising && open.edge & 2)) this.#defer(open.onReadable);
  }
}
