// The simulated board wired to a site: plugs a BoardDefinition into a simulated-pins registry (the
// host engine's sim-pins, or mcsim's): each CT pin becomes an analog source that reads the load model
// through the ADC model (bias + burden × secondary current + noise, quantised and clipped), relay pins
// switch their loads through the board's polarity and wiring, the button pin idles at its released
// level. Faults can be injected per CT (open input, stuck ADC) for the fault-detection tests.
// Leaves out: the pins registry itself (host-tests/engine/host-modules/sim-pins.ts).

import type { AdcSpec } from "../../modules/metering/types";
import type { BoardDefinition } from "../board";
import { SimAdc } from "./adc";
import { BaseLoad, Compressor, Heater, LoadModel, type SimLoad } from "./loads";
import { seededRandom } from "./random";

/** What the site needs from a simulated-pins registry (sim-pins.ts has this shape). */
export interface SimPins {
  /** `timeMs`: monotonic time of the read when the registry keeps the sample clock (the engine's). */
  setAnalogSource(pin: number, source: (timeMs?: number) => number): void;
  onDigitalWrite(pin: number, callback: (level: number, timeMs?: number) => void): void;
  setDigitalInput(pin: number, level: 0 | 1): void;
}

export type CtFault = "none" | "open" | "stuck" | "disconnected";

export interface SimSiteOptions {
  readonly board: BoardDefinition;
  readonly pins: SimPins;
  /** The system's monotonic clock, ms. */
  readonly ticks: () => number;
  readonly seed?: number;
  /** Loads (default: defaultLoads()). */
  readonly loads?: readonly SimLoad[];
  /** ADC model (default: the board's ADC). */
  readonly adc?: AdcSpec;
  /** Input noise, volts RMS (default 0.002). */
  readonly noiseVolts?: number;
  /** Actual mains RMS volts and frequency (default: nominal). */
  readonly volts?: number;
  readonly frequencyHz?: number;
}

/** A compressor on the first relay, a heater on the second, a base load stepping from `start` (model ms). */
export function defaultLoads(board: BoardDefinition, random: () => number, start = 0): SimLoad[] {
  const loads: SimLoad[] = [new BaseLoad({ random, start })];
  if (board.relays[0]) loads.push(new Compressor({ relay: board.relays[0].id, random }));
  if (board.relays[1]) loads.push(new Heater({ relay: board.relays[1].id, volts: board.mains.nominalVolts }));
  return loads;
}

export class SimSite {
  readonly board: BoardDefinition;
  readonly model: LoadModel;
  readonly adc: SimAdc;
  readonly random: () => number;
  #pins: SimPins;
  #faults: CtFault[];
  #stuckCode: number[];

  constructor(options: SimSiteOptions) {
    const { board, pins, ticks } = options;
    this.board = board;
    this.#pins = pins;
    this.random = seededRandom(options.seed ?? 1);
    // The model starts at the system's ticks, which on lin (mcsim) are epoch-scale milliseconds: the base
    // load's first step must be after that, or the model would step it there from 0 in 15-minute hops.
    const start = ticks();
    const loads = options.loads ?? defaultLoads(board, this.random, start);
    this.model = new LoadModel({
      volts: options.volts ?? board.mains.nominalVolts,
      frequencyHz: options.frequencyHz ?? board.mains.frequencyHz,
      loads, start,
    });
    for (const load of loads) if (load instanceof Compressor) load.begin(start);
    this.model.touch();
    const inputs = board.ct.length + (board.voltage ? 1 : 0);
    this.adc = new SimAdc({
      adc: options.adc ?? board.adc,
      conversionsPerSecond: board.sampling.sampleRate * inputs,
      ticks, random: this.random, noiseVolts: options.noiseVolts,
    });
    this.#faults = board.ct.map(() => "none" as CtFault);
    this.#stuckCode = board.ct.map(() => 0);
    const adc = this.adc;
    const model = this.model;
    board.ct.forEach((ct, index) => {
      const voltsPerAmp = ct.burdenOhms / ct.turns;
      const relay = ct.relay;
      pins.setAnalogSource(ct.pin, (at?: number) => {
        const t = at ?? adc.now();
        const fault = this.#faults[index];
        if (fault === "none") {
          const amps = relay === undefined ? model.current(t) : model.relayCurrent(relay, t);
          return adc.convert(ct.biasVolts + voltsPerAmp * amps, at);
        }
        if (fault === "stuck") {
          adc.convert(0, at);
          return this.#stuckCode[index];
        }
        if (fault === "disconnected") return adc.convert(ct.biasVolts, at); // jack out, bias still there
        return adc.convert(0, at); // "open": bias network gone, input pulled to ground
      });
    });
    const voltage = board.voltage;
    if (voltage) {
      pins.setAnalogSource(voltage.pin, (at?: number) => {
        const t = at ?? adc.now();
        return adc.convert(voltage.biasVolts + model.voltage(t) / voltage.ratio, at);
      });
    }
    for (const relay of board.relays) {
      const id = relay.id;
      const deenergizedOn = relay.loadWhenDeenergized === "on";
      pins.onDigitalWrite(relay.pin, (level, at) => {
        const energized = relay.activeLow ? level === 0 : level !== 0;
        model.supply(id, energized !== deenergizedOn, at ?? ticks());
      });
    }
    if (board.button) pins.setDigitalInput(board.button.pin, board.button.activeLevel === 0 ? 1 : 0);
  }

  /** Presses (true) or releases (false) the override button. */
  button(pressed: boolean): void {
    const b = this.board.button;
    if (!b) throw new Error(`board ${this.board.name} has no button`);
    this.#pins.setDigitalInput(b.pin, pressed ? b.activeLevel : b.activeLevel === 0 ? 1 : 0);
  }

  /** Injects a CT fault: "open" (input at ground), "stuck" (ADC returns one code), "disconnected" (CT unplugged, bias present), "none". */
  ctFault(id: string, fault: CtFault, stuckCode = 0): void {
    const index = this.board.ct.findIndex((c) => c.id === id);
    if (index < 0) throw new RangeError(`no CT "${id}"`);
    this.#faults[index] = fault;
    this.#stuckCode[index] = stuckCode;
  }
}
