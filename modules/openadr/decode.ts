// OadrDecoder: a streaming decoder of OpenADR 2.0b payloads (both directions, signed or not) into the
// typed messages of types.ts. It is the XmlHandler of an XmlReader and walks the compiled grammar of
// decode-schema.ts: per element one lookup of the name in its parent's (frozen, null-prototype) child
// map, a few array writes, no closures, and scratch state reused across documents.
//
// Streaming: bytes go in chunk by chunk (`write`), the result comes out of `end()`. The events of an
// oadrDistributeEvent are handed to `onEvent(event, message)` one by one as each completes and are not
// kept, so a large document is never held whole; without onEvent they are collected in `events`.
// onEvent runs synchronously inside write()/end() (as XmlHandler callbacks do); what it throws
// propagates out of write().
//
// Tolerated: a bare message as the root (no oadrPayload), children in any order, unknown elements
// (skipped with their subtree), an enveloped ds:Signature (skipped, or forwarded to `signature`),
// `None` or an empty requestID (kept as is), surrounding whitespace in dates/numbers/tokens, a UTF-8
// BOM, UTF-16 input with a BOM (transcoded here; its XML declaration is dropped), an empty body
// (→ { type: "empty" }). Errors are OadrDecodeError values with a reason and the element path.
//
// State table (per document): idle → (first non-space byte) → reading → end() → idle;
// any error → failed (write/end throw the same error) until reset().
import { DEFAULT_LIMITS, XmlError, XmlReader, type XmlAttribute, type XmlHandler, type XmlLimits } from "../xml/reader";
import { EVENT_STATUSES, OPT_TYPES, RESPONSE_REQUIRED, SIGNAL_TYPES } from "./enums";
// The schema's kind (K_*), conversion (C_*) and hook (H_*) codes are written as literals in the class
// (`4 /* K_OBJ */`): on XS each imported binding a function uses costs it a stack slot.
import {
  ROOT_NAMES, TABLES,
} from "./decode-schema";
import { dateTimeOrNaN, durationOrNaN } from "./iso8601";
import { NAMESPACES } from "./names";
import { TARGET_TYPES, type DecodedPayload, type IntervalColumns, type OadrDistributeEvent, type OadrEvent, type Target } from "./types";

export type OadrDecodeReason =
  | "xml"        // not well-formed XML (the cause is the reader's XmlError)
  | "root"       // the root is not oadrPayload or a 2.0b message
  | "namespace"  // a known root name in another namespace (2.0a, a typo …)
  | "missing"    // a required element is absent
  | "number" | "boolean" | "date-time" | "duration" | "enum"  // a value that does not parse
  | "limit"      // nesting deeper than the decoder's limit
  | "state";     // write/end after a failure or after end without reset

export class OadrDecodeError extends Error {
  // A field, not an assignment: on the device Error.prototype is frozen after preload,
  // so `this.name = …` throws "set name: not writable".
  override readonly name = "OadrDecodeError";
  readonly reason: OadrDecodeReason;
  /** Element path, e.g. "/oadrPayload/oadrSignedObject/oadrDistributeEvent/oadrEvent/eiEvent/eventDescriptor/modificationNumber". */
  readonly path: string;
  /** Byte offset for "xml" errors (from the reader). */
  readonly offset?: number;
  override readonly cause?: unknown;
  constructor(reason: OadrDecodeReason, path: string, message: string, cause?: unknown, offset?: number) {
    super(`${message}${path ? ` at ${path}` : ""}`);
    this.reason = reason;
    this.path = path;
    if (cause !== undefined) this.cause = cause;
    if (offset !== undefined) this.offset = offset;
  }
}

