// The CIOF outbox: a persistent FIFO of trade-data messages and service records on the Store, and the
// one place that decides CIOF retries (back-off with jitter on network errors, timeouts, 502, 503;
// bounded retries on other 5xx; dead letter plus an error service record on 400/422/other 4xx; a stop
// on 401). It also carries the latest-wins status PUTs and gates the controller's reads.
//
// Storage layout (keys ≤ 15 chars, values ≤ 4,000 bytes, one `set` is atomic):
//   <p>_a, <p>_b   meta, written alternately, last in every commit: head/tail positions, the serial of
//                  the tail segment, the head's progress (message sent → record pending), counters and
//                  the producers' cursors. `<checksum> <json>`; the valid one with the higher `g` wins.
//   <p>0 … <p>N-1  a ring of N segments: "S<serial>\n" then one record per line, `<checksum><json>`.
//   <p>_d          dead letters: count and the last few, bounded.
// A commit writes the changed segment(s) first and the meta last, so a power cut anywhere leaves the
// previous meta describing intact data; lines past the meta's tail count, or rows past its tail-row
// count (coalescing), are rolled back on load. Serials catch a stale segment; checksums a damaged line.
//
// States of the link: idle → sending → idle | backoff(timer) → sending …; unauthorized (401) is sticky
// until resume(); closed is final. One request in flight; statuses go before queued records.
//
// Full ring: the oldest segment (≈ segmentBytes of the oldest records) is dropped, counted in `lost`,
// logged and reported in the status remarks. See README.md for why drop-oldest rather than refuse-new.

import type { Clock, Log, Random, Scheduler, Store, TimerHandle } from "../platform/types";
import { STORE_KEY_MAX, STORE_VALUE_MAX, TransportError } from "../platform/types";
import type { RecordEventType, ServiceRecord } from "./types";
import { CiofHttp, CiofBodyError, defined, truncate } from "./http";
import type { CiofResponse } from "./http";
import { encodeMessage, encodeServiceRecord, decodePostedMessageId, decodeServiceRecords, serviceRecordQuery, PATHS } from "./wire";
import { utf8Length } from "./utf8";
import { JST_OFFSET_MINUTES } from "./time";

// ---------------------------------------------------------------------------------------------
// Stored entries (compact keys: every byte is NVS)

/** Service record fields without data_id (a message's own record gets the id once it is sent). */
interface Template {
  t: RecordEventType; ts: number;
  si?: string; sl?: string; pi?: string; pl?: string; ei?: string; el?: string;
  re?: string; n?: string;
  /** data_id for a standalone record. */
  d?: string;
}
interface MessageEntry { k: "m"; i: string; c: string; q?: string; r: string[][]; x?: Template; mx?: number }
interface RecordEntry { k: "r"; i: string; x: Template }
type Entry = MessageEntry | RecordEntry;

interface Meta {
  v: 1; g: number; seq: number;
  hs: number; ho: number; ts: number; tn: number; tr: number; ser: number;
  st: 0 | 1; did: string;
  /** Per segment, which of its two keys holds the committed copy ("0": <p><i>, "1": <p><i>x). */
  fl: string;
  lost: number; cor: number; dl: number; sent: number;
  cur: Record<string, number>;
}

export interface MessageInput {
  readonly kind: "message";
  /** Explicit id (e.g. derived from a request_parameter_id); default: idPrefix + "-" + sequence. */
  readonly id?: string;
  readonly contractId: string;
  readonly requestParameterId?: string;
  readonly rows: readonly (readonly string[])[];
  /** The service record that follows the message (data_id = the message id the terminal confirms). */
  readonly record?: Omit<ServiceRecord, "dataId">;
  /** Later rows of the same contract may join this message while it waits, up to this many (default 1 = never). */
  readonly maxRows?: number;
}
export interface RecordInput { readonly kind: "record"; readonly record: ServiceRecord }
export type OutboxInput = MessageInput | RecordInput;

export type LinkState = "idle" | "sending" | "backoff" | "unauthorized" | "closed";

export interface OutboxState {
  readonly link: LinkState;
  /** Records waiting (messages and service records). */
  readonly queued: number;
  readonly usedBytes: number;
  readonly capacityBytes: number;
  /** Trade rows (and standalone service records) dropped by the full-ring policy since the store was created. */
  readonly lost: number;
  /** Damaged lines or segments skipped since the store was created. */
  readonly corrupt: number;
  readonly deadLetters: number;
  /** Records delivered since the store was created. */
  readonly delivered: number;
  readonly attempts: number;
  /** Monotonic ticks of the next attempt while in back-off. */
  readonly retryAt?: number;
  readonly lastStatus?: number;
  readonly lastError?: string;
}

export interface OutboxOptions {
  store: Store;
  http: CiofHttp;
  clock: Clock;
  scheduler: Scheduler;
  random: Random;
  log: Log;
  /** Prefix of generated message ids: unique per device (e.g. its serial). [A-Za-z0-9_.-]{1,32}. */
  idPrefix: string;
  /** Store key prefix, 1–4 characters [A-Za-z0-9] (default "cq"). */
  keyPrefix?: string;
  /** Segments in the ring, 2–64 (default 4). */
  segments?: number;
  /** Bytes per segment value, 512–3,999 (default 1,536; NVS counts a NUL in its 4,000). Budget: segments ×
   *  segmentBytes, plus one segment transiently while a rewrite commits. */
  segmentBytes?: number;
  /** UTC offset for service record timestamps (default 540, JST). */
  offsetMinutes?: number;
  /** First back-off delay (default 2 s), ceiling (default 300 s), jitter fraction 0–1 (default 0.5). */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  backoffJitter?: number;
  /** Attempts for 500/504/429 and other 5xx before the record is dead-lettered (default 5). 502/503 retry forever. */
  maxServerErrorAttempts?: number;
  /** Called on a later turn after any change of OutboxState. */
  onChange?: (state: OutboxState) => void;
  /** Called when a record has been delivered (message: after its service record, if any). */
  onDelivered?: (id: string, kind: "message" | "record") => void;
  /** Called with the outcome of a status PUT (2xx or the final error status). */
  onStatusResult?: (key: string, status: number, body: string) => void;
}

