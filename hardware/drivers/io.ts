// The slice of ECMA-419 `embedded:io/digital` and `embedded:io/analog` the drivers use, typed
// structurally so that Moddable's classes (on the device) and the host engine's simulated pins (in
// tests) both fit. Drivers receive the class through `io` (ECMA-419 pattern) and never import it.

export interface DigitalPort {
  read(): number;
  write(value: 0 | 1): void;
  close(): void;
}

/** `embedded:io/digital`'s class. The constructor's options are Moddable's (pin, mode, edge, onReadable). */
export interface DigitalIo {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  new (options: any): DigitalPort;
  readonly Input: unknown;
  readonly InputPullUp: unknown;
  readonly InputPullDown: unknown;
  readonly Output: unknown;
  readonly Rising: number;
  readonly Falling: number;
}

export interface AnalogPort {
  read(): number;
  readonly resolution: number;
  close?(): void;
}

/** `embedded:io/analog`'s class. */
export interface AnalogIo {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  new (options: any): AnalogPort;
}

/** ECMA-419 peripheral specifier: the io class and the pin from the board definition. */
export interface IoPin<Io> {
  readonly io: Io;
  readonly pin: number;
}

export function checkPin(name: string, spec: IoPin<unknown> | undefined): void {
  if (!spec || typeof spec !== "object") throw new TypeError(`${name} is required ({io, pin})`);
  if (typeof spec.io !== "function") throw new TypeError(`${name}.io must be an ECMA-419 io class`);
  if (!Number.isInteger(spec.pin) || spec.pin < 0) throw new RangeError(`${name}.pin must be a GPIO number (${spec.pin})`);
}
