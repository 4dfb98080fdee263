// One ADC input (a CT or the voltage sensor) on `embedded:io/analog`: opens the pin, checks the
// resolution the platform delivers against the board's, reads one code. Leaves out: pacing and windows
// (burst-sampler.ts) and any signal processing (modules/metering/).

import { checkPin, type AnalogIo, type AnalogPort, type IoPin } from "./io";

export interface AnalogInputOptions {
  readonly sensor: IoPin<AnalogIo>;
  /** Bits per code the board definition expects (ESP32 under Moddable: 10). */
  readonly resolution: number;
}

export class AnalogInput {
  readonly pin: number;
  readonly resolution: number;
  #port: AnalogPort | undefined;

  constructor(options: AnalogInputOptions) {
    checkPin("sensor", options?.sensor);
    const { io, pin } = options.sensor;
    if (!Number.isInteger(options.resolution) || options.resolution < 6 || options.resolution > 16) throw new RangeError(`resolution must be 6–16 bits (${options.resolution})`);
    const port = new io({ pin, resolution: options.resolution });
    if (port.resolution !== options.resolution) {
      port.close?.();
      throw new RangeError(`GPIO${pin} delivers ${port.resolution}-bit codes, the board says ${options.resolution}`);
    }
    this.pin = pin;
    this.resolution = options.resolution;
    this.#port = port;
  }

  read(): number {
    const port = this.#port;
    if (!port) throw new Error(`analog input GPIO${this.pin} closed`);
    return port.read();
  }

  close(): void {
    const port = this.#port;
    this.#port = undefined;
    port?.close?.();
  }
}
