// Host `embedded:io/analog` (ECMA-419 Analog) over the engine's simulated pins (sim-pins.ts): read()
// asks the test's source for a code at the current virtual time; each read takes virtual time
// (default 1,000 µs, Espressif's ≈1,000 one-shot reads/s with Wi-Fi on), so sampling loops see time pass.
import { clock, host, spendTime } from "../xs/runtime";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const open = new Set<number>();

export default class Analog {
  #pin: number;
  #resolution: number;

  constructor(options: Any) {
    const pin = options?.pin;
    if (typeof pin !== "number" || !Number.isInteger(pin) || pin < 0) throw new RangeError("Analog: invalid pin");
    const resolution = options.resolution ?? 10;
    if (!Number.isInteger(resolution) || resolution < 1 || resolution > 16) throw new RangeError("Analog: invalid resolution");
    if (open.has(pin)) throw new Error(`Analog: pin ${pin} in use`);
    host("pins.open", { pin, kind: "analog", resolution });
    this.#pin = pin;
    this.#resolution = resolution;
    open.add(pin);
  }

  get resolution(): number { return this.#resolution; }

  read(): number {
    if (this.#pin < 0) throw new Error("Analog: closed");
    const r = host("pins.analog", { pin: this.#pin, t: clock.ticks });
    spendTime(r.costMs);
    return r.value;
  }

  close(): void {
    if (this.#pin < 0) return;
    open.delete(this.#pin);
    host("pins.close", { pin: this.#pin });
    this.#pin = -1;
  }
}
