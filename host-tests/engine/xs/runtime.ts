// XS side of the host engine: the command handler the driver talks to, the frame codec (JSON plus
// binary blobs for Uint8Array/ArrayBuffer), the virtual clock, the timer queue and the bridge to Node
// (issueCommand). Bundled first, before the test entry. Runs on XS only; not part of the firmware.

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const g = globalThis as Any;
const hostIssue: (buffer: ArrayBuffer) => ArrayBuffer = g.issueCommand;
const hostPrint: (...args: unknown[]) => void = g.print;
const hostResetMeter: ((limit: number, index: number) => number) | undefined = g.resetMeter;
const hostPeak: ((reset?: boolean) => number[]) | undefined = g.xsPeak; // patched worker only
// Device-equivalent stack count (patched worker): 1 = a device would enter JavaScript here (a timer
// callback, a host event's handler, a called function: native code calls them on the device), 0 = left;
// 2/3 = pause/resume counting (the bridge to Node, native on the device).
const hostStack: (op: number) => number = g.xsStack ?? (() => 0);
/** A host module standing in for a native function: its callees are not counted (see hostStack). */
export function nativeBegin(): void { hostStack(2); }
export function nativeEnd(): void { hostStack(3); }

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// ---------- frame codec ----------
// frame: u32 jsonLength, u32 blobCount, blobCount × (u32 offset, u32 length), JSON bytes, blob bytes.
// In JSON a blob is {"$u8": i} (Uint8Array) or {"$ab": i} (ArrayBuffer).

function reviveWith(blobs: Uint8Array[]) {
  return function (_key: string, value: Any) {
    if (value !== null && typeof value === "object") {
      if (typeof value.$u8 === "number") return blobs[value.$u8];
      if (typeof value.$ab === "number") {
        const b = blobs[value.$ab];
        return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
      }
    }
    return value;
  };
}

export function decodeFrame(buffer: ArrayBuffer): Any {
  const view = new DataView(buffer);
  const jsonLength = view.getUint32(0, true);
  const count = view.getUint32(4, true);
  const jsonStart = 8 + count * 8;
  const dataStart = jsonStart + jsonLength;
  const text = decoder.decode(new Uint8Array(buffer, jsonStart, jsonLength));
  if (count === 0) return JSON.parse(text);
  const blobs: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const offset = view.getUint32(8 + i * 8, true);
    const length = view.getUint32(12 + i * 8, true);
    blobs.push(new Uint8Array(buffer, dataStart + offset, length));
  }
  return JSON.parse(text, reviveWith(blobs));
}

export function encodeFrame(value: Any): ArrayBuffer {
  const blobs: Uint8Array[] = [];
  const u8proto = Uint8Array.prototype as Any;
  const abproto = ArrayBuffer.prototype as Any;
  u8proto.toJSON = function (this: Uint8Array) { blobs.push(this); return { $u8: blobs.length - 1 }; };
  abproto.toJSON = function (this: ArrayBuffer) { blobs.push(new Uint8Array(this)); return { $ab: blobs.length - 1 }; };
  let text: string;
  try {
    text = JSON.stringify(value) ?? "null";
  } finally {
    delete u8proto.toJSON;
    delete abproto.toJSON;
  }
  const json = encoder.encode(text);
  const count = blobs.length;
  let dataLength = 0;
  for (let i = 0; i < count; i++) dataLength += blobs[i].byteLength;
  const jsonStart = 8 + count * 8;
  const out = new ArrayBuffer(jsonStart + json.byteLength + dataLength);
  const view = new DataView(out);
  const bytes = new Uint8Array(out);
  view.setUint32(0, json.byteLength, true);
  view.setUint32(4, count, true);
  bytes.set(json, jsonStart);
  let offset = 0;
  const dataStart = jsonStart + json.byteLength;
  for (let i = 0; i < count; i++) {
    const b = blobs[i];
    view.setUint32(8 + i * 8, offset, true);
    view.setUint32(12 + i * 8, b.byteLength, true);
    bytes.set(b, dataStart + offset);
    offset += b.byteLength;
  }
  return out;
}

// ---------- bridge to Node ----------

/** Synchronous request to the Node host (XS blocks until Node answers). Throws what the host throws. */
export function host(op: string, args?: Any): Any {
  hostStack(2);
  let reply: Any;
  try {
    reply = decodeFrame(hostIssue(encodeFrame({ op, ...args })));
  } finally {
    hostStack(3);
  }
  if (reply.error) {
    const e = new Error(reply.error.message);
    if (reply.error.name) e.name = reply.error.name;
    throw e;
  }
  return reply.value;
}

function format(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try { return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value); } catch { return String(value); }
}

function print(...args: unknown[]): void {
  host("print", { line: args.map(format).join(" ") });
}
function trace(...args: unknown[]): void {
  // Moddable's trace prints without a newline; the host joins fragments into lines.
  host("trace", { text: args.map(format).join("") });
}
g.print = print;
g.trace = trace;
g.console = Object.freeze({ log: print, warn: print, error: print, info: print, debug: print });
void hostPrint;

