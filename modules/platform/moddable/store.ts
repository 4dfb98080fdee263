// Store over Moddable's `preference` module (NVS on ESP32, a JSON file on lin; the host engine's
// file-backed version in tests), in one preference domain. Values are strings; Preference.set of one
// key is atomic on NVS. Limits (keys ≤ 15 characters, values ≤ 4,000 bytes) are checked here so an
// oversized write fails the same way on every platform.
import Preference from "preference";
import { STORE_KEY_MAX, STORE_VALUE_MAX, type Store } from "../types";

export class PreferenceStore implements Store {
  readonly #domain: string;

  constructor(options: { domain: string }) {
    if (typeof options?.domain !== "string" || options.domain.length === 0 || options.domain.length > STORE_KEY_MAX) {
      throw new RangeError(`domain: 1..${STORE_KEY_MAX} characters`);
    }
    this.#domain = options.domain;
  }

  get(key: string): string | undefined {
    const value = Preference.get(this.#domain, key);
    return typeof value === "string" ? value : undefined;
  }

  set(key: string, value: string): void {
    if (key.length === 0 || key.length > STORE_KEY_MAX) throw new RangeError(`store key "${key}": 1..${STORE_KEY_MAX} characters`);
    if (value.length > STORE_VALUE_MAX) throw new RangeError(`store value of "${key}" exceeds ${STORE_VALUE_MAX} bytes`);
    Preference.set(this.#domain, key, value);
  }

  delete(key: string): void {
    Preference.delete(this.#domain, key);
  }

  keys(): string[] {
    return Preference.keys(this.#domain);
  }
}
