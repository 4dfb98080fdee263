// Relay output on `embedded:io/digital`. Speaks in load terms (write(true) = load supplied) and maps
// them through the board's wiring (load on the normally-closed or normally-open contact) and the
// module's polarity (active-low or active-high input) to a pin level. The constructor forces the
// de-energised level at once — Moddable ignores `initialValue` — which is what the coil had while the
// controller was dead or booting, so construction never switches the load (with fail-normal wiring
// the load is on). Leaves out: any timing or safety policy (modules/control/).

import { checkPin, type DigitalIo, type DigitalPort, type IoPin } from "./io";

export interface RelayOptions {
  readonly output: IoPin<DigitalIo>;
  /** Coil energised at pin level 0. */
  readonly activeLow: boolean;
  /** What the load does with the coil de-energised ("on" = fail-normal wiring). */
  readonly loadWhenDeenergized: "on" | "off";
}

export class Relay {
  readonly loadWhenDeenergized: "on" | "off";
  #port: DigitalPort | undefined;
  #activeLow: boolean;
  #energized = false;

  constructor(options: RelayOptions) {
    checkPin("output", options?.output);
    if (typeof options.activeLow !== "boolean") throw new TypeError("activeLow must be a boolean");
    if (options.loadWhenDeenergized !== "on" && options.loadWhenDeenergized !== "off") throw new TypeError(`loadWhenDeenergized must be "on" or "off"`);
    this.#activeLow = options.activeLow;
    this.loadWhenDeenergized = options.loadWhenDeenergized;
    const { io, pin } = options.output;
    const port = new io({ pin, mode: io.Output });
    port.write(this.#level(false));
    this.#port = port;
  }

  /** Supplies (true) or cuts (false) the load. Throws if closed or if the port fails. */
  write(loadOn: boolean): void {
    const port = this.#port;
    if (!port) throw new Error("relay closed");
    const energized = loadOn !== (this.loadWhenDeenergized === "on");
    port.write(this.#level(energized));
    this.#energized = energized;
  }

  /** The load state last written (true = supplied). */
  read(): boolean {
    return this.#energized !== (this.loadWhenDeenergized === "on");
  }

  get energized(): boolean { return this.#energized; }

  /** De-energises the coil and releases the pin. Idempotent. */
  close(): void {
    const port = this.#port;
    if (!port) return;
    this.#port = undefined;
    try {
      port.write(this.#level(false));
    } finally {
      this.#energized = false;
      port.close();
    }
  }

  #level(energized: boolean): 0 | 1 {
    return energized !== this.#activeLow ? 1 : 0;
  }
}
