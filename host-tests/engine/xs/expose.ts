// Registers functions that Node-side tests call with xs.call(name, ...args). Arguments and results are
// JSON values, Uint8Array and ArrayBuffer (nested anywhere); a returned promise is awaited.
import { register } from "./runtime";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function expose(functions: Record<string, (...args: any[]) => unknown>): void {
  register(functions);
}
