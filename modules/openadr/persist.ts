// The VEN's persistent records over the injected Store: versioned single-key records, and collections
// of records too large for one NVS value (events), split into parts and published by one atomic write
// of an index key, so a power loss leaves the old or the new version, never a mix. A corrupt or
// foreign-version record is logged, deleted and reported as absent (callers fall back to safe defaults).
// Leaves out: wear levelling (NVS does it) and encryption at rest.
import type { Log, Store } from "../platform/types";
import { STORE_VALUE_MAX } from "../platform/types";

/** Bytes of the UTF-8 encoding of `s`, without allocating. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

interface Envelope {
  v: number;
  d: unknown;
}

interface IndexEntry {
  /** Slot number: parts live at `<prefix><slot>_<part>`. */
  s: number;
  /** Number of parts. */
  n: number;
}

interface CollectionIndex {
  v: number;
  items: Record<string, IndexEntry>;
}

const PART_CHARS = 1300; // ≤ 3,900 bytes even when every character takes 3 bytes

export class RecordStore {
  readonly #store: Store;
  readonly #log: Log;

  constructor(store: Store, log: Log) {
    this.#store = store;
    this.#log = log;
  }

  /** A versioned record, or undefined when absent, unreadable, of another version, or rejected by `check`. */
  read<T>(key: string, version: number, check: (data: unknown) => data is T): T | undefined {
    let text: string | undefined;
    try {
      text = this.#store.get(key);
    } catch (error) {
      this.#log("error", "store", "read failed", { key, error: String(error) });
      return undefined;
    }
    if (text === undefined) return undefined;
    let envelope: Envelope | undefined;
    try {
      envelope = JSON.parse(text) as Envelope;
    } catch {
      envelope = undefined;
    }
    if (!envelope || typeof envelope !== "object" || envelope.v !== version || !check(envelope.d)) {
      this.#log("warn", "store", "discarding unreadable record", { key, version: envelope?.v, expected: version });
      this.delete(key);
      return undefined;
    }
    return envelope.d;
  }

  /** Writes a versioned record in one atomic set. Throws RangeError when it exceeds one value. */
  write(key: string, version: number, data: unknown): void {
    const text = JSON.stringify({ v: version, d: data });
    if (utf8Length(text) > STORE_VALUE_MAX) throw new RangeError(`record ${key} is ${utf8Length(text)} bytes (max ${STORE_VALUE_MAX})`);
    this.#store.set(key, text);
  }

  delete(key: string): void {
    try {
      this.#store.delete(key);
    } catch (error) {
      this.#log("warn", "store", "delete failed", { key, error: String(error) });
    }
  }

  // ---- collections ------------------------------------------------------------------------------