export interface OadrDecoderOptions {
  /** Receives each oadrEvent of an oadrDistributeEvent as soon as it is complete. */
  onEvent?: (event: OadrEvent, message: OadrDistributeEvent) => void;
  /**
   * Verification seam: receives the enveloped ds:Signature subtree (startElement of ds:Signature
   * first, its endElement last). Without it the signature is skipped. `decoder.signed` tells whether
   * one was present.
   */
  signature?: XmlHandler;
  /**
   * Raw-byte tap for a signature verifier (XmlHandler.raw): every input byte with its element depth,
   * as views valid during the call only. Absent: no cost.
   */
  raw?: (bytes: Uint8Array, depth: number) => void;
  /** Limits passed to the XmlReader (its depth limit also sizes the decoder's stacks). */
  limits?: Partial<XmlLimits>;
  /**
   * Event signal and baseline intervals as typed-array columns (`columns`, with `intervals` empty)
   * instead of one object each: an event of 96 intervals then holds ≈2.3 KB of columns instead of
   * ≈17 KB of objects (host slot size) while it is handed over. The VEN's wire uses it.
   */
  intervalColumns?: boolean;
}

/**
 * Every name the decoder compares, for an XmlReader `names` option. Not passed by default: on XS 13.3
 * pre-interning them costs ≈480 k compute and ≈860 KB of allocation per reader, while without it the
 * reader interns names as they come (≈3 KB more live heap during a document).
 */
export const OADR_NAMES: readonly string[] = Object.freeze(TABLES.names.concat(NAMESPACES));

const { kind: KIND, conv: CONV, hook: HOOK, field: FIELD, local: LOCAL, tag: TAG, init: INIT, required: REQUIRED } = TABLES;
const { children: CHILDREN, ns: NS } = TABLES;

const S_IDLE = 0, S_READING = 1, S_FAILED = 2;
const ENC_SNIFF = 0, ENC_UTF8 = 1, ENC_UTF16LE = 2, ENC_UTF16BE = 3;
const DECL_START = 0, DECL_LT = 1, DECL_IN = 2, DECL_QUESTION = 3, DECL_DONE = 4;
const TRANSCODE_SIZE = 256;

type Obj = Record<string, unknown>;

// Hot-path notes (XS): a string literal is copied into a fresh chunk each time it is evaluated unless
// the code is preloaded, and `s.length` / `s.charCodeAt(i)` box the string (64 bytes of garbage per
// access on a host). So the per-element path uses module constants and `code.call(s, i)`.
const EMPTY = "";
const code: (this: string, index: number) => number = String.prototype.charCodeAt;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** Trims XML whitespace, allocating only when there is some. */
function trim(text: string): string {
  let c = code.call(text, 0);
  if (c !== c) return text;
  let edge = isSpace(c);
  let i = 1;
  for (;;) {
    const d = code.call(text, i);
    if (d !== d) break;
    c = d;
    i++;
  }
  edge = edge || isSpace(c);
  return edge ? text.trim() : text;
}

/**
 * xs:float / xs:decimal text → number, or undefined. Number() alone would also accept "0x1F",
 * "Infinity" and "" (0); parseFloat agrees with it exactly on the lexical forms XML Schema has.
 */
function toFloat(text: string): number | undefined {
  const v = +text;
  if (v === v && v === parseFloat(text) && v !== Infinity && v !== -Infinity && text !== EMPTY) return v;
  const t = trim(text);
  if (t === INF || t === PLUS_INF) return Infinity;
  if (t === MINUS_INF) return -Infinity;
  if (t === NAN) return NaN;
  if ((v === Infinity || v === -Infinity) && v === parseFloat(text) && t.indexOf(INFINITY) < 0) return v; // overflow
  return undefined;
}
const INF = "INF", PLUS_INF = "+INF", MINUS_INF = "-INF", NAN = "NaN", INFINITY = "Infinity";
const TRUE = "true", FALSE = "false", ONE = "1", ZERO = "0";
/** "0" … "255", built once at module load (preloaded, in flash on the device): the usual uids. */
const UIDS: readonly string[] = Object.freeze(Array.from({ length: 256 }, (_, k) => String(k)));
const NO_INTERVALS: readonly unknown[] = Object.freeze([]);

