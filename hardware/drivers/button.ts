// Push button on `embedded:io/digital` with edge callbacks: reports a press on release with how long it
// was held, ignoring contact bounce (presses shorter than `debounceMs`). No timer: times come from the
// injected monotonic clock at each edge. Callbacks run from the pin's onReadable, never from a method.
// Leaves out: what a press means (control/relay-controller.ts: override; main.ts wires it).

import { checkPin, type DigitalIo, type DigitalPort, type IoPin } from "./io";

export interface ButtonOptions {
  readonly input: IoPin<DigitalIo>;
  readonly pull: "up" | "down" | "none";
  /** Level while pressed. */
  readonly activeLevel: 0 | 1;
  /** Monotonic milliseconds (Clock.ticks). */
  readonly ticks: () => number;
  /** Shorter presses are bounce (default 30 ms). */
  readonly debounceMs?: number;
  /** Presses at least this long are long presses (default 3,000 ms). */
  readonly longPressMs?: number;
  /** A short press ended. */
  readonly onPress?: (heldMs: number) => void;
  /** A long press ended. */
  readonly onLongPress?: (heldMs: number) => void;
}

export class Button {
  #port: DigitalPort | undefined;
  #activeLevel: 0 | 1;
  #ticks: () => number;
  #debounce: number;
  #long: number;
  #onPress: ButtonOptions["onPress"];
  #onLongPress: ButtonOptions["onLongPress"];
  #pressedAt: number | undefined;
  /** Time of a release too short after its press to count (bounce or glitch). */
  #bouncedAt: number | undefined;

  constructor(options: ButtonOptions) {
    checkPin("input", options?.input);
    if (options.activeLevel !== 0 && options.activeLevel !== 1) throw new RangeError("activeLevel must be 0 or 1");
    if (options.pull !== "up" && options.pull !== "down" && options.pull !== "none") throw new RangeError(`pull must be "up", "down" or "none"`);
    if (typeof options.ticks !== "function") throw new TypeError("ticks is required");
    const debounce = options.debounceMs ?? 30;
    const long = options.longPressMs ?? 3_000;
    if (!(debounce >= 0 && long > debounce)) throw new RangeError("need 0 ≤ debounceMs < longPressMs");
    this.#activeLevel = options.activeLevel;
    this.#ticks = options.ticks;
    this.#debounce = debounce;
    this.#long = long;
    this.#onPress = options.onPress;
    this.#onLongPress = options.onLongPress;
    const { io, pin } = options.input;
    const mode = options.pull === "up" ? io.InputPullUp : options.pull === "down" ? io.InputPullDown : io.Input;
    const self = this;
    this.#port = new io({
      pin, mode, edge: io.Rising | io.Falling,
      onReadable() { self.#edge(); },
    });
    if (this.pressed) this.#pressedAt = this.#ticks();
  }

  /** Level says pressed now. */
  get pressed(): boolean {
    return this.#port !== undefined && this.#port.read() === this.#activeLevel;
  }

  close(): void {
    const port = this.#port;
    if (!port) return;
    this.#port = undefined;
    port.close();
  }

  #edge(): void {
    const port = this.#port;
    if (!port) return;
    const now = this.#ticks();
    if (port.read() === this.#activeLevel) {
      // A new press, unless this edge is contact bounce right after the press began.
      const bounced = this.#bouncedAt;
      if (this.#pressedAt === undefined || (bounced !== undefined && now - bounced >= this.#debounce)) this.#pressedAt = now;
      this.#bouncedAt = undefined;
      return;
    }
    const at = this.#pressedAt;
    if (at === undefined) return;
    const held = now - at;
    if (held < this.#debounce) {
      this.#bouncedAt = now; // bounce or glitch: keep the press start until a release holds
      return;
    }
    this.#pressedAt = undefined;
    this.#bouncedAt = undefined;
    if (held >= this.#long) this.#onLongPress?.(held);
    else this.#onPress?.(held);
  }
}
