// The target for hosts (the XS host engine: tests and `npm run sim`) and for lin/mcsim, which have no
// GPIO or ADC: the simulated board (hardware/boards/sim) on in-XS simulated pins, with the sim site
// (load model + ESP32 ADC model) behind them, and no network bring-up (the host's network and clock
// are up already). The manifest maps this module name to hardware/target/esp32 on the device.
//
// The pins and the site are built when this module loads, not when main() runs: they stand for
// hardware, which on a device holds no XS memory, so they must not count against the firmware's heap
// (the host engine's memory baseline is taken once the bundle has loaded). Not for preload: the module
// body uses the timer and time modules.
// Relay pin writes are kept (level, monotonic ms) so a simulator can check the safety rules from what
// the pins did rather than from what control says it did.
// Leaves out: Wi-Fi and SNTP (esp32.ts).

import Time from "time";
import Timer from "timer";
import type { NetworkOptions, Target } from "../../modules/app/firmware";
import type { Clock, Scheduler } from "../../modules/platform/types";
import board from "../boards/sim";
import { LocalPins } from "../sim/pins";
import { SimSite } from "../sim/site";

export interface PinWrite {
  readonly pin: number;
  readonly level: number;
  /** Monotonic ms (Clock.ticks) of the write. */
  readonly ticks: number;
}

export interface SimTarget extends Target {
  readonly pins: LocalPins;
  readonly site: SimSite;
  /** Relay pin writes since boot, in order. */
  readonly relayWrites: PinWrite[];
}

export interface TargetPlatform {
  readonly clock: Clock;
  readonly scheduler: Scheduler;
}

const ticks = () => Time.ticks;
const pins = new LocalPins({ defer: (f) => { Timer.set(f, 0); }, ticks });
const relayWrites: PinWrite[] = [];
for (const relay of board.relays) {
  const pin = relay.pin;
  pins.onDigitalWrite(pin, (level, at) => { relayWrites.push({ pin, level, ticks: at ?? ticks() }); });
}
const site = new SimSite({ board, pins, ticks, seed: 1 });

const target: SimTarget = {
  name: "sim",
  board,
  digital: pins.Digital,
  analog: pins.Analog,
  sampleClock: () => site.adc.now(),
  network(options: NetworkOptions) {
    options.onOnline(true);
  },
  pins,
  site,
  relayWrites,
};

/** The simulated platform (one per machine: the pins and the site are built at load). */
export default function createTarget(_platform: TargetPlatform): SimTarget {
  return target;
}
