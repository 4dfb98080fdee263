// Host `embedded:io/digital` (ECMA-419 Digital, Moddable constants) over the engine's simulated pins
// (Node side: sim-pins.ts). Output writes reach the registry at once; input edges from the test call
// onReadable on a later turn. A pin can be open once (a second open throws, as on the device).
import { host, onHostEvent } from "../xs/runtime";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const open = new Map<number, Digital>();

export default class Digital {
  static readonly Input = 0;
  static readonly InputPullUp = 1;
  static readonly InputPullDown = 2;
  static readonly InputPullUpDown = 3;
  static readonly Output = 8;
  static readonly OutputOpenDrain = 9;
  static readonly Rising = 1;
  static readonly Falling = 2;

  #pin: number;
  #mode: number;
  #edge: number;
  #onReadable?: (this: Digital) => void;
  #target: Any;

  constructor(options: Any) {
    const pin = options?.pin;
    const mode = options?.mode;
    if (typeof pin !== "number" || !Number.isInteger(pin) || pin < 0) throw new RangeError("Digital: invalid pin");
    if (![0, 1, 2, 3, 8, 9].includes(mode)) throw new RangeError("Digital: invalid mode");
    const output = mode >= 8;
    if (options.onReadable && output) throw new RangeError("Digital: onReadable with an output mode");
    const edge = options.edge ?? (options.onReadable ? Digital.Rising | Digital.Falling : 0);
    if (options.onReadable && !(edge & 3)) throw new RangeError("Digital: invalid edge");
    if (open.has(pin)) throw new Error(`Digital: pin ${pin} in use`);
    host("pins.open", { pin, kind: "digital", mode, edge });
    this.#pin = pin;
    this.#mode = mode;
    this.#edge = edge;
    this.#onReadable = options.onReadable;
    this.#target = options.target;
    open.set(pin, this);
  }

  get target(): Any { return this.#target; }
  set target(v: Any) { this.#target = v; }

  read(): number {
    this.#check();
    return host("pins.read", { pin: this.#pin });
  }

  write(value: number): void {
    this.#check();
    if (this.#mode < 8) throw new Error("Digital: write on an input");
    host("pins.write", { pin: this.#pin, value: value ? 1 : 0 });
  }

  close(): void {
    if (this.#pin < 0) return;
    open.delete(this.#pin);
    host("pins.close", { pin: this.#pin });
    this.#pin = -1;
  }

  #check(): void {
    if (this.#pin < 0) throw new Error("Digital: closed");
  }

  /** @internal */
  _edge(rising: boolean): void {
    if (this.#pin < 0 || !this.#onReadable) return;
    if ((rising && this.#edge & Digital.Rising) || (!rising && this.#edge & Digital.Falling)) this.#onReadable.call(this);
  }
}

onHostEvent("pins.edge", (e: Any) => {
  open.get(e.pin)?._edge(e.rising);
});