  /**
   * The newest readable index of a collection. Two keys (`<prefix>Ia`, `<prefix>Ib`) take turns, each
   * with a generation number: a set that fails half way (NVS erases the key first) loses only the
   * copy being written, and the other still describes a complete collection.
   */
  #index(prefix: string): CollectionIndex & { g: number; key: string } {
    let best: (CollectionIndex & { g: number; key: string }) | undefined;
    for (const suffix of ["Ia", "Ib"]) {
      const key = prefix + suffix;
      let text: string | undefined;
      try {
        text = this.#store.get(key);
      } catch {
        text = undefined;
      }
      if (text === undefined) continue;
      let parsed: { v?: unknown; g?: unknown; items?: unknown } | undefined;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      if (!parsed || parsed.v !== 1 || typeof parsed.g !== "number" || typeof parsed.items !== "object" || parsed.items === null) {
        this.#log("warn", "store", "discarding unreadable collection index", { key });
        continue;
      }
      if (!best || parsed.g > best.g) best = { v: 1, g: parsed.g, items: parsed.items as Record<string, IndexEntry>, key };
    }
    return best ?? { v: 1, g: 0, items: {}, key: prefix + "Ib" };
  }

  #writeIndex(prefix: string, current: { g: number; key: string }, items: Record<string, IndexEntry>): void {
    const key = current.key === prefix + "Ia" ? prefix + "Ib" : prefix + "Ia";
    const text = JSON.stringify({ v: 1, g: current.g + 1, items });
    if (utf8Length(text) > STORE_VALUE_MAX) throw new RangeError(`collection index ${prefix} too large`);
    this.#store.set(key, text);
    current.g++;
    current.key = key;
  }

  /**
   * Every item of a collection (id → data). Items whose parts are missing or do not parse are dropped
   * and logged; parts no index entry refers to (left by a power loss mid-write) are deleted.
   */
  readCollection<T>(prefix: string, version: number, check: (data: unknown) => data is T): Map<string, T> {
    const index = this.#index(prefix);
    const out = new Map<string, T>();
    const live = new Set<string>();
    let dropped = false;
    for (const id of Object.keys(index.items)) {
      const entry = index.items[id]!;
      let text = "";
      let complete = typeof entry.s === "number" && typeof entry.n === "number";
      for (let part = 0; complete && part < entry.n; part++) {
        const piece = this.#store.get(`${prefix}${entry.s}_${part}`);
        if (piece === undefined) complete = false;
        else text += piece;
      }
      let envelope: Envelope | undefined;
      if (complete) {
        try {
          envelope = JSON.parse(text) as Envelope;
        } catch {
          envelope = undefined;
        }
      }
      if (!envelope || envelope.v !== version || !check(envelope.d)) {
        this.#log("warn", "store", "discarding unreadable collection item", { collection: prefix, id });
        delete index.items[id];
        dropped = true;
        continue;
      }
      out.set(id, envelope.d);
      for (let part = 0; part < entry.n; part++) live.add(`${prefix}${entry.s}_${part}`);
    }
    if (dropped) this.#writeIndex(prefix, index, index.items);
    // Orphaned parts: keys of this collection's part shape that the index does not use.
    let keys: string[] = [];
    try {
      keys = this.#store.keys();
    } catch {
      keys = [];
    }
    for (const key of keys) {
      if (key.startsWith(prefix) && isPartKey(key, prefix.length) && !live.has(key)) this.delete(key);
    }
    return out;
  }

  /** Writes (adds or replaces) one item: parts to a fresh slot, then the index, then the old parts go. */
  writeItem(prefix: string, version: number, id: string, data: unknown): void {
    const index = this.#index(prefix);
    const text = JSON.stringify({ v: version, d: data });
    // A fresh slot, not used by the newest index (the copy that stays valid if this write fails).
    const used = new Set<number>();
    for (const key of Object.keys(index.items)) used.add(index.items[key]!.s);
    let slot = 0;
    while (used.has(slot)) slot++;
    const parts = Math.max(1, Math.ceil(text.length / PART_CHARS));
    for (let part = 0; part < parts; part++) this.#store.set(`${prefix}${slot}_${part}`, text.slice(part * PART_CHARS, (part + 1) * PART_CHARS));
    const previous = index.items[id];
    index.items[id] = { s: slot, n: parts };
    this.#writeIndex(prefix, index, index.items);
    if (previous) for (let part = 0; part < previous.n; part++) this.delete(`${prefix}${previous.s}_${part}`);
  }

  deleteItem(prefix: string, id: string): void {
    const index = this.#index(prefix);
    const previous = index.items[id];
    if (!previous) return;
    delete index.items[id];
    this.#writeIndex(prefix, index, index.items);
    for (let part = 0; part < previous.n; part++) this.delete(`${prefix}${previous.s}_${part}`);
  }

  clearCollection(prefix: string): void {
    const index = this.#index(prefix);
    const items = index.items;
    this.#writeIndex(prefix, index, {});
    for (const id of Object.keys(items)) {
      const entry = items[id]!;
      for (let part = 0; part < entry.n; part++) this.delete(`${prefix}${entry.s}_${part}`);
    }
  }
}

/** `<prefix><digits>_<digits>` */
function isPartKey(key: string, from: number): boolean {
  let i = from;
  let digits = 0;
  while (i < key.length && key.charCodeAt(i) >= 48 && key.charCodeAt(i) <= 57) {
    i++;
    digits++;
  }
  if (!digits || key.charCodeAt(i) !== 95) return false;
  i++;
  digits = 0;
  while (i < key.length && key.charCodeAt(i) >= 48 && key.charCodeAt(i) <= 57) {
    i++;
    digits++;
  }
  return digits > 0 && i === key.length;
}