const DEAD_LETTERS_KEPT = 4;

/** FNV-1a over the string's code points, as 8 hex digits, and its UTF-8 length: one sequential pass. */
let measured = 0;
function checksum(s: string): string {
  // Detects torn or damaged lines, not tampering.
  let h = 0x811c9dc5;
  let bytes = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    h ^= c & 0xff;
    h = Math.imul(h, 0x01000193);
    if (c > 0xff) { h ^= (c >>> 8) & 0xff; h = Math.imul(h, 0x01000193); }
    if (c > 0xffff) { h ^= c >>> 16; h = Math.imul(h, 0x01000193); }
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  measured = bytes;
  return ("0000000" + (h >>> 0).toString(16)).slice(-8);
}
function seal(json: string): string { return checksum(json) + json; }
/** Bytes of the line `seal` made last (8 hex digits + the JSON). */
function sealedBytes(): number { return measured + 8; }
function unseal(line: string): string | undefined {
  if (line.length < 9) return undefined;
  const json = line.slice(8);
  return checksum(json) === line.slice(0, 8) ? json : undefined;
}

/** Classes of outcome, in the order the policy checks them. */
type Outcome = "ok" | "retry" | "retry-bounded" | "unauthorized" | "reject";
function classifyStatus(status: number): Outcome {
  if (status >= 200 && status < 300) return "ok";
  if (status === 502 || status === 503) return "retry";
  if (status === 401) return "unauthorized";
  if (status >= 500 || status === 429 || status === 408) return "retry-bounded";
  return "reject";
}

export class Outbox {
  readonly #store: Store;
  readonly #http: CiofHttp;
  readonly #clock: Clock;
  readonly #scheduler: Scheduler;
  readonly #random: Random;
  readonly #log: Log;
  readonly #idPrefix: string;
  readonly #p: string;
  readonly #n: number;
  readonly #segBytes: number;
  readonly #offset: number;
  readonly #bInit: number;
  readonly #bMax: number;
  readonly #bJitter: number;
  readonly #maxServer: number;
  readonly #onChange?: (s: OutboxState) => void;
  readonly #onDelivered?: (id: string, kind: "message" | "record") => void;
  readonly #onStatusResult?: (key: string, status: number, body: string) => void;

  #meta!: Meta;
  #loaded = false;
  /** The tail segment's lines; undefined once every record in it was delivered (the queue is empty):
   *  they are then only needed to rewrite the segment at the next enqueue, which reads them back from
   *  the store, so the device does not hold up to a segment of delivered records between enqueues. */
  #tailLines: string[] | undefined = [];
  #tailBytes = 0;
  #headLines: string[] = [];
  #count = 0;
  #used = 0;
  #headEpoch = 0;
  #headCache: { epoch: number; entry: Entry | undefined } | undefined;
  #uncertain = false;
  /** The last tail line with its byte length, and parsed while later rows may still join it (coalescing
   *  without re-reading it); the parsed entry (its rows, its record) is let go once it cannot take more,
   *  or once the head reaches it. */
  #tailLast: TailLast | undefined;

  #link: LinkState = "idle";
  #timer: TimerHandle | undefined;
  #attempts = 0;
  /** 500/504/429 answers to the current head record (bounded separately from network failures). */
  #serverErrors = 0;
  #retryAt: number | undefined;
  #lastStatus: number | undefined;
  #lastError: string | undefined;
  readonly #statuses = new Map<string, { path: string; body: unknown; version: number }>();
  #statusVersion = 0;
  #changeQueued = false;
  #waiters: { resolve(done: boolean): void; timer?: TimerHandle }[] = [];

  constructor(options: OutboxOptions) {
    if (!options || typeof options !== "object") throw new TypeError("Outbox: options required");
    for (const k of ["store", "http", "clock", "scheduler", "random", "log"] as const) if (!options[k]) throw new TypeError("Outbox: " + k + " required");
    if (typeof options.idPrefix !== "string" || !/^[A-Za-z0-9_.-]{1,32}$/.test(options.idPrefix)) throw new RangeError("Outbox: idPrefix must be 1–32 of [A-Za-z0-9_.-]");
    const o = {
      keyPrefix: "cq", segments: 4, segmentBytes: 1536, offsetMinutes: JST_OFFSET_MINUTES,
      backoffInitialMs: 2000, backoffMaxMs: 300_000, backoffJitter: 0.5, maxServerErrorAttempts: 5, ...defined(options),
    };
    if (!/^[A-Za-z0-9]{1,4}$/.test(o.keyPrefix)) throw new RangeError("Outbox: keyPrefix must be 1–4 of [A-Za-z0-9]");
    if (!(Number.isInteger(o.segments) && o.segments >= 2 && o.segments <= 64)) throw new RangeError("Outbox: segments must be 2–64");
    if (!(Number.isInteger(o.segmentBytes) && o.segmentBytes >= 512 && o.segmentBytes < STORE_VALUE_MAX)) throw new RangeError("Outbox: segmentBytes must be 512–" + (STORE_VALUE_MAX - 1));
    if (!(o.backoffInitialMs > 0 && o.backoffMaxMs >= o.backoffInitialMs)) throw new RangeError("Outbox: backoff delays");
    if (!(o.backoffJitter >= 0 && o.backoffJitter <= 1)) throw new RangeError("Outbox: backoffJitter must be 0–1");
    if ((o.keyPrefix + "_a").length > STORE_KEY_MAX || (o.keyPrefix + (o.segments - 1) + "x").length > STORE_KEY_MAX) throw new RangeError("Outbox: keys too long");
    this.#store = o.store; this.#http = o.http; this.#clock = o.clock; this.#scheduler = o.scheduler; this.#random = o.random; this.#log = o.log;
    this.#idPrefix = o.idPrefix; this.#p = o.keyPrefix; this.#n = o.segments; this.#segBytes = o.segmentBytes; this.#offset = o.offsetMinutes;
    this.#bInit = o.backoffInitialMs; this.#bMax = o.backoffMaxMs; this.#bJitter = o.backoffJitter; this.#maxServer = o.maxServerErrorAttempts;
    this.#onChange = o.onChange; this.#onDelivered = o.onDelivered; this.#onStatusResult = o.onStatusResult;
  }