export class OadrDecoder implements XmlHandler {
  /** XmlHandler.raw: set only when options.raw is given (the reader checks it once). */
  raw?: (bytes: Uint8Array, depth: number) => void;
  // XS finds a private field by walking the instance's list of them in declaration order (private
  // methods would come first, once per instance: the internals below are TS-private methods on the
  // prototype instead): the fields the per-element path uses come first.
  #skip = 0;
  #depth = 0;
  readonly #states: Uint16Array;
  readonly #objs: unknown[];
  #text = EMPTY;
  /** Items of the open list containers, innermost last (see closeList); #listBase[d]: first item of the list at depth d. */
  readonly #items: unknown[] = [];
  #top = 0;
  readonly #columns: boolean;
  #lastDurationText = EMPTY;
  #lastDuration = 0;
  // interval columns (options.intervalColumns): rows of the open strm:intervals, grown by doubling, kept
  #colN = 0;
  #colDuration: Float64Array | undefined = undefined;
  #colValue: Float64Array | undefined = undefined;
  #colStart: Float64Array | undefined = undefined;
  #colHasStart = false;
  #colUid: (string | undefined)[] | undefined = undefined;
  readonly #listBase: Uint32Array;
  #forward: XmlHandler | undefined = undefined;
  #message: Obj | undefined = undefined;
  readonly #options: OadrDecoderOptions;
  #phase = S_IDLE;
  #encoding = ENC_SNIFF;
  readonly #reader: XmlReader;
  #result: DecodedPayload | undefined = undefined;
  #signed = false;
  #error: OadrDecodeError | undefined = undefined;
  // input front end
  #head = new Uint8Array(3);
  #headLength = 0;
  #pendingByte = -1;
  #highSurrogate = 0;
  #decl = DECL_START;
  #out: Uint8Array | undefined = undefined;
  #outLength = 0;

  constructor(options: OadrDecoderOptions = {}) {
    if (options.onEvent !== undefined && typeof options.onEvent !== "function") throw new TypeError("OadrDecoder: onEvent must be a function");
    // the reader stops at its depth limit, so stacks of that size never overflow
    const depth = options.limits?.depth ?? DEFAULT_LIMITS.depth;
    this.#options = options;
    this.#columns = options.intervalColumns === true;
    this.#states = new Uint16Array(depth + 2);
    this.#listBase = new Uint32Array(depth + 2);
    this.#objs = new Array(depth + 2).fill(undefined);
    if (options.raw !== undefined) this.raw = options.raw;
    this.#reader = new XmlReader(this, { limits: options.limits });
  }

