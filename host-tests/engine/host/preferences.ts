// Node side of the host `preference` module: an ESP32 NVS model backed by files under storeDir
// (<domain>/<key>.json, each written to a temp file and renamed, so one set is atomic on the host).
// Limits as NVS: domain and key 1..15 characters, strings ≤ 3,999 UTF-8 bytes (4,000 with the NUL),
// a total capacity (default 20,160 B ≈ five 4 KB pages of 126 × 32-byte entries; a string or blob
// costs one entry plus ceil(bytes/32)). Moddable's ESP32 Preference.set erases the key before writing
// it, so a failed set (too long, store full) leaves the key absent — modelled here.
// Power-loss injection: failWrite(n, mode) makes the n-th write from now fail.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PowerLoss } from "../worker.ts";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export type PrefType = "boolean" | "integer" | "string" | "buffer";
export interface PrefEntry { type: PrefType; value: boolean | number | string | Uint8Array }

/**
 * - "torn": power is lost during the write; the key keeps its old value; the worker dies.
 * - "erased": power is lost after Moddable's erase, before the write; the key is absent; the worker dies.
 * - "error": the flash write fails (the key is erased, as Moddable does, and set throws "nvs set fail"); the worker lives.
 * - "powerloss-after": the write lands, then power is lost before XS continues.
 */
export type WriteFault = "torn" | "erased" | "error" | "powerloss-after";

export const NVS_NAME_MAX = 15;
export const NVS_STRING_MAX = 3999;
export const NVS_CAPACITY = 20_160;

const encoder = new TextEncoder();
const SAFE = /^[A-Za-z0-9_.-]+$/;

function entryCost(e: PrefEntry): number {
  if (e.type === "string") return 32 * (1 + Math.ceil((encoder.encode(e.value as string).length + 1) / 32));
  if (e.type === "buffer") return 32 * (1 + Math.ceil((e.value as Uint8Array).length / 32));
  return 32;
}

function fileName(name: string): string {
  // keys may hold characters that are not safe in file names
  return SAFE.test(name) ? name : `~${Buffer.from(name, "utf8").toString("hex")}`;
}

function fromFileName(file: string): string {
  return file.startsWith("~") ? Buffer.from(file.slice(1), "hex").toString("utf8") : file;
}

export class Preferences {
  readonly dir: string;
  /** Approximate NVS capacity in bytes (all domains). */
  capacity = NVS_CAPACITY;
  /** Writes (set and delete) since start, over all boots. */
  writes = 0;
  #faults: { at: number; mode: WriteFault }[] = [];
  #costs: Map<string, number> | undefined;

  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
  }

  /** The n-th write from now (1 = the next one) fails as `mode`. */
  failWrite(n: number, mode: WriteFault = "torn"): void {
    if (!(n >= 1)) throw new RangeError("failWrite: n ≥ 1");
    this.#faults.push({ at: this.writes + n, mode });
  }

  clearFaults(): void { this.#faults = []; }

  #file(domain: string, key: string): string {
    return path.join(this.dir, fileName(domain), `${fileName(key)}.json`);
  }

  /** Reads an entry (tests). */
  read(domain: string, key: string): PrefEntry | undefined {
    const file = this.#file(domain, key);
    if (!existsSync(file)) return undefined;
    const raw = JSON.parse(readFileSync(file, "utf8"));
    return raw.type === "buffer" ? { type: "buffer", value: new Uint8Array(Buffer.from(raw.value, "base64")) } : raw;
  }

  /** Writes an entry directly (tests; no limits, no fault injection). */
  write(domain: string, key: string, entry: PrefEntry | undefined): void {
    const file = this.#file(domain, key);
    this.#costs?.delete(file);
    if (!entry) { rmSync(file, { force: true }); return; }
    this.#costs?.set(file, entryCost(entry));
    mkdirSync(path.dirname(file), { recursive: true });
    const raw = entry.type === "buffer" ? { type: "buffer", value: Buffer.from(entry.value as Uint8Array).toString("base64") } : entry;
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(raw));
    renameSync(tmp, file);
  }

  keys(domain: string): string[] {
    const dir = path.join(this.dir, fileName(domain));
    if (!existsSync(dir)) return [];
    return readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => fromFileName(f.slice(0, -5))).sort();
  }

  /** Bytes used (approximate NVS accounting). */
  used(): number {
    if (!this.#costs) {
      this.#costs = new Map();
      for (const d of existsSync(this.dir) ? readdirSync(this.dir) : []) {
        const domain = fromFileName(d);
        for (const k of this.keys(domain)) { const e = this.read(domain, k); if (e) this.#costs.set(this.#file(domain, k), entryCost(e)); }
      }
    }
    let total = 0;
    for (const c of this.#costs.values()) total += c;
    return total;
  }

  #takeFault(): WriteFault | undefined {
    this.writes++;
    const i = this.#faults.findIndex((f) => f.at === this.writes);
    if (i < 0) return undefined;
    return this.#faults.splice(i, 1)[0].mode;
  }

  static #checkName(what: string, name: string): void {
    if (name.length === 0 || name.length > NVS_NAME_MAX) throw new Error(`nvs ${what} "${name}": 1..${NVS_NAME_MAX} characters`);
  }

  handlers(): Record<string, (m: Any) => unknown> {
    return {
      "pref.get": (m) => {
        const e = this.read(m.domain, m.key);
        return e ?? null;
      },
      "pref.keys": (m) => this.keys(m.domain),
      "pref.delete": (m) => {
        Preferences.#checkName("domain", m.domain);
        const fault = this.#takeFault();
        if (fault === "torn") throw new PowerLoss(`power lost during Preference.delete(${m.domain}, ${m.key})`);
        this.write(m.domain, m.key, undefined);
        if (fault === "erased" || fault === "powerloss-after") throw new PowerLoss(`power lost after Preference.delete(${m.domain}, ${m.key})`);
        if (fault === "error") throw new Error("nvs erase fail");
        return null;
      },
      "pref.set": (m) => {
        Preferences.#checkName("domain", m.domain);
        Preferences.#checkName("key", m.key);
        const entry: PrefEntry = { type: m.type, value: m.value };
        const fault = this.#takeFault();
        if (fault === "torn") throw new PowerLoss(`power lost during Preference.set(${m.domain}, ${m.key}): old value kept`);
        // Moddable ESP32: nvs_erase_key, then nvs_set_*
        const old = this.read(m.domain, m.key);
        this.write(m.domain, m.key, undefined);
        if (fault === "erased") throw new PowerLoss(`power lost during Preference.set(${m.domain}, ${m.key}): key erased`);
        if (fault === "error") throw new Error("nvs set fail");
        if (entry.type === "string" && encoder.encode(entry.value as string).length > NVS_STRING_MAX) {
          throw new Error(`nvs set fail (string value of ${m.domain}/${m.key} longer than ${NVS_STRING_MAX} bytes; the key is now absent)`);
        }
        const used = this.used();
        if (used + entryCost(entry) > this.capacity) {
          throw new Error(`nvs set fail (store full: ${used} + ${entryCost(entry)} > ${this.capacity} bytes; the key is now absent)`);
        }
        void old;
        this.write(m.domain, m.key, entry);
        if (fault === "powerloss-after") throw new PowerLoss(`power lost after Preference.set(${m.domain}, ${m.key})`);
        return null;
      },
    };
  }
}
