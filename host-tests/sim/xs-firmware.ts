// XS side of `npm run sim` and the sim tests: runs main.ts (the firmware exactly as the device runs
// it, with the simulated-board target the manifest gives hosts) and exposes what the simulator looks
// at: the firmware's status for the live line, the relay pin writes and the load model's truth from
// the simulated hardware (not from what control reports), the override button, an orderly stop.
import Time from "time";
import { expose } from "../engine/xs/expose";
import main from "../../main";
import type { Firmware } from "../../modules/app/firmware";
import type { SimTarget } from "../../hardware/target/platform";

let firmware: Firmware | undefined;

function target(): SimTarget {
  if (!firmware) throw new Error("firmware not booted");
  return firmware.target as SimTarget;
}

expose({
  boot(): boolean {
    if (firmware) throw new Error("already booted");
    firmware = main();
    return firmware !== undefined;
  },
  /** Nothing: called metered, it measures the live heap (the engine collects garbage first). */
  live() {
    return 0;
  },
  status() {
    return firmware?.status() ?? null;
  },
  /** Relay pin writes from index `from` on (level and monotonic ms). */
  relayWrites(from: number) {
    return target().relayWrites.slice(from);
  },
  /** The simulated site now: true apparent power (kVA) of all loads, integrated truth, compressor counters. */
  site() {
    const site = target().site;
    const model = site.model;
    model.advance(Math.max(model.time, Time.ticks));
    let starts = 0;
    let shortCycles = 0;
    for (const load of model.loads as unknown as Array<{ starts?: number; shortCycles?: number }>) {
      starts += load.starts ?? 0;
      shortCycles += load.shortCycles ?? 0;
    }
    return { kva: Math.round(model.rmsAmps() * model.volts) / 1000, truthKVAh: model.truthVAh / 1000, compressorStarts: starts, shortCycles };
  },
  button(pressed: boolean) {
    target().site.button(pressed);
    return true;
  },
  async stop() {
    await firmware?.stop();
    return true;
  },
});