  // -------------------------------------------------------------------------------------------
  // Public

  /** Reads the queue back from the store, rolling back an unfinished commit. Call once, before anything else. */
  load(): { queued: number; rolledBack: number; corrupt: number } {
    if (this.#loaded) return { queued: this.#count, rolledBack: 0, corrupt: 0 };
    const m = this.#readMeta();
    let repaired = false;
    let rolledBack = 0;
    let corrupt = 0;
    if (!m) {
      // No meta: a fresh store, or the very first commit cut short (its segment is rolled back). A meta
      // key that exists but cannot be read is damage, counted as such.
      const damaged = this.#store.get(this.#p + "_a") !== undefined || this.#store.get(this.#p + "_b") !== undefined;
      let stale = false;
      for (let i = 0; i < this.#n; i++) for (const f of ["0", "1"]) if (this.#store.get(this.#segKey(i, f)) !== undefined) { stale = true; this.#store.delete(this.#segKey(i, f)); }
      if (damaged) { this.#log("error", "ciof", "outbox meta unreadable: starting an empty queue", {}); corrupt++; }
      else if (stale) rolledBack++;
      this.#meta = { v: 1, g: 0, seq: this.#clock.valid ? Math.floor(this.#clock.now() / 1000) : 1, hs: 0, ho: 0, ts: 0, tn: 0, tr: 0, ser: 1, st: 0, did: "", fl: "0".repeat(this.#n), lost: 0, cor: corrupt, dl: 0, sent: 0, cur: {} };
      repaired = damaged;
    } else this.#meta = m;
    const meta = this.#meta;
    // tail segment
    const tail = this.#readSegment(meta.ts, meta.ser);
    if (meta.tn > 0 && (!tail || tail.length < meta.tn)) {
      this.#log("error", "ciof", "outbox tail segment damaged: its records are lost", { segment: meta.ts, records: meta.tn });
      corrupt += meta.tn; meta.cor += meta.tn;
      if (meta.hs === meta.ts) meta.ho = 0;
      meta.tn = 0; meta.tr = 0; meta.ser++; repaired = true;
      this.#tailLines = [];
    } else {
      this.#tailLines = tail ? tail.slice(0, meta.tn) : [];
      rolledBack += tail ? tail.length - meta.tn : 0;
    }
    // coalesced rows past the committed count
    if (meta.tn > 0) {
      const last = this.#parse(this.#tailLines![meta.tn - 1]);
      if (last && last.k === "m" && last.r.length > meta.tr && meta.tr > 0) {
        last.r = last.r.slice(0, meta.tr);
        this.#tailLines![meta.tn - 1] = seal(JSON.stringify(last));
        rolledBack++;
      }
    }
    this.#tailBytes = this.#segmentBytesOf(meta.ser, this.#tailLines!);
    // head: skip damaged or stale segments between head and tail
    while (meta.hs !== meta.ts) {
      const lines = this.#readSegment(meta.hs, this.#serialOf(meta.hs));
      if (lines && meta.ho < lines.length) { this.#headLines = lines; break; }
      if (!lines) { this.#log("error", "ciof", "outbox segment damaged: skipped", { segment: meta.hs }); meta.cor++; corrupt++; repaired = true; }
      else if (meta.ho >= lines.length) repaired = true;
      meta.hs = (meta.hs + 1) % this.#n; meta.ho = 0; meta.st = 0; meta.did = "";
    }
    if (meta.hs === meta.ts) this.#headLines = this.#tailLines!;
    // count
    let count = 0, used = 0;
    for (let i = meta.hs; ; i = (i + 1) % this.#n) {
      const lines = i === meta.ts ? this.#tailLines! : i === meta.hs ? this.#headLines : this.#readSegment(i, this.#serialOf(i)) ?? [];
      count += lines.length - (i === meta.hs ? meta.ho : 0);
      used += i === meta.ts ? this.#tailBytes : this.#segmentBytesOf(this.#serialOf(i), lines);
      if (i === meta.ts) break;
    }
    this.#count = Math.max(0, count);
    this.#used = used;
    this.#loaded = true;
    this.#uncertain = this.#count > 0 && (meta.st === 1 || this.#peekHead()?.k === "r");
    if (repaired) this.#writeMeta();
    this.#releaseDrainedTail();
    // copies a cut left behind (the old twin of a segment rewritten just before it)
    for (let i = 0; i < this.#n; i++) {
      const other = this.#segKey(i, this.#meta.fl[i] === "1" ? "0" : "1");
      if (this.#store.get(other) !== undefined) this.#store.delete(other);
    }
    if (rolledBack || corrupt) this.#log("warn", "ciof", "outbox recovered", { queued: this.#count, rolledBack, corrupt });
    return { queued: this.#count, rolledBack, corrupt };
  }

  /** The producer cursor committed with the last enqueue that named it. */
  cursor(name: string): number | undefined {
    this.#mustLoad();
    return this.#meta.cur[name];
  }

  /**
   * Appends records (and moves cursors) in one commit: all or nothing across a power cut.
   * Returns the message/record ids, in order. Throws RangeError for a record larger than a segment.
   */
  enqueue(inputs: readonly OutboxInput[], cursors?: Record<string, number>): string[] {
    this.#mustLoad();
    if (this.#link === "closed") throw new Error("Outbox: closed");
    if (!this.#tailLines) this.#restoreTail();
    const ids = this.#append(inputs, cursors, this.#meta, this.#headLines, this.#count, false);
    this.#changed();
    this.#later();
    return ids;
  }

  /**
   * One commit from a base state (the current one, or the current one with the head advanced):
   * segments, then meta; memory is updated only once both writes returned.
   */
  #append(inputs: readonly OutboxInput[], cursors: Record<string, number> | undefined, base: Meta, baseHeadLines: string[], baseCount: number, headAdvanced: boolean): string[] {
    const m = { ...base, cur: { ...base.cur } };
    const ids: string[] = [];
    const writes = new Map<number, { serial: number; lines: string[] }>();
    let tailLines = this.#tailLines!.slice();
    let tailBytes = this.#tailBytes;
    let headLines = base.hs === base.ts ? tailLines : baseHeadLines;
    let count = baseCount;
    let dropped = 0;
    let headMoved = headAdvanced;
    let newLast: TailLast | undefined = this.#tailLast;
    const headerBytes = (ser: number) => ("S" + ser + "\n").length;
    for (const input of inputs) {
      const entry = this.#entryOf(input, m);
      ids.push(entry.i);
      let line = seal(JSON.stringify(entry));
      let lb = sealedBytes() + 1;
      if (lb + headerBytes(m.ser + 1) > this.#segBytes) throw new RangeError("Outbox: record of " + lb + " bytes does not fit a " + this.#segBytes + "-byte segment");
      // coalesce into the waiting tail message (never into the head: it may be in flight)
      if (entry.k === "m" && entry.q === undefined && m.tn > 0 && !(m.hs === m.ts && m.ho >= m.tn - 1)) {
        const cached = this.#tailLast;
        const last = cached && cached.line === tailLines[m.tn - 1] ? cached.entry : this.#parse(tailLines[m.tn - 1]);
        if (last && last.k === "m" && last.q === undefined && last.c === entry.c && (last.mx ?? 1) > last.r.length &&
            last.r.length + entry.r.length <= (last.mx ?? 1) && sameTemplate(last.x, entry.x)) {
          const merged: MessageEntry = { ...last, r: last.r.concat(entry.r) };
          const mline = seal(JSON.stringify(merged));
          const mbytes = sealedBytes();
          const delta = mbytes - (cached && cached.line === tailLines[m.tn - 1] ? cached.bytes : utf8Length(tailLines[m.tn - 1]));
          if (tailBytes + delta <= this.#segBytes) {
            ids[ids.length - 1] = last.i;
            if (input.kind === "message" && input.id === undefined) m.seq--; // id not used
            tailLines[m.tn - 1] = mline;
            tailBytes += delta;
            newLast = { line: mline, entry: coalescible(merged), bytes: mbytes };
            m.tr = merged.r.length;
            writes.set(m.ts, { serial: m.ser, lines: tailLines });
            continue;
          }
        }
      }
      if (tailBytes + lb > this.#segBytes) {
        const next = (m.ts + 1) % this.#n;
        if (next === m.hs) {
          // ring full: drop the oldest segment (policy in README)
          // counted as what the partner loses: trade rows, and service records
          let rowsLost = 0;
          for (let k = m.ho; k < headLines.length; k++) {
            const e = this.#parse(headLines[k]);
            rowsLost += e && e.k === "m" && !(k === m.ho && m.st === 1) ? e.r.length : 1;
          }
          dropped += rowsLost;
          count -= headLines.length - m.ho;
          m.lost += rowsLost;
          m.hs = (m.hs + 1) % this.#n; m.ho = 0; m.st = 0; m.did = "";
          headMoved = true;
          headLines = m.hs === m.ts ? tailLines : this.#readSegment(m.hs, serialIn(m, m.hs, this.#n)) ?? [];
        }
        m.ts = next; m.ser++; m.tn = 0; m.tr = 0;
        tailLines = [];
        tailBytes = headerBytes(m.ser);
        line = seal(JSON.stringify(entry));
        lb = sealedBytes() + 1;
      }
      tailLines.push(line);
      newLast = { line, entry: coalescible(entry), bytes: lb - 1 };
      tailBytes += lb;
      m.tn = tailLines.length;
      m.tr = entry.k === "m" ? entry.r.length : 0;
      count++;
      writes.set(m.ts, { serial: m.ser, lines: tailLines });
      if (m.hs === m.ts) headLines = tailLines;
    }
    // a head left at the end of a full segment moves on to the next one
    while (m.hs !== m.ts && m.ho >= headLines.length) {
      m.hs = (m.hs + 1) % this.#n; m.ho = 0; m.st = 0; m.did = "";
      headLines = m.hs === m.ts ? tailLines : writes.get(m.hs)?.lines ?? this.#readSegment(m.hs, serialIn(m, m.hs, this.#n)) ?? [];
      headMoved = true;
    }
    if (cursors) for (const k of Object.keys(cursors)) m.cur[k] = cursors[k];
    // commit: segments first, meta last
    // Each segment goes to its other key (an ESP32 Preference.set erases the key first: a cut there
    // must not take committed records with it); the meta commit switches to it; the old copy goes.
    const stale: string[] = [];
    let fl = m.fl;
    for (const [index, w] of writes) {
      const now = fl[index] === "1" ? "0" : "1";
      this.#store.set(this.#segKey(index, now), "S" + w.serial + "\n" + w.lines.join("\n") + "\n");
      stale.push(this.#segKey(index, fl[index]));
      fl = fl.slice(0, index) + now + fl.slice(index + 1);
    }
    m.fl = fl;
    m.g++;
    this.#store.set(m.g % 2 ? this.#p + "_b" : this.#p + "_a", seal(JSON.stringify(m)));
    // in memory
    this.#meta = m;
    this.#tailLines = tailLines;
    this.#tailLast = newLast;
    this.#tailBytes = tailBytes;
    this.#headLines = m.hs === m.ts ? tailLines : headLines;
    this.#count = count;
    if (headMoved) { this.#headEpoch++; this.#headCache = undefined; this.#uncertain = false; this.#serverErrors = 0; }
    this.#recount();
    if (dropped) this.#log("error", "ciof", "outbox full: dropped the oldest records", { rows: dropped, lostTotal: m.lost });
    for (const k of stale) if (this.#store.get(k) !== undefined) this.#store.delete(k);
    return ids;
  }

  /** Latest-wins PUT (controller, service and data statuses), sent before queued records. Not persisted. */
  setStatus(key: string, path: string, body: unknown): void {
    this.#statuses.delete(key); // re-insert at the end: sent in the order last set
    this.#statuses.set(key, { path, body, version: ++this.#statusVersion });
    this.#later();
  }

  /** Start sending now unless backing off or stopped. */
  kick(): void { this.#later(); }

  /** Usable for the controller's reads: not backing off, not unauthorized, not closed. */
  get linkReady(): boolean { return this.#link === "idle" || this.#link === "sending"; }

  /** A read by the controller failed: the outbox applies the same policy (back-off, or stop on 401). */
  noteFailure(error: unknown): void {
    if (this.#link === "closed" || this.#link === "unauthorized") return;
    if (error instanceof TransportError) { this.#backoff(error.code + ": " + error.message); return; }
    const status = (error as { status?: unknown }).status;
    if (typeof status === "number") {
      const o = classifyStatus(status);
      this.#lastStatus = status;
      if (o === "unauthorized") this.#unauthorized(String((error as { path?: unknown }).path ?? ""));
      else if (o === "retry" || o === "retry-bounded") this.#backoff("HTTP " + status);
    }
  }
  /** A read by the controller succeeded: the link is up. */
  noteSuccess(): void {
    if (this.#attempts !== 0 && this.#link !== "backoff") { this.#attempts = 0; this.#changed(); }
  }

  /** After 401: sending resumes (e.g. a new key was configured and the transport rebuilt). */
  resume(): void {
    if (this.#link !== "unauthorized") return;
    this.#link = "idle";
    this.#attempts = 0;
    this.#changed();
    this.#pump();
  }

  /** Resolves true once nothing is queued or pending, false on back-off, 401, close or after `timeoutMs`. */
  whenIdle(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.#idleDone()) { resolve(true); return; }
      if (this.#blocked()) { resolve(false); return; }
      const w: { resolve(done: boolean): void; timer?: TimerHandle } = { resolve };
      w.timer = this.#scheduler.set(() => { this.#waiters = this.#waiters.filter((x) => x !== w); resolve(false); }, timeoutMs);
      this.#waiters.push(w);
      this.#pump();
    });
  }

  get state(): OutboxState {
    const m = this.#loaded ? this.#meta : undefined;
    return {
      link: this.#link, queued: this.#count, usedBytes: this.#used, capacityBytes: this.#n * this.#segBytes,
      lost: m?.lost ?? 0, corrupt: m?.cor ?? 0, deadLetters: m?.dl ?? 0, delivered: m?.sent ?? 0,
      attempts: this.#attempts, retryAt: this.#link === "backoff" ? this.#retryAt : undefined,
      lastStatus: this.#lastStatus, lastError: this.#lastError,
    };
  }

  /** Dead letters kept on the store (the last few, newest last). */
  deadLetters(): { count: number; last: { id: string; kind: string; status: number; at: number; body: string }[] } {
    const raw = this.#store.get(this.#p + "_d");
    const json = raw === undefined ? undefined : unseal(raw);
    if (json) {
      try {
        const v = JSON.parse(json) as { n: number; l: { i: string; k: string; s: number; a: number; b: string }[] };
        return { count: v.n, last: v.l.map((x) => ({ id: x.i, kind: x.k, status: x.s, at: x.a, body: x.b })) };
      } catch { /* fall through: treated as none */ }
    }
    return { count: 0, last: [] };
  }

  /** Stops timers and sending; queued records stay on the store. Idempotent. */
  close(): void {
    if (this.#link === "closed") return;
    this.#link = "closed";
    if (this.#timer) { this.#scheduler.clear(this.#timer); this.#timer = undefined; }
    this.#settleWaiters();
  }

  // -------------------------------------------------------------------------------------------
  // Sending

  #pump(): void {
    if (!this.#loaded || this.#link !== "idle") { this.#settleWaiters(); return; }
    const first = this.#statuses.entries().next();
    if (!first.done) { this.#sendStatus(first.value[0], first.value[1]); return; }
    if (this.#count === 0) { this.#settleWaiters(); return; }
    const m = this.#meta;
    if (this.#tailLast && this.#tailLast.entry && m.hs === m.ts && m.ho >= m.tn - 1) this.#tailLast.entry = undefined; // the head is on it: no more rows join it
    const entry = this.#peekHead();
    if (!entry) { this.#skipCorruptHead(); return; }
    const epoch = this.#headEpoch;
    if (entry.k === "m" && this.#meta.st === 0) this.#sendMessage(entry, epoch);
    else this.#sendRecord(entry, epoch);
  }

  #begin(): void {
    this.#link = "sending";
  }
  #end(): void {
    if (this.#link === "sending") this.#link = "idle";
  }

  #sendStatus(key: string, s: { path: string; body: unknown; version: number }): void {
    this.#begin();
    this.#http.request("PUT", s.path, s.body).then((r) => {
      this.#end();
      const o = classifyStatus(r.status);
      this.#lastStatus = r.status;
      if (o === "ok" || o === "reject") {
        if (this.#statuses.get(key)?.version === s.version) this.#statuses.delete(key);
        if (o === "ok") this.#ok();
        else { this.#lastError = "PUT " + s.path + ": HTTP " + r.status; this.#log("error", "ciof", "terminal rejected a status", { path: s.path, status: r.status, body: truncate(r.text) }); }
        if (this.#onStatusResult) { const cb = this.#onStatusResult; this.#defer(() => cb(key, r.status, truncate(r.text))); }
        this.#changed();
        this.#pump();
      } else this.#failed(o, r);
    }, (e) => { this.#end(); this.#failed("retry", e); }).catch((e) => this.#internal(e));
  }

  #sendMessage(entry: MessageEntry, epoch: number): void {
    this.#begin();
    this.#http.request("POST", PATHS.messages, encodeMessage({ id: entry.i, tradeContractId: entry.c, requestParameterId: entry.q, rows: entry.r })).then((r) => {
      this.#end();
      if (epoch !== this.#headEpoch) { this.#pump(); return; } // dropped meanwhile
      const o = classifyStatus(r.status);
      this.#lastStatus = r.status;
      if (o === "ok") {
        this.#ok();
        let id: string | undefined;
        try { id = decodePostedMessageId(CiofHttp.json(r)); } catch { id = undefined; }
        if (id !== undefined && id !== entry.i) this.#log("info", "ciof", "terminal assigned its own message id", { ours: entry.i, theirs: id });
        if (entry.x) {
          this.#writeMeta({ ...this.#meta, st: 1, did: id ?? entry.i });
          this.#uncertain = false;
          this.#changed();
          this.#pump();
        } else this.#advance("message", entry.i);
      } else if (o === "reject") this.#reject(entry, r);
      else this.#failed(o, r, entry);
    }, (e) => { this.#end(); if (epoch !== this.#headEpoch) { this.#pump(); return; } this.#failed("retry", e); }).catch((e) => this.#internal(e));
  }

  #recordOf(entry: Entry): { body: unknown; dataId: string; eventType: string } {
    const x = entry.x!;
    const dataId = entry.k === "m" ? this.#meta.did || entry.i : x.d ?? "";
    const rec: ServiceRecord = {
      dataId, eventType: x.t, timestamp: x.ts,
      serviceImplementationId: x.si, serviceImplementationLocalId: x.sl, processImplementationId: x.pi, processImplementationLocalId: x.pl,
      eventImplementationId: x.ei, eventImplementationLocalId: x.el, result: x.re, note: x.n,
    };
    return { body: encodeServiceRecord(rec, this.#offset), dataId, eventType: x.t };
  }

  #sendRecord(entry: Entry, epoch: number): void {
    this.#begin();
    const { body, dataId, eventType } = this.#recordOf(entry);
    const post = () => this.#http.request("POST", PATHS.serviceRecord, body);
    // After a lost reply or a reboot the record may already be on the terminal: ask first.
    const first: Promise<CiofResponse | "present"> = this.#uncertain
      ? this.#http.request("GET", serviceRecordQuery({ dataId, eventType, tail: 20 }, this.#offset)).then<CiofResponse | "present">((r) => {
        if (classifyStatus(r.status) !== "ok") return post();
        let rows: ReturnType<typeof decodeServiceRecords> = [];
        try { rows = decodeServiceRecords(CiofHttp.json(r)); } catch { rows = []; }
        return rows.some((x) => x.eventType === eventType && (x.dataId === undefined || x.dataId === dataId)) ? "present" as const : post();
      })
      : post();
    first.then((r) => {
      this.#end();
      if (epoch !== this.#headEpoch) { this.#pump(); return; }
      if (r === "present") {
        this.#log("info", "ciof", "service record already on the terminal: not sent again", { dataId, eventType });
        this.#ok();
        this.#advance(entry.k === "m" ? "message" : "record", entry.i);
        return;
      }
      const o = classifyStatus(r.status);
      this.#lastStatus = r.status;
      if (o === "ok") { this.#ok(); this.#advance(entry.k === "m" ? "message" : "record", entry.i); }
      else if (o === "reject") this.#reject(entry, r);
      else this.#failed(o, r, entry);
    }, (e) => { this.#end(); if (epoch !== this.#headEpoch) { this.#pump(); return; } this.#failed("retry", e); }).catch((e) => this.#internal(e));
  }

  /** A failure of our own (the store refused a write, a bug): logged, then treated like a network failure. */
  #internal(e: unknown): void {
    this.#log("error", "ciof", "outbox step failed", { error: truncate(String((e as Error)?.message ?? e), 160) });
    if (this.#link === "sending") this.#link = "idle";
    this.#backoff("internal: " + String((e as Error)?.message ?? e));
  }

  #ok(): void {
    this.#attempts = 0;
    this.#lastError = undefined;
  }

  #failed(o: Outcome, r: CiofResponse | unknown, entry?: Entry): void {
    if (this.#link === "closed") return;
    if (o === "unauthorized") { this.#unauthorized((r as CiofResponse).path); return; }
    if (r instanceof TransportError) {
      // the terminal may have acted on a request whose reply was lost
      if (r.code !== "connect") this.#uncertain = true;
      this.#backoff(r.code + ": " + r.message);
      return;
    }
    if (r instanceof CiofBodyError || !(r as CiofResponse).status) { this.#backoff(String(r)); return; }
    const resp = r as CiofResponse;
    if (o === "retry-bounded" && entry && ++this.#serverErrors >= this.#maxServer) { this.#reject(entry, resp); return; }
    if (resp.status === 504 || resp.status === 500) this.#uncertain = true;
    this.#backoff("HTTP " + resp.status + " " + truncate(resp.text, 80));
  }

  #backoff(reason: string): void {
    if (this.#link === "closed" || this.#link === "unauthorized") return;
    this.#attempts++;
    const base = Math.min(this.#bMax, this.#bInit * 2 ** Math.min(this.#attempts - 1, 30));
    const delay = Math.max(1, Math.round(base * (1 - this.#bJitter * this.#random())));
    this.#lastError = reason;
    this.#link = "backoff";
    this.#retryAt = this.#clock.ticks() + delay;
    if (this.#attempts === 1 || this.#attempts % 10 === 0) this.#log("warn", "ciof", "terminal unreachable: backing off", { reason: truncate(reason, 120), attempt: this.#attempts, delayMs: delay, queued: this.#count });
    if (this.#timer) this.#scheduler.clear(this.#timer);
    this.#timer = this.#scheduler.set(() => {
      this.#timer = undefined;
      if (this.#link !== "backoff") return;
      this.#link = "idle";
      this.#changed();
      this.#later();
    }, delay);
    this.#changed();
    this.#settleWaiters();
  }

  #unauthorized(path: string): void {
    if (this.#link === "closed") return;
    if (this.#timer) { this.#scheduler.clear(this.#timer); this.#timer = undefined; }
    this.#link = "unauthorized";
    this.#lastStatus = 401;
    this.#lastError = "HTTP 401 on " + path + ": the terminal rejected the authorization key";
    this.#log("error", "ciof", "terminal rejected the authorization key (401): sending stopped; check authorization_key (EdgeControllerAPIKey.yml)", { path, queued: this.#count });
    this.#changed();
    this.#settleWaiters();
  }

  /** 400/422/other 4xx (or bounded 5xx exhausted): dead letter, an error record, and move on. Never loops. */
  #reject(entry: Entry, r: CiofResponse): void {
    const body = truncate(r.text, 120);
    const recordStep = entry.k === "r" || this.#meta.st === 1;
    this.#log("error", "ciof", recordStep ? "terminal rejected a service record" : "terminal rejected trade data", { id: entry.i, status: r.status, path: r.path, body });
    this.#lastError = r.path + ": HTTP " + r.status;
    // dead letter (bounded)
    const dl = this.deadLetters();
    const last = dl.last.map((x) => ({ i: x.id, k: x.kind, s: x.status, a: x.at, b: x.body }));
    last.push({ i: entry.i, k: recordStep ? "r" : "m", s: r.status, a: this.#clock.now(), b: truncate(body, 100) });
    while (last.length > DEAD_LETTERS_KEPT) last.shift();
    this.#store.set(this.#p + "_d", seal(JSON.stringify({ n: dl.count + 1, l: last })));
    // error record, unless what failed is itself an error record
    const failedType = recordStep ? entry.x?.t : undefined;
    if (failedType !== "error") {
      const dataId = entry.k === "m" ? this.#meta.did || entry.i : entry.x.d ?? entry.i;
      const x = entry.x;
      const rec: ServiceRecord = {
        dataId, eventType: "error", timestamp: this.#clock.now(),
        serviceImplementationId: x?.si, serviceImplementationLocalId: x?.sl, processImplementationId: x?.pi, processImplementationLocalId: x?.pl,
        result: String(r.status),
        note: (recordStep ? "service record (" + (x?.t ?? "") + ") for " : "trade data ") + entry.i + " rejected by the terminal: HTTP " + r.status + (body ? " " + truncate(body, 80) : ""),
      };
      this.#advance(entry.k === "m" ? "message" : "record", entry.i, false, { kind: "record", record: rec }, { dl: this.#meta.dl + 1 });
    } else this.#advance("record", entry.i, false, undefined, { dl: this.#meta.dl + 1 });
  }

  /** Moves the head past the current record: one meta write (or one commit with a follow-up record), then memory. */
  #advance(kind: "message" | "record", id: string, delivered = true, followUp?: OutboxInput, extra?: Partial<Meta>): void {
    const m: Meta = { ...this.#meta, ...extra, ho: this.#meta.ho + 1, st: 0, did: "", sent: this.#meta.sent + (delivered ? 1 : 0) };
    let headLines = this.#headLines;
    const lim = m.hs === m.ts ? m.tn : headLines.length;
    if (m.ho >= lim && m.hs !== m.ts) {
      m.hs = (m.hs + 1) % this.#n; m.ho = 0;
      headLines = m.hs === m.ts ? this.#tailLines! : this.#readSegment(m.hs, serialIn(m, m.hs, this.#n)) ?? [];
    }
    if (followUp) this.#append([followUp], undefined, m, headLines, this.#count - 1, true);
    else {
      this.#writeMeta(m);
      this.#headLines = m.hs === m.ts ? this.#tailLines! : headLines;
      this.#count--;
      this.#headEpoch++;
      this.#headCache = undefined;
      this.#uncertain = false;
      this.#serverErrors = 0;
      this.#recount();
      this.#releaseDrainedTail();
    }
    if (delivered && this.#onDelivered) { const cb = this.#onDelivered; this.#defer(() => cb(id, kind)); }
    this.#changed();
    this.#later();
  }

  /** Lets the tail segment's lines go once all of it was delivered (see #tailLines). */
  #releaseDrainedTail(): void {
    const m = this.#meta;
    if (this.#count !== 0 || m.hs !== m.ts || m.ho < m.tn) return;
    this.#tailLines = undefined;
    this.#headLines = [];
    this.#tailLast = undefined; // nothing joins a delivered message
  }

  /** Reads the let-go tail segment back (before an enqueue rewrites it). A segment that no longer
   *  reads back holds only delivered records: the next one is started (one meta commit, as load()
   *  repairs a damaged tail), nothing queued is lost. */
  #restoreTail(): void {
    const m = this.#meta;
    const lines = m.tn === 0 ? [] : this.#readSegment(m.ts, m.ser);
    if (lines && lines.length >= m.tn) {
      this.#tailLines = lines.length > m.tn ? lines.slice(0, m.tn) : lines;
    } else {
      this.#log("warn", "ciof", "outbox tail segment (all delivered) unreadable: starting the next one", { segment: m.ts });
      this.#writeMeta({ ...m, ser: m.ser + 1, tn: 0, tr: 0, ho: 0 });
      this.#tailLines = [];
      this.#tailBytes = this.#segmentBytesOf(this.#meta.ser, []);
    }
    this.#headLines = this.#tailLines;
  }

  #skipCorruptHead(): void {
    this.#log("error", "ciof", "outbox record damaged: skipped", { segment: this.#meta.hs, offset: this.#meta.ho });
    this.#advance("record", "", false, undefined, { cor: this.#meta.cor + 1 });
  }

  /** Runs a callback on a later turn; what it throws is logged, never lost in a rejected promise. */
  #defer(f: () => void): void {
    Promise.resolve().then(f).catch((e) => this.#log("error", "ciof", "callback threw", { error: truncate(String((e as Error)?.message ?? e), 160) }));
  }

  #later(): void { Promise.resolve().then(() => this.#pump()).catch((e) => this.#internal(e)); }


  // -------------------------------------------------------------------------------------------
  // Storage helpers

  #mustLoad(): void { if (!this.#loaded) throw new Error("Outbox: load() first"); }
  #segKey(i: number, flip: string): string { return flip === "1" ? this.#p + i + "x" : this.#p + i; }
  #serialOf(i: number): number { return serialIn(this.#meta, i, this.#n); }
  #segmentBytesOf(serial: number, lines: readonly string[]): number {
    let n = ("S" + serial + "\n").length;
    for (const l of lines) n += utf8Length(l) + 1;
    return n;
  }

  #readMeta(): Meta | undefined {
    let best: Meta | undefined;
    for (const k of ["_a", "_b"]) {
      const raw = this.#store.get(this.#p + k);
      const json = raw === undefined ? undefined : unseal(raw);
      if (!json) { if (raw !== undefined) this.#log("warn", "ciof", "outbox meta copy damaged", { key: this.#p + k }); continue; }
      try {
        const m = JSON.parse(json) as Meta;
        if (m.v !== 1 || !Number.isInteger(m.g) || !Number.isInteger(m.hs) || !Number.isInteger(m.ts) || m.hs >= this.#n || m.ts >= this.#n) continue;
        if (typeof m.fl !== "string" || m.fl.length !== this.#n) continue;
        if (!best || m.g > best.g) best = m;
      } catch { continue; }
    }
    if (best) { best.cur = best.cur ?? {}; best.lost = best.lost ?? 0; best.cor = best.cor ?? 0; best.dl = best.dl ?? 0; best.sent = best.sent ?? 0; }
    return best;
  }

  /** Writes `next` (default: the current meta) as the new generation; memory follows the write. */
  #writeMeta(next: Meta = this.#meta): void {
    const m = { ...next, g: this.#meta.g + 1 };
    this.#store.set(m.g % 2 ? this.#p + "_b" : this.#p + "_a", seal(JSON.stringify(m)));
    this.#meta = m;
  }

  /** Lines of a segment if it exists and carries the expected serial. */
  #readSegment(i: number, serial: number, fl: string = this.#meta.fl): string[] | undefined {
    const raw = this.#store.get(this.#segKey(i, fl[i]));
    if (raw === undefined) return undefined;
    const nl = raw.indexOf("\n");
    if (nl < 0 || raw.slice(0, nl) !== "S" + serial) return undefined;
    const body = raw.slice(nl + 1);
    if (body === "") return [];
    const lines = body.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    return lines;
  }

  #parse(line: string | undefined): Entry | undefined {
    if (line === undefined) return undefined;
    const json = unseal(line);
    if (json === undefined) return undefined;
    try {
      const e = JSON.parse(json) as Entry;
      if (typeof e.i !== "string") return undefined;
      if (e.k === "m" && typeof e.c === "string" && Array.isArray(e.r)) return e;
      if (e.k === "r" && e.x && typeof e.x.t === "string") return e;
    } catch { /* damaged */ }
    return undefined;
  }

  #peekHead(): Entry | undefined {
    if (this.#headCache && this.#headCache.epoch === this.#headEpoch) return this.#headCache.entry;
    const entry = this.#parse(this.#headLines[this.#meta.ho]);
    this.#headCache = { epoch: this.#headEpoch, entry };
    return entry;
  }

  #entryOf(input: OutboxInput, m: Meta): Entry {
    if (input.kind === "message") {
      if (typeof input.contractId !== "string" || input.contractId === "") throw new TypeError("Outbox: contractId required");
      if (!Array.isArray(input.rows)) throw new TypeError("Outbox: rows must be an array");
      const id = input.id ?? this.#idPrefix + "-" + (m.seq++).toString(36);
      const e: MessageEntry = { k: "m", i: id, c: input.contractId, r: input.rows.map((r) => r.slice()) };
      if (input.requestParameterId !== undefined) e.q = input.requestParameterId;
      if (input.record) e.x = template(input.record);
      if (input.maxRows !== undefined && input.maxRows > 1) e.mx = input.maxRows;
      return e;
    }
    const r = input.record;
    if (typeof r.dataId !== "string" || r.dataId === "") throw new TypeError("Outbox: record dataId required");
    return { k: "r", i: this.#idPrefix + "-" + (m.seq++).toString(36), x: { ...template(r), d: r.dataId } };
  }

  #recount(): void {
    // bytes in use: from head segment to tail; cheap approximation from the in-memory tail and whole segments
    const m = this.#meta;
    const dist = (m.ts - m.hs + this.#n) % this.#n;
    this.#used = this.#tailBytes + dist * this.#segBytes;
  }

  #idleDone(): boolean { return this.#count === 0 && this.#statuses.size === 0 && this.#link !== "sending"; }
  #blocked(): boolean { return this.#link === "backoff" || this.#link === "unauthorized" || this.#link === "closed"; }
  #settleWaiters(): void {
    if (this.#waiters.length === 0) return;
    const done = this.#idleDone();
    if (!done && !this.#blocked()) return;
    const ws = this.#waiters;
    this.#waiters = [];
    for (const w of ws) { if (w.timer) this.#scheduler.clear(w.timer); w.resolve(done); }
  }
  #changed(): void {
    if (!this.#onChange || this.#changeQueued) return;
    this.#changeQueued = true;
    this.#defer(() => { this.#changeQueued = false; this.#onChange!(this.state); });
  }
}

interface TailLast { readonly line: string; entry: MessageEntry | undefined; readonly bytes: number }

/** The entry if later rows of its contract may still join it, else undefined. */
function coalescible(e: Entry): MessageEntry | undefined {
  return e.k === "m" && e.q === undefined && (e.mx ?? 1) > e.r.length ? e : undefined;
}

function serialIn(m: Meta, i: number, n: number): number {
  return m.ser - ((m.ts - i + n) % n);
}

function template(r: Omit<ServiceRecord, "dataId">): Template {
  const t: Template = { t: r.eventType, ts: Math.round(r.timestamp) };
  if (r.serviceImplementationId !== undefined) t.si = r.serviceImplementationId;
  if (r.serviceImplementationLocalId !== undefined) t.sl = r.serviceImplementationLocalId;
  if (r.processImplementationId !== undefined) t.pi = r.processImplementationId;
  if (r.processImplementationLocalId !== undefined) t.pl = r.processImplementationLocalId;
  if (r.eventImplementationId !== undefined) t.ei = r.eventImplementationId;
  if (r.eventImplementationLocalId !== undefined) t.el = r.eventImplementationLocalId;
  if (r.result !== undefined) t.re = r.result;
  if (r.note !== undefined) t.n = r.note;
  return t;
}

function sameTemplate(a: Template | undefined, b: Template | undefined): boolean {
  if (!a || !b) return a === b;
  return a.t === b.t && a.si === b.si && a.sl === b.sl && a.pi === b.pi && a.pl === b.pl && a.ei === b.ei && a.el === b.el && a.re === b.re && a.n === b.n;
}
