// XS-side test support: the simulated front end in one XS machine — virtual time, in-XS pins, the sim
// site (load model + ADC model) on a board definition, the ECMA-419 drivers over those pins and the
// burst sampler paced on the ADC's sample clock. Not firmware.

import { AnalogInput } from "../../../hardware/drivers/analog-input";
import { BurstSampler } from "../../../hardware/drivers/burst-sampler";
import type { AdcSpec, BoardDefinition } from "../../../hardware/board";
import simBoard from "../../../hardware/boards/sim";
import { LocalPins } from "../../../hardware/sim/pins";
import { SimSite } from "../../../hardware/sim/site";
import type { SimLoad } from "../../../hardware/sim/loads";
import { VirtualTime } from "./virtual-time";

export interface RigOptions {
  readonly board?: BoardDefinition;
  /** Replaces the board's ADC (model and calibration alike), e.g. IDEAL_ADC. */
  readonly adc?: AdcSpec;
  readonly loads?: readonly SimLoad[];
  readonly seed?: number;
  readonly noiseVolts?: number;
  readonly volts?: number;
  readonly frequencyHz?: 50 | 60;
  /** Wall clock at ticks 0 (default 2026-11-22T00:00:00Z). */
  readonly wallStart?: number;
}

export const DEFAULT_WALL = Date.UTC(2026, 10, 22, 0, 0, 0);

export function createRig(options: RigOptions = {}) {
  const base = options.board ?? simBoard;
  const board: BoardDefinition = {
    ...base,
    adc: options.adc ?? base.adc,
    mains: { ...base.mains, frequencyHz: options.frequencyHz ?? base.mains.frequencyHz },
  };
  const time = new VirtualTime(options.wallStart ?? DEFAULT_WALL);
  const ticks = () => time.ticks();
  const pins = new LocalPins({ defer: (f) => { time.set(f, 0); }, ticks });
  const site = new SimSite({
    board, pins, ticks, seed: options.seed, loads: options.loads, noiseVolts: options.noiseVolts,
    volts: options.volts, frequencyHz: options.frequencyHz,
  });
  const analogPins = board.ct.map((c) => c.pin);
  if (board.voltage) analogPins.push(board.voltage.pin);
  const inputs = analogPins.map((pin) => new AnalogInput({ sensor: { io: pins.Analog, pin }, resolution: board.adc.resolution }));
  const sampler = new BurstSampler({
    inputs, now: () => site.adc.now(), sampleRate: board.sampling.sampleRate, windowMs: board.sampling.windowMs,
  });
  return { board, time, pins, site, inputs, sampler };
}

export type Rig = ReturnType<typeof createRig>;
