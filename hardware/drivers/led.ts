// Status LED on `embedded:io/digital`: on/off with the board's polarity, off at construction.
// Leaves out: blink patterns (status-led.ts drives this from a scheduler).

import { checkPin, type DigitalIo, type DigitalPort, type IoPin } from "./io";

export interface LedOptions {
  readonly output: IoPin<DigitalIo>;
  readonly activeLow: boolean;
}

export class Led {
  #port: DigitalPort | undefined;
  #activeLow: boolean;
  #on = false;

  constructor(options: LedOptions) {
    checkPin("output", options?.output);
    if (typeof options.activeLow !== "boolean") throw new TypeError("activeLow must be a boolean");
    this.#activeLow = options.activeLow;
    const { io, pin } = options.output;
    const port = new io({ pin, mode: io.Output });
    port.write(this.#activeLow ? 1 : 0);
    this.#port = port;
  }

  write(on: boolean): void {
    if (!this.#port) return;
    this.#port.write(on !== this.#activeLow ? 1 : 0);
    this.#on = on;
  }

  read(): boolean { return this.#on; }

  close(): void {
    const port = this.#port;
    if (!port) return;
    this.#port = undefined;
    port.write(this.#activeLow ? 1 : 0);
    port.close();
  }
}