  /** True when the current/last document carried an enveloped ds:Signature. */
  get signed(): boolean { return this.#signed; }

  /** Feeds bytes [start, end) of chunk. */
  write(chunk: Uint8Array, start = 0, end = chunk.length): void {
    if (this.#phase === S_FAILED) throw this.#error!;
    try {
      if (this.#phase === S_IDLE) {
        // until the first non-space byte: sniff the encoding, drop leading whitespace (empty body)
        while (start < end && this.#phase === S_IDLE) {
          if (this.#encoding === ENC_SNIFF) {
            this.#head[this.#headLength++] = chunk[start++];
            this.sniff(false);
          } else if (this.#encoding === ENC_UTF8) {
            if (isSpace(chunk[start])) start++;
            else this.#phase = S_READING;
          } else {
            this.#phase = S_READING; // UTF-16: the transcoder drops nothing but the BOM
          }
        }
        if (start >= end) return;
      }
      if (this.#encoding === ENC_UTF8) this.#reader.write(chunk, start, end);
      else this.transcode(chunk, start, end);
    } catch (error) {
      throw this.fail(error);
    }
  }

  /** Ends the document and returns the decoded payload; the decoder is then ready for the next one. */
  end(): DecodedPayload {
    if (this.#phase === S_FAILED) throw this.#error!;
    let result: DecodedPayload;
    try {
      if (this.#encoding === ENC_SNIFF && this.#headLength > 0) this.sniff(true);
      if (this.#phase === S_IDLE) {
        result = { type: "empty" };
      } else {
        if (this.#encoding !== ENC_UTF8) this.flushTranscoded(true);
        this.#reader.end();
        if (this.#result === undefined) throw new OadrDecodeError("missing", "/oadrPayload/oadrSignedObject", "no OpenADR message in the payload");
        result = this.#result;
      }
    } catch (error) {
      throw this.fail(error);
    }
    const signed = this.#signed;
    this.reset();
    this.#signed = signed;
    return result;
  }

  /** Forgets the current document (after an error, or to abort one). */
  reset(): void {
    this.#reader.reset();
    for (let d = 0; d <= this.#depth; d++) this.#objs[d] = undefined;
    for (let k = 0; k < this.#top; k++) this.#items[k] = undefined;
    this.#top = 0;
    this.#depth = 0;
    this.#states[0] = 0;
    this.#skip = 0;
    this.#forward = undefined;
    this.#text = EMPTY;
    this.#message = undefined;
    this.#result = undefined;
    this.#signed = false;
    this.#phase = S_IDLE;
    this.#error = undefined;
    this.#encoding = ENC_SNIFF;
    this.#headLength = 0;
    this.#pendingByte = -1;
    this.#highSurrogate = 0;
    this.#decl = DECL_START;
    this.#outLength = 0;
    this.#colN = 0;
    this.#colUid = undefined;
  }

  // ------------------------------------------------------------ XmlHandler (called by the reader)

  startElement(ns: string, local: string, attributes: readonly XmlAttribute[]): void {
    if (this.#skip !== 0) {
      this.#skip++;
      if (this.#forward !== undefined) this.#forward.startElement(ns, local, attributes);
      return;
    }
    const d = this.#depth;
    const parent = this.#states[d];
    const s = CHILDREN[parent][local]; // a property lookup costs a few units on XS; a scan, ~20 per entry
    if (s === undefined || NS[s] !== ns) {
      this.unknown(parent, ns, local, attributes);
      return;
    }
    const kind = KIND[s];
    this.#states[d + 1] = s;
    this.#depth = d + 1;
    if (kind <= 1 /* K_LEAF_LIST */) return; // leaves act at their end
    const objs = this.#objs;
    if (kind === 2 /* K_PASS */) {
      objs[d + 1] = objs[d];
      return;
    }
    if (kind === 3 /* K_LIST */) {
      const enclosing = objs[d] as Obj;
      objs[d + 1] = enclosing;
      if (enclosing[FIELD[s]] === undefined) enclosing[FIELD[s]] = [];
      this.#listBase[d + 1] = this.#top;
      if (this.#columns && HOOK[s] === 7 /* H_INTERVALS */) this.#colN = 0;
      return;
    }
    if (kind === 6 /* K_SIGNATURE */) {
      this.#depth = d;
      this.#signed = true;
      this.#skip = 1;
      this.#forward = this.#options.signature;
      if (this.#forward !== undefined) this.#forward.startElement(ns, local, attributes);
      return;
    }
    // 4 /* K_OBJ */, 5 /* K_OBJ_LIST */
    const o: Obj = {};
    const tag = TAG[s];
    if (tag !== EMPTY) o[tag] = local;
    const init = INIT[s];
    if (init !== null) for (let k = 0; k < init.length; k++) o[init[k]] = [];
    const field = FIELD[s];
    if (field !== EMPTY) {
      const enclosing = objs[d] as Obj;
      if (kind === 4 /* K_OBJ */) {
        enclosing[field] = o;
      } else if (KIND[parent] === 3 /* K_LIST */) {
        this.#items[this.#top++] = o;
      } else {
        let a = enclosing[field] as unknown[] | undefined;
        if (a === undefined) enclosing[field] = a = [];
        a.push(o);
      }
    }
    objs[d + 1] = o;
    const hook = HOOK[s];
    if (hook === 1 /* H_MESSAGE */ || hook === 2 /* H_DISTRIBUTE */) {
      this.#message = o;
      if (hook === 2 /* H_DISTRIBUTE */) {
        o.eventCount = 0;
        if (this.#options.onEvent === undefined) o.events = [];
      }
    }
  }

  text(value: string): void {
    if (this.#skip === 0) {
      // only a leaf keeps its text (mixed content in containers is ignored)
      if (KIND[this.#states[this.#depth]] <= 1 /* K_LEAF_LIST */) this.#text = value;
    } else if (this.#forward !== undefined && this.#forward.text !== undefined) {
      this.#forward.text(value);
    }
  }

  endElement(ns: string, local: string): void {
    if (this.#skip !== 0) {
      if (this.#forward !== undefined) this.#forward.endElement(ns, local);
      if (--this.#skip === 0) this.#forward = undefined;
      return;
    }
    const d = this.#depth;
    const s = this.#states[d];
    const kind = KIND[s];
    const objs = this.#objs;
    if (kind === 0 /* K_LEAF */) {
      const text = this.#text;
      this.#text = EMPTY;
      const conv = CONV[s];
      (objs[d - 1] as Obj)[FIELD[s]] = conv === 0 /* C_STR */ ? text : this.convert(conv, text, d);
      this.#depth = d - 1;
      return;
    }
    if (kind === 1 /* K_LEAF_LIST */) {
      const text = this.#text;
      this.#text = EMPTY;
      const value = this.convert(CONV[s], text, d);
      if (KIND[this.#states[d - 1]] === 3 /* K_LIST */) {
        this.#items[this.#top++] = value;
      } else {
        const o = objs[d - 1] as Obj;
        const field = FIELD[s];
        let a = o[field] as unknown[] | undefined;
        if (a === undefined) o[field] = a = [];
        a.push(value);
      }
    } else if (kind === 3 /* K_LIST */) {
      if (this.#columns && HOOK[s] === 7 /* H_INTERVALS */) this.closeColumns(objs[d] as Obj);
      else this.closeList(objs[d] as Obj, FIELD[s], this.#listBase[d]);
    } else if (kind >= 4 /* K_OBJ */) {
      const o = objs[d] as Obj;
      const required = REQUIRED[s];
      if (required !== null) {
        for (let k = 0; k < required.length; k++) {
          if (o[required[k]] === undefined) throw new OadrDecodeError("missing", this.path(d, required[k]), `required ${required[k]} missing`);
        }
      }
      const hook = HOOK[s];
      if (hook !== 0 /* H_NONE */) this.hookEnd(hook, d);
    }
    objs[d] = undefined;
    this.#depth = d - 1;
  }

  // ------------------------------------------------------------ internals

  /**
   * The items of a list container were stacked in #items from `base` (XML nesting keeps them
   * contiguous); they become one exact-size array. On XS, growing an array by push reallocates it
   * every few items while it is small — ≈100–230 bytes of garbage per item for lists of 10–40 —
   * while slice allocates once.
   */
  private closeList(o: Obj, field: string, base: number): void {
    const items = this.#items;
    const top = this.#top;
    if (top === base) return;
    const existing = o[field] as unknown[];
    if (existing.length === 0) {
      o[field] = items.slice(base, top);
    } else {
      for (let k = base; k < top; k++) existing.push(items[k]);
    }
    for (let k = base; k < top; k++) items[k] = undefined;
    this.#top = base;
  }

  private hookEnd(hook: number, d: number): void {
    const objs = this.#objs;
    if (hook === 6 /* H_INTERVAL */) {
      if (this.#columns) this.row(objs[d] as Obj);
    } else if (hook === 3 /* H_EVENT */) {
      const event = objs[d] as Obj;
      if (event.eiTarget === undefined) { event.eiTarget = {}; event.targets = []; }
      const message = this.#message as unknown as OadrDistributeEvent;
      message.eventCount++;
      objs[d] = undefined;
      const onEvent = this.#options.onEvent;
      if (onEvent !== undefined) onEvent(event as unknown as OadrEvent, message);
      else message.events!.push(event as unknown as OadrEvent);
    } else if (hook === 4 /* H_EVENT_TARGET */) {
      const grouped = objs[d] as Record<string, string[] | undefined>;
      const targets: Target[] = [];
      for (let t = 0; t < TARGET_TYPES.length; t++) {
        const values = grouped[TARGET_TYPES[t]];
        if (values !== undefined) for (let k = 0; k < values.length; k++) targets.push({ type: TARGET_TYPES[t], value: values[k] });
      }
      (objs[d - 1] as Obj).targets = targets;
    } else if (hook === 1 /* H_MESSAGE */ || hook === 2 /* H_DISTRIBUTE */) {
      this.#result = this.#message as unknown as DecodedPayload;
    }
  }

  /** An interval ends (columns mode): its values become row #colN; the object (top item) is dropped. */
  private row(o: Obj): void {
    this.#items[--this.#top] = undefined;
    const k = this.#colN;
    let duration = this.#colDuration;
    if (duration === undefined || k === duration.length) {
      const size = duration === undefined ? 32 : duration.length * 2;
      const grow = (a: Float64Array | undefined): Float64Array => {
        const b = new Float64Array(size);
        if (a !== undefined) b.set(a);
        return b;
      };
      this.#colDuration = duration = grow(duration);
      this.#colValue = grow(this.#colValue);
      this.#colStart = grow(this.#colStart);
    }
    if (k === 0) {
      this.#colHasStart = false;
      this.#colUid = undefined;
    }
    const start = o.dtstart as number | undefined;
    if (start !== undefined) this.#colHasStart = true;
    this.#colStart![k] = start === undefined ? NaN : start;
    const d = o.duration as number | undefined;
    duration[k] = d === undefined ? NaN : d;
    this.#colValue![k] = o.signalPayload as number;
    const uid = o.uid as string | undefined;
    if (this.#colUid !== undefined) {
      this.#colUid.push(uid);
    } else if (k >= UIDS.length || uid !== UIDS[k]) {
      const uids: (string | undefined)[] = this.#colUid = [];
      for (let j = 0; j < k; j++) uids.push(UIDS[j]);
      uids.push(uid);
    }
    this.#colN = k + 1;
  }

  /** The strm:intervals of a signal/baseline ends (columns mode): exact-size columns on `o`. */
  private closeColumns(o: Obj): void {
    const n = this.#colN;
    const columns: IntervalColumns = {
      length: n,
      duration: n === 0 ? new Float64Array(0) : this.#colDuration!.slice(0, n),
      value: n === 0 ? new Float64Array(0) : this.#colValue!.slice(0, n),
    };
    if (n > 0 && this.#colHasStart) columns.dtstart = this.#colStart!.slice(0, n);
    if (n > 0 && this.#colUid !== undefined) columns.uid = this.#colUid;
    this.#colUid = undefined;
    this.#colN = 0;
    o.intervals = NO_INTERVALS;
    o.columns = columns;
  }

  /** The common conversions; the rest in #convertRare (a smaller frame under the reader: XS reserves a
   *  slot per local, module constant and private name a function uses). */
  private convert(conv: number, text: string, d: number): unknown {
    if (conv === 3 /* C_DATETIME */) {
      const v = dateTimeOrNaN(text);
      if (v !== v) throw this.valueError("date-time", "not an ISO-8601 date-time", text, d);
      return v;
    }
    if (conv === 2 /* C_DURATION */) {
      if (text === this.#lastDurationText) return this.#lastDuration;
      const v = durationOrNaN(text);
      if (v !== v) throw this.valueError("duration", "not an ISO-8601 duration", text, d);
      this.#lastDurationText = text;
      this.#lastDuration = v;
      return v;
    }
    if (conv === 1 /* C_FLOAT */) {
      const v = toFloat(text);
      if (v === undefined) throw this.valueError("number", "not a number", text, d);
      return v;
    }
    if (conv === 0 /* C_STR */) return text;
    return this.convertRare(conv, text, d);
  }

  private convertRare(conv: number, text: string, d: number): unknown {
    switch (conv) {
      case 4 /* C_TOKEN */:
        return trim(text);
      case 5 /* C_UINT */: {
        const v = toFloat(text);
        if (v === undefined || !(v >= 0 && v <= 4294967295 && Math.floor(v) === v)) throw this.valueError("number", "not an unsigned integer", text, d);
        return v;
      }
      case 6 /* C_BOOL */: {
        if (text === TRUE || text === ONE) return true;
        if (text === FALSE || text === ZERO) return false;
        const t = trim(text);
        if (t === TRUE || t === ONE) return true;
        if (t === FALSE || t === ZERO) return false;
        throw this.valueError("boolean", "not a boolean", text, d);
      }
      case 7 /* C_EVENT_STATUS */:
        return this.enum(text, EVENT_STATUSES, d);
      case 8 /* C_SIGNAL_TYPE */:
        return this.enum(text, SIGNAL_TYPES, d);
      case 9 /* C_OPT_TYPE */:
        return this.enum(text, OPT_TYPES, d);
      case 10 /* C_RESPONSE_REQUIRED */:
        return this.enum(text, RESPONSE_REQUIRED, d);
      default:
        return text;
    }
  }

  private enum(text: string, values: readonly string[], d: number): string {
    if (values.indexOf(text) >= 0) return text;
    const t = trim(text);
    if (values.indexOf(t) < 0) throw this.valueError("enum", `not one of ${values.join(", ")}`, text, d);
    return t;
  }

  /** "/oadrPayload/…/<element at depth d>[/extra]", from the states' names. */
  private path(d: number, extra?: string): string {
    let p = "";
    for (let k = 1; k <= d; k++) p += "/" + LOCAL[this.#states[k]];
    return extra !== undefined ? p + "/" + extra : p;
  }

  private valueError(reason: OadrDecodeReason, message: string, text: string, d: number): OadrDecodeError {
    const shown = text.length > 40 ? text.slice(0, 40) + "…" : text;
    return new OadrDecodeError(reason, this.path(d), `${JSON.stringify(shown)}: ${message}`);
  }

  /** An element the grammar does not know here: skipped with its subtree, or an error at the top. */
  private unknown(parent: number, ns: string, local: string, attributes: readonly XmlAttribute[]): void {
    if (HOOK[parent] === 5 /* H_STRICT */) {
      const known = ROOT_NAMES.indexOf(local) >= 0;
      const where = parent === 0 ? "root" : "message";
      const path = this.path(this.#depth, local);
      if (known) throw new OadrDecodeError("namespace", path, `${where} ${local} in namespace "${ns}", expected OpenADR 2.0b`);
      throw new OadrDecodeError("root", path, `unexpected ${where} element ${local}${ns ? ` ("${ns}")` : ""}: not an OpenADR 2.0b payload`);
    }
    void attributes;
    this.#skip = 1;
  }

  private fail(error: unknown): unknown {
    let e: OadrDecodeError;
    if (error instanceof OadrDecodeError) e = error;
    else if (error instanceof XmlError) {
      const reason = error.code.startsWith("limit") ? "limit" : "xml";
      e = new OadrDecodeError(reason, this.path(this.#depth), `${reason === "xml" ? "malformed XML" : "XML limit"}: ${error.message}`, error, error.offset);
    }
    else return error; // thrown by onEvent or the signature hook: not the decoder's business
    this.#phase = S_FAILED;
    this.#error = e;
    return e;
  }

  // ------------------------------------------------------------ encodings

  /** Decides the encoding from the first bytes (3 at most). */
  private sniff(final: boolean): void {
    const h = this.#head;
    const n = this.#headLength;
    const b0 = h[0];
    let enc = ENC_UTF8;
    let skip = 0;
    if (b0 === 0xEF) {
      if (n >= 2 && h[1] !== 0xBB) enc = ENC_UTF8;
      else if (n < 3 && !final) return;
      else if (n === 3 && h[2] === 0xBF) skip = 3;
    } else if (b0 === 0xFE || b0 === 0xFF) {
      if (n < 2 && !final) return;
      if (b0 === 0xFE && h[1] === 0xFF) { enc = ENC_UTF16BE; skip = 2; }
      else if (b0 === 0xFF && h[1] === 0xFE) { enc = ENC_UTF16LE; skip = 2; }
    }
    this.#encoding = enc;
    this.#headLength = 0;
    // replay what was buffered beyond the BOM
    for (let k = skip; k < n; k++) {
      const b = h[k];
      if (enc === ENC_UTF8) {
        if (this.#phase === S_IDLE && isSpace(b)) continue;
        this.#phase = S_READING;
        this.#reader.write(h, k, n);
        break;
      }
      this.#phase = S_READING;
      this.transcode(h, k, n);
      break;
    }
  }

  /** UTF-16 → UTF-8 into a small buffer fed to the reader; drops a leading XML declaration. */
  private transcode(chunk: Uint8Array, start: number, end: number): void {
    const be = this.#encoding === ENC_UTF16BE;
    for (let i = start; i < end; i++) {
      if (this.#pendingByte < 0) { this.#pendingByte = chunk[i]; continue; }
      const unit = be ? (this.#pendingByte << 8) | chunk[i] : (chunk[i] << 8) | this.#pendingByte;
      this.#pendingByte = -1;
      let cp = unit;
      if (unit >= 0xD800 && unit <= 0xDBFF) { this.#highSurrogate = unit; continue; }
      if (unit >= 0xDC00 && unit <= 0xDFFF) {
        cp = this.#highSurrogate !== 0 ? 0x10000 + ((this.#highSurrogate - 0xD800) << 10) + (unit - 0xDC00) : 0xFFFD;
        this.#highSurrogate = 0;
      } else if (this.#highSurrogate !== 0) {
        this.#highSurrogate = 0;
        this.char(0xFFFD);
      }
      this.char(cp);
    }
    this.flushTranscoded(false);
  }

  private char(cp: number): void {
    if (this.#decl !== DECL_DONE) {
      switch (this.#decl) {
        case DECL_START:
          if (cp === 0x3C) { this.#decl = DECL_LT; return; }
          if (isSpace(cp)) return;
          this.#decl = DECL_DONE;
          break;
        case DECL_LT:
          if (cp === 0x3F) { this.#decl = DECL_IN; return; }
          this.#decl = DECL_DONE;
          this.emit(0x3C);
          break;
        case DECL_IN:
          if (cp === 0x3F) this.#decl = DECL_QUESTION;
          return;
        case DECL_QUESTION:
          this.#decl = cp === 0x3E ? DECL_DONE : cp === 0x3F ? DECL_QUESTION : DECL_IN;
          return;
      }
    }
    this.emit(cp);
  }

  private emit(cp: number): void {
    let out = this.#out;
    if (out === undefined) this.#out = out = new Uint8Array(TRANSCODE_SIZE);
    if (this.#outLength > TRANSCODE_SIZE - 4) this.flushTranscoded(false);
    let n = this.#outLength;
    if (cp < 0x80) out[n++] = cp;
    else if (cp < 0x800) { out[n++] = 0xC0 | (cp >> 6); out[n++] = 0x80 | (cp & 63); }
    else if (cp < 0x10000) { out[n++] = 0xE0 | (cp >> 12); out[n++] = 0x80 | ((cp >> 6) & 63); out[n++] = 0x80 | (cp & 63); }
    else { out[n++] = 0xF0 | (cp >> 18); out[n++] = 0x80 | ((cp >> 12) & 63); out[n++] = 0x80 | ((cp >> 6) & 63); out[n++] = 0x80 | (cp & 63); }
    this.#outLength = n;
  }

  private flushTranscoded(final: boolean): void {
    if (final && this.#decl === DECL_LT) { this.#decl = DECL_DONE; this.emit(0x3C); }
    if (this.#outLength > 0) {
      const n = this.#outLength;
      this.#outLength = 0;
      this.#reader.write(this.#out!, 0, n);
    }
  }
}

/** Decodes one whole payload (tests, tools, small replies). */
export function decodeOadr(bytes: Uint8Array, options?: OadrDecoderOptions): DecodedPayload {
  const decoder = new OadrDecoder(options);
  decoder.write(bytes);
  return decoder.end();
}