// ---------- meters ----------

/** Current value of XS's computation meter (does not disturb the crank meter). */
export function meterNow(): number {
  if (!hostResetMeter) return 0;
  const m = hostResetMeter(0, 0);
  hostResetMeter(0, m);
  return m;
}

/** [chunksInUse, slotsInUse, peakChunks, peakSlots, peakStack, peakStackDevice] from the patched worker,
 *  or zeros. */
export function memory(reset = false): number[] {
  return hostPeak ? hostPeak(reset) : [0, 0, 0, 0, 0, 0];
}

// ---------- virtual clock ----------
// ticks: monotonic ms since boot; wall = ticks + wallOffset (ms since epoch). Node owns the clock
// between commands and sends it with each command; XS code may move it (Time.set, Timer.delay) and
// the reply carries it back.

const init = g.__xsHostInit ?? {};
export const clock = { ticks: init.t ?? 0, wallOffset: init.w ?? 0, valid: init.valid ?? true, timezone: 0, dst: 0, changed: false };
/** Boot count of this engine instance (1 at start, +1 per xs.restart()). */
export const boot: number = init.boot ?? 1;

/** Wall clock as XS sees it: before the time is set (clock.valid false) a device counts from the epoch. */
export function wallNow(): number { return Math.floor(clock.valid ? clock.ticks + clock.wallOffset : clock.ticks); }

/** Moves the virtual clock inside a turn (Timer.delay, analog reads that take time). */
export function spendTime(ms: number): void {
  if (ms > 0) clock.ticks += ms;
}

const RealDate = Date;
class VirtualDate extends RealDate {
  constructor(...args: Any[]) {
    if (args.length === 0) super(wallNow());
    else super(...(args as [Any]));
  }
  static override now(): number { return wallNow(); }
}
g.Date = VirtualDate;

