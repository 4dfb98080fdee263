// XS-side hardware scenarios on in-XS pins (importable on Node with FIELD_IO_ON_NODE=1): board checks,
// the ADC model's quantisation and clipping, loads responding to relays, LED polarity. Not firmware.

import { checkBoard } from "../../hardware/board-check";
import type { BoardDefinition } from "../../hardware/board";
import { Led } from "../../hardware/drivers/led";
import { Relay } from "../../hardware/drivers/relay";
import { ESP32_ADC, IDEAL_ADC } from "../../hardware/sim/adc";
import { Compressor, ConstantLoad, Heater } from "../../hardware/sim/loads";
import { seededRandom } from "../../hardware/sim/random";
import { Meter } from "../../modules/metering/meter";
import { createRig } from "./support/rig";

function check(board: BoardDefinition) {
  return checkBoard(board);
}

/** Codes the ADC model produces for a large current: min and max over a window. */
function adcRange(c: { adc: "esp32" | "ideal"; amps: number }) {
  const rig = createRig({ adc: c.adc === "ideal" ? IDEAL_ADC : ESP32_ADC, loads: [new ConstantLoad({ amps: c.amps })] });
  const w = rig.sampler.sample();
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < w.count; k++) {
    const v = w.channels[0][k];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max, count: w.count, durationMs: w.durationMs };
}

/** Relays switch the sim loads: heater current follows relay2; compressor inrush, cycling, short cycles. */
function loads() {
  const random = seededRandom(3);
  const compressor = new Compressor({ relay: "relay1", random, ratedAmps: 8, minOffMs: 180_000, minRunMs: 120_000 });
  const heater = new Heater({ relay: "relay2", watts: 1200, volts: 100 });
  const rig = createRig({ loads: [compressor, heater] });
  const relays = rig.board.relays.map((r) => new Relay({ output: { io: rig.pins.Digital, pin: r.pin }, activeLow: r.activeLow, loadWhenDeenergized: r.loadWhenDeenergized }));
  const meter = new Meter({ adc: rig.board.adc, ct: rig.board.ct, nominalVolts: 100, capacity: rig.sampler.capacity });
  const amps = () => meter.process(rig.sampler.sample()).channels[0].amps;
  const out: Record<string, number> = {};
  out.inrush = amps();                  // compressor started at t = 0: window over the inrush
  rig.time.advance(10_000);
  out.both = amps();                    // running 8 A + heater 12 A (PF 0.85 and 1: phasor sum)
  relays[1].write(false);
  rig.time.advance(1_000);
  out.compressorOnly = amps();
  relays[0].write(false);               // cut after 11 s: below the compressor's minimum run
  rig.time.advance(1_000);
  out.none = amps();
  out.shortCyclesAfterCut = compressor.shortCycles;
  rig.time.advance(60_000);
  relays[0].write(true);                // back after 61 s: below its minimum off
  rig.time.advance(1_000);
  out.shortCyclesAfterRestore = compressor.shortCycles;
  out.starts = compressor.starts;
  rig.time.advance(600_000);
  relays[0].write(false);
  rig.time.advance(400_000);
  relays[0].write(true);                // a cycle that respects both minimums
  out.shortCyclesFinal = compressor.shortCycles;
  return out;
}

function led(c: { activeLow: boolean }) {
  const rig = createRig();
  const l = new Led({ output: { io: rig.pins.Digital, pin: 22 }, activeLow: c.activeLow });
  const levels: (number | undefined)[] = [rig.pins.digitalLevel(22)];
  l.write(true);
  levels.push(rig.pins.digitalLevel(22));
  l.write(false);
  levels.push(rig.pins.digitalLevel(22));
  l.close();
  l.close();
  return levels;
}

export const functions = { check, adcRange, loads, led };