// ---------- seeded Math.random (mulberry32) ----------
let seed = (init.seed ?? 1) >>> 0;
export function setSeed(s: number): void { seed = s >>> 0; }
Math.random = function random(): number {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

// ---------- timers (Moddable Timer semantics on the virtual monotonic clock) ----------

// A timer is one object, which is also the handle Timer.set returns, and one Map entry: on the device a
// timer is a host object (2 slots) whose callback and schedule live in native memory (modTimer.c), so the
// XS-side bookkeeping here is kept as small as the model allows (≈10 slots a timer; it was ≈27 with a
// separate handle, a WeakMap and a wrapper closure, which fixed-heap tests counted as firmware memory).
const FIRING = 1, RESCHEDULED = 2, DEAD = 4, DORMANT = 8;
export class TimerRecord {
  when: number;
  interval: number;
  readonly callback: (t: Any) => void;
  seq: number;
  flags = 0;
  readonly id: number;
  constructor(id: number, when: number, interval: number, callback: (t: Any) => void, seq: number) {
    this.when = when;
    this.interval = interval;
    this.callback = callback;
    this.seq = seq;
    this.id = id;
  }
  get dead(): boolean { return (this.flags & DEAD) !== 0; }
  kill(): void { this.flags |= DEAD; }
  get dormant(): boolean { return (this.flags & DORMANT) !== 0; }
  set dormant(on: boolean) { this.flags = on ? this.flags | DORMANT : this.flags & ~DORMANT; }
}
const timers = new Map<number, TimerRecord>();
let timerSeq = 0;
let timerIds = 0;

/** A new timer; the record is the handle its callback receives. */
export function timerAdd(callback: (t: Any) => void, delay: number, interval: number): TimerRecord {
  const record = new TimerRecord(++timerIds, clock.ticks + Math.max(0, delay || 0), interval, callback, ++timerSeq);
  timers.set(record.id, record);
  return record;
}
export function timerGet(id: number): TimerRecord | undefined { return timers.get(id); }
export function timerSchedule(record: TimerRecord, delay: number, interval: number): void {
  record.flags &= ~DORMANT;
  record.when = clock.ticks + Math.max(0, delay || 0);
  record.interval = interval;
  record.seq = ++timerSeq;
  if (record.flags & FIRING) record.flags |= RESCHEDULED;
  timers.set(record.id, record);
}
export function timerRemove(id: number): void { timers.delete(id); }

function nextTimer(): TimerRecord | undefined {
  let best: TimerRecord | undefined;
  for (const t of timers.values()) {
    if (t.dormant) continue;
    if (!best || t.when < best.when || (t.when === best.when && t.id < best.id)) best = t;
  }
  return best;
}

/** Fire the earliest timer if it is due at the current ticks. Promise jobs run after the command. */
function fireOne(): boolean {
  const t = nextTimer();
  if (!t || t.when > clock.ticks) return false;
  // Moddable (modTimersExecute): trigger += repeat before the callback; a one-shot timer is removed
  // after its callback even if the callback rescheduled it without a repeat interval.
  t.when += t.interval;
  t.flags |= FIRING;
  try {
    hostStack(1);
    t.callback.call(globalThis, t);
  } finally {
    hostStack(0);
    if (t.interval <= 0) {
      if (t.flags & RESCHEDULED) print(`[timer] a one-shot timer rescheduled from its own callback without a repeat is dropped (as Moddable does)`);
      timers.delete(t.id);
      t.flags |= DEAD;
    }
    t.flags &= ~(FIRING | RESCHEDULED);
  }
  return true;
}

// ---------- events from Node (network completions, pin changes ...) ----------

const eventHandlers = new Map<string, (event: Any) => void>();
export function onHostEvent(kind: string, handler: (event: Any) => void): void { eventHandlers.set(kind, handler); }

// ---------- exposed functions and calls ----------

const functions = new Map<string, (...args: Any[]) => Any>();
export function register(table: Record<string, (...args: Any[]) => Any>): void {
  for (const name of Object.keys(table)) {
    if (typeof table[name] !== "function") throw new TypeError(`expose: ${name} is not a function`);
    functions.set(name, table[name]);
  }
}

interface Settled { id: number; ok: boolean; value?: Any; error?: Any; meter?: Any }
let settled: Settled[] = [];
const uncaught: string[] = [];

function errorRecord(e: Any): Any {
  if (e instanceof Error) return { name: e.name, message: e.message, stack: (e as Any).stack };
  return { name: "Error", message: format(e), thrown: e };
}

function startCall(id: number, name: string, args: Any[], metered: boolean): void {
  const fn = functions.get(name);
  if (!fn) {
    settled.push({ id, ok: false, error: { name: "Error", message: `no exposed function "${name}" (have: ${[...functions.keys()].join(", ")})` } });
    return;
  }
  const perf = g.performance;
  let start = [0, 0];
  if (metered) { g.gc(); start = memory(true); }
  const t0 = perf.now();
  const m0 = meterNow();
  const finish = (ok: boolean, v: Any) => {
    const record: Settled = { id, ok };
    if (ok) record.value = v; else record.error = errorRecord(v);
    if (metered) {
      const compute = meterNow() - m0;
      const wallMs = perf.now() - t0;
      const [chunksInUse, slotsInUse, peakChunks, peakSlots, peakStack, peakStackDevice] = memory(false);
      // peaks: growth over what was in use when the call started (after a collection)
      record.meter = { compute, wallMs, chunksInUse, slotsInUse, peakChunks: peakChunks - start[0], peakSlots: peakSlots - start[1], peakStack, peakStackDevice };
    }
    settled.push(record);
  };
  try {
    hostStack(1);
    let r: Any;
    try { r = fn(...args); } finally { hostStack(0); }
    if (r !== null && typeof r === "object" && typeof r.then === "function") {
      r.then((v: Any) => finish(true, v), (e: Any) => finish(false, e));
    } else {
      finish(true, r);
    }
  } catch (e) {
    finish(false, e);
  }
}

// ---------- the command handler ----------

function replyState(): ArrayBuffer {
  const next = nextTimer();
  const done = settled;
  settled = [];
  const errors = uncaught.splice(0);
  const state: Any = { done, next: next ? next.when : null, t: clock.ticks, w: clock.wallOffset };
  if (clock.changed) {
    state.clock = { valid: clock.valid, timezone: clock.timezone, dst: clock.dst };
    clock.changed = false;
  }
  if (errors.length) state.uncaught = errors;
  try {
    return encodeFrame(state);
  } catch (e) {
    // a result that cannot be encoded (cycle, BigInt): report it as an error of that call
    for (const d of done) { d.ok = false; d.error = { name: "TypeError", message: `result not encodable: ${format(e)}` }; delete d.value; }
    return encodeFrame(state);
  }
}

function guard(what: string, f: () => void): void {
  try { f(); } catch (e) { uncaught.push(`${what}: ${e instanceof Error ? `${e.name}: ${e.message}` : format(e)}`); }
}

g.handleCommand = function handleCommand(buffer: ArrayBuffer): Any {
  const message = decodeFrame(buffer);
  if (typeof message.t === "number") clock.ticks = message.t;
  if (typeof message.w === "number") clock.wallOffset = message.w;
  switch (message.op) {
    case "call":
      startCall(message.id, message.name, message.args, !!message.metered);
      break;
    case "fire":
      guard("timer callback", () => { fireOne(); });
      break;
    case "event": {
      const handler = eventHandlers.get(message.kind);
      if (handler) guard(`${message.kind} event`, () => {
        hostStack(1);
        try { handler(message.event); } finally { hostStack(0); }
      });
      break;
    }
    case "clock":
      clock.valid = message.valid ?? clock.valid;
      break;
    case "seed":
      setSeed(message.seed);
      break;
    case "peak":
      settled.push({ id: message.id, ok: true, value: memory(!!message.reset) });
      break;
    case "state":
      break;
  }
  // XS runs promise jobs after this returns; the worker reads `result` afterwards, so the reply
  // includes calls settled by those jobs.
  return { get result() { return replyState(); } };
};
