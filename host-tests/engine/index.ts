// The XS host engine: runs a bundled XS-side entry in xsnap-worker, calls exposed functions, drives a
// virtual clock (timers, network completions) and provides the host side of the platform modules.
// Contract: host-tests/engine/API.md. Not for firmware.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { bundle, LOAD_CHECK } from "./bundle.ts";
import { decodeFrame, encodeFrame } from "./codec.ts";
import { PowerLoss, Worker, XsError, workerPath, type Meter } from "./worker.ts";
import { installHostServices, type HostServices, type Resources } from "./host/services.ts";
import type { Network } from "./host/network.ts";
import type { Preferences } from "./host/preferences.ts";
import type { SimPins } from "./host-modules/sim-pins.ts";

export type { NetworkExchange, NetworkFault, NetworkRequestInfo, NetworkStats } from "./host/network.ts";
export type { WriteFault, PrefEntry } from "./host/preferences.ts";

export { PowerLoss, XsError } from "./worker.ts";

export type HeapProfile = "host" | "esp32";

/** An explicit memory budget (e.g. to search for the smallest heap a workload fits in). */
export interface HeapBudget { chunks: number; slots: number; stack: number; fixed: boolean }

export interface XsHostOptions {
  /** XS-side entry (repo-relative or absolute), bundled by esbuild. */
  entry: string;
  /** "host" (grows) | "esp32" (fixed: 78,848 B chunks, 4,928 slots, 512 stack slots) | an explicit budget. */
  heap?: HeapProfile | HeapBudget;
  /** Stack slots (overrides the profile's). */
  stack?: number;
  /** Backing directory of the host `preference` module (default: a fresh temp dir, removed at close). */
  storeDir?: string;
  /** Virtual clock start (ms since epoch; default 2026-11-22T00:00:00Z) and validity (default true). */
  clock?: { start: number; valid?: boolean };
  /** Seed of XS's Math.random replacement (default 1). */
  random?: { seed: number };
  /** esbuild `define`. */
  defines?: Record<string, string>;
  /** Merged over the manifest's `config` to form `mc/config`. */
  config?: Record<string, unknown>;
  /** Receives XS `print`/`trace` lines (default: only kept in xs.output). */
  onPrint?: (line: string) => void;
  /** Use the debug build of the worker. */
  debug?: boolean;
  /** Resources for the host `Resource` module: name → bytes, or a file path read when opened. */
  resources?: Record<string, Uint8Array | string>;
}

export interface XsMeter {
  /** XS computation meter units spent in the call (from the call to its settlement). */
  compute: number;
  /** Worker-wide meters from xsnap's reply (of the command during which the call settled). */
  allocate: number;
  currentHeapCount: number;
  /** Peaks during the call (reset just before the function runs; patched worker; 0 on the stock worker). */
  peakChunks: number;
  peakSlots: number;
  /** Stack high-water in slots from the stack's top, every frame counted (the engine's dispatch too). */
  peakStack: number;
  /** The same counted as a device would: from where native code enters JavaScript (timer callbacks, host
   *  events, called functions), without the engine's dispatch and its bridge to Node, plus XS's
   *  intrinsics (on the device's stack too). */
  peakStackDevice: number;
  /** In use when the call settled. */
  chunksInUse: number;
  slotsInUse: number;
  /** peakChunks + peakSlots × 32 (host slot size). */
  peakBytes: number;
  /** Real time spent in the function (ms, XS performance.now) — excludes argument/result transfer. */
  wallMs: number;
}

export interface PeakReport { chunksInUse: number; slotsInUse: number; peakChunks: number; peakSlots: number; peakStack: number; peakStackDevice: number; peakBytes: number }

const DEFAULT_START = Date.UTC(2026, 10, 22, 0, 0, 0);
const SLOT_BYTES = 32;
const MAX_STEPS_PER_INSTANT = 100_000;

/** Memory profiles passed to the patched worker. */
export const HEAP_PROFILES: Readonly<Record<HeapProfile, { chunks: number; slots: number; stack: number; fixed: boolean }>> = Object.freeze({
  host: { chunks: 32 * 1024 * 1024, slots: 256 * 1024, stack: 4096, fixed: false },
  esp32: { chunks: 78_848, slots: 4_928, stack: 512, fixed: true },
});

interface Deferred { resolve: (v: { value: unknown; meter?: XsMeter }) => void; reject: (e: Error) => void; settled: boolean }

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export class XsHost {
  readonly options: Readonly<XsHostOptions>;
  readonly output: string[] = [];
  /** Errors thrown by timer callbacks and event handlers inside XS (also printed). */
  readonly errors: string[] = [];
  /** Worker binary in use and whether it is the patched one. */
  readonly worker: { file: string; patched: boolean };
  readonly storeDir: string;
  readonly services: HostServices;

  #code: string;
  #worker!: Worker;
  #ownStore: boolean;
  #ticks = 0;
  #wallOffset: number;
  #valid: boolean;
  #nextTimer: number | null = null;
  #callIds = 0;
  #calls = new Map<number, Deferred>();
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  #traceLine = "";
  #stdoutLine = "";
  #lastMeter: Meter = { currentHeapCount: 0, compute: 0, allocate: 0 };
  #boots = 0;

  private constructor(options: XsHostOptions, code: string) {
    this.options = options;
    this.#code = code;
    this.worker = workerPath(options.debug ? "debug" : "release");
    this.#ownStore = !options.storeDir;
    this.storeDir = options.storeDir ?? mkdtempSync(path.join(os.tmpdir(), "xs-store-"));
    this.#wallOffset = options.clock?.start ?? DEFAULT_START;
    this.#valid = options.clock?.valid ?? true;
    this.services = installHostServices(this, { storeDir: this.storeDir, resources: options.resources });
  }

  static async start(options: XsHostOptions): Promise<XsHost> {
    const code = await bundle({ entry: options.entry, defines: options.defines, config: options.config });
    const xs = new XsHost(options, code);
    try {
      await xs.#boot();
    } catch (error) {
      await xs.close();
      throw error;
    }
    return xs;
  }

  // ---------- host services ----------

  /** Host network (http): counters, request log, fault injection, TLS/keep-alive settings. */
  get network(): Network { return this.services.network; }
  /** The NVS model behind `preference`: direct reads/writes, write faults (power loss). */
  get preferences(): Preferences { return this.services.preferences; }
  /** Simulated pins behind `embedded:io/digital` and `embedded:io/analog`. */
  get pins(): SimPins { return this.services.pins; }
  /** Resources for the `Resource` module. */
  get resources(): Resources { return this.services.resources; }

  /** Adds a line to the output (host-side notes about the run). */
  note(line: string): void { this.#emit(line); }

  // ---------- clock ----------

  /** Virtual wall clock as XS sees it (ms since epoch; while the clock is not valid, ms since boot, as
   *  a device without RTC before SNTP). */
  get now(): number { return Math.floor(this.#valid ? this.#ticks + this.#wallOffset : this.#ticks); }
  /** The "true" time the virtual world is at (what an SNTP server would answer). */
  get trueNow(): number { return Math.floor(this.#ticks + this.#wallOffset); }
  /** Virtual monotonic clock (ms since boot). */
  get ticks(): number { return this.#ticks; }
  get clockValid(): boolean { return this.#valid; }
  /** Due time (ticks) of the earliest XS timer, or null. */
  get nextTimer(): number | null { return this.#nextTimer; }
  /** Number of boots (1 after start, +1 per restart). */
  get boots(): number { return this.#boots; }

  // ---------- worker lifecycle ----------

  #workerArgs(): string[] {
    const heap = this.options.heap ?? "host";
    const profile = typeof heap === "string" ? HEAP_PROFILES[heap] : heap;
    const stack = this.options.stack ?? profile.stack;
    if (!this.worker.patched) {
      if (heap !== "host" || this.options.stack !== undefined) {
        throw new XsError("exit", `heap "${typeof heap === "string" ? heap : "budget"}"/stack need the patched xsnap-worker: run \`npm run postinstall\` (node host-tests/engine/build-xsnap.mjs)`);
      }
      return [];
    }
    return ["-H", `${profile.chunks},${profile.slots},${stack},${profile.fixed ? 1 : 0}`];
  }

  async #boot(): Promise<void> {
    this.#boots++;
    this.#worker = new Worker({
      file: this.worker.file,
      args: this.#workerArgs(),
      onHostCommand: (request) => this.#onHostCommand(request),
      onStdout: (text) => this.#onStdout(text),
    });
    const init = { t: this.#ticks, w: this.#wallOffset, valid: this.#valid, seed: this.options.random?.seed ?? 1, boot: this.#boots };
    await this.#worker.evaluate(`globalThis.__xsHostInit = ${JSON.stringify(init)};`);
    try {
      await this.#worker.evaluate(this.#code);
      await this.#worker.evaluate(LOAD_CHECK);
    } catch (error) {
      throw error instanceof XsError ? new XsError(error.code, `loading ${this.options.entry}: ${error.message}`, { cause: error }) : error;
    }
    // the baseline of the memory counters (and of the fixed heap) is the heap once the bundle has loaded
    if (this.worker.patched) await this.#worker.evaluate("xsFixHeap()");
    await this.#command({ op: "state" });
  }

  /** "Power cycle": a new worker with the same bundle and storeDir; ticks restart at 0, the wall clock
   *  continues (plus `offMs` of downtime). Calls pending in the old worker reject. */
  async restart(options: { offMs?: number } = {}): Promise<void> {
    await this.#exclusive(async () => {
      this.#worker.kill(new XsError("powerloss", "worker restarted"));
      await this.#worker.exitPromise;
      this.#failPending(new XsError("powerloss", "worker restarted"));
      this.#wallOffset += this.#ticks + (options.offMs ?? 0);
      this.#ticks = 0;
      this.#valid = this.options.clock?.valid ?? true; // no RTC: invalid again until set
      this.#nextTimer = null;
      this.services.reset();
      await this.#boot();
    });
  }

  /** Kills the worker now (as a power loss): pending calls reject with code "powerloss". */
  powerLoss(reason = "power lost"): void {
    this.#worker.kill(new XsError("powerloss", reason));
  }

  get alive(): boolean { return !this.#closed && this.#worker?.alive; }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try { await this.#queue; } catch { /* reported to its caller */ }
    if (this.#worker) await this.#worker.close();
    this.#failPending(new XsError("closed", "XsHost closed"));
    await this.services.close();
    if (this.#ownStore) rmSync(this.storeDir, { recursive: true, force: true });
  }

  #failPending(error: XsError): void {
    for (const d of this.#calls.values()) { d.settled = true; d.reject(error); }
    this.#calls.clear();
  }

  // ---------- output ----------

  #emit(line: string): void {
    this.output.push(line);
    this.options.onPrint?.(line);
  }
  #onStdout(text: string): void {
    const lines = (this.#stdoutLine + text).split("\n");
    this.#stdoutLine = lines.pop()!;
    for (const line of lines) this.#emit(line);
  }

  // ---------- host commands from XS (issueCommand) ----------

  #onHostCommand(request: Buffer): Buffer {
    let message: Any;
    try {
      message = decodeFrame(request);
      let value: unknown;
      switch (message.op) {
        case "print":
          this.#emit(message.line);
          break;
        case "trace": {
          const lines = (this.#traceLine + message.text).split("\n");
          this.#traceLine = lines.pop()!;
          for (const line of lines) this.#emit(line);
          break;
        }
        default: {
          const handler = this.services.handlers.get(message.op);
          if (!handler) throw new Error(`unknown host operation "${message.op}"`);
          value = handler(message);
        }
      }
      return encodeFrame({ value });
    } catch (error) {
      if (error instanceof PowerLoss) {
        this.#worker.kill(new XsError("powerloss", error.message));
        return Buffer.alloc(0);
      }
      const e = error as Error;
      return encodeFrame({ error: { name: e?.name ?? "Error", message: e?.message ?? String(error) } });
    }
  }

  // ---------- commands to XS ----------

  #exclusive<T>(f: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(() => {
      if (this.#closed && !this.#worker?.alive) throw new XsError("closed", "XsHost closed");
      return f();
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #command(message: Record<string, unknown>): Promise<Any> {
    const reply = await this.#worker.command(encodeFrame({ ...message, t: this.#ticks, w: this.#wallOffset }));
    this.#lastMeter = reply.meter;
    const state = decodeFrame(reply.body);
    this.#ticks = state.t;
    this.#wallOffset = state.w;
    this.#nextTimer = state.next;
    if (state.clock) this.#valid = state.clock.valid;
    if (state.uncaught) {
      for (const e of state.uncaught) {
        this.errors.push(e);
        this.#emit(`[xs uncaught] ${e}`);
      }
    }
    for (const done of state.done as Any[]) {
      const d = this.#calls.get(done.id);
      if (!d) continue;
      this.#calls.delete(done.id);
      d.settled = true;
      if (done.ok) {
        let meter: XsMeter | undefined;
        if (done.meter) {
          const m = done.meter;
          meter = {
            compute: m.compute, allocate: reply.meter.allocate, currentHeapCount: reply.meter.currentHeapCount,
            peakChunks: m.peakChunks, peakSlots: m.peakSlots, peakStack: m.peakStack, peakStackDevice: m.peakStackDevice ?? m.peakStack,
            chunksInUse: m.chunksInUse, slotsInUse: m.slotsInUse,
            peakBytes: m.peakChunks + m.peakSlots * SLOT_BYTES, wallMs: m.wallMs,
          };
        }
        d.resolve({ value: done.value, meter });
      } else {
        const e = done.error ?? {};
        d.reject(new XsError("exception", e.message ?? "XS error", { xsName: e.name, xsStack: e.stack }));
      }
    }
    return state;
  }

  #startCall(name: string, args: unknown[], metered: boolean): { id: number; promise: Promise<{ value: unknown; meter?: XsMeter }>; deferred: Deferred } {
    const id = ++this.#callIds;
    let deferred!: Deferred;
    const promise = new Promise<{ value: unknown; meter?: XsMeter }>((resolve, reject) => { deferred = { resolve, reject, settled: false }; });
    this.#calls.set(id, deferred);
    return { id, promise, deferred };
  }

  async #callDriven(name: string, args: unknown[], metered: boolean): Promise<{ value: unknown; meter?: XsMeter }> {
    const { id, promise, deferred } = this.#startCall(name, args, metered);
    promise.catch(() => undefined);
    await this.#exclusive(async () => {
      await this.#command({ op: "call", id, name, args, metered });
      // the result is pending: run the event loop at this instant (network, due timers) until it settles
      let steps = 0;
      while (!deferred.settled) {
        if (!(await this.#stepAt(this.#ticks))) break;
        if (++steps > MAX_STEPS_PER_INSTANT) break;
      }
    });
    if (!deferred.settled) {
      this.#calls.delete(id);
      const next = this.#nextTimer;
      throw new XsError("pending", `xs.call("${name}"): the promise is still pending with no network in flight and no timer due now` +
        (next !== null ? ` (next timer in ${next - this.#ticks} ms); use xs.begin() and xs.advance()` : ""));
    }
    return promise;
  }

  /** Calls an exposed function; a returned promise is awaited while the event loop runs at the current
   *  instant (network completions, timers due now). Rejects with code "pending" if it would need time to pass. */
  async call<T = Any>(name: string, ...args: unknown[]): Promise<T> {
    return (await this.#callDriven(name, args, false)).value as T;
  }

  /** Like call, with the XS meters of the call. */
  async callMetered<T = Any>(name: string, ...args: unknown[]): Promise<{ result: T; meter: XsMeter }> {
    const { value, meter } = await this.#callDriven(name, args, true);
    return { result: value as T, meter: meter! };
  }

  /** Starts a call and returns a promise of its result without driving the clock: use with advance(). */
  begin<T = Any>(name: string, ...args: unknown[]): Promise<T> {
    const { id, promise } = this.#startCall(name, args, false);
    this.#exclusive(() => this.#command({ op: "call", id, name, args, metered: false })).catch((error) => {
      const d = this.#calls.get(id);
      if (d) { this.#calls.delete(id); d.settled = true; d.reject(error); }
    });
    return promise.then((r) => r.value as T);
  }

  /** Worker-wide meters of the last command (xsnap's reply). */
  get lastMeter(): Meter { return this.#lastMeter; }

  /** Resets the peak counters (patched worker). */
  async resetPeak(): Promise<void> {
    await this.peak(true);
  }

  /** Current usage and peaks since the last reset (patched worker; zeros otherwise). */
  async peak(reset = false): Promise<PeakReport> {
    const { id, promise } = this.#startCall("", [], false);
    await this.#exclusive(() => this.#command({ op: "peak", id, reset }));
    const [chunksInUse, slotsInUse, peakChunks, peakSlots, peakStack, peakStackDevice] = (await promise).value as number[];
    return { chunksInUse, slotsInUse, peakChunks, peakSlots, peakStack, peakStackDevice: peakStackDevice ?? peakStack, peakBytes: peakChunks + peakSlots * SLOT_BYTES };
  }

  // ---------- event loop ----------

  /**
   * One unit of work at or before `limit` (ticks): deliver a host event due now, wait (real time) for
   * network in flight, fire one due timer, or move the clock to the next due item ≤ limit.
   * Returns false when nothing is due up to `limit`. Caller holds the queue.
   */
  async #stepAt(limit: number): Promise<boolean> {
    const event = this.services.takeDueEvent(this.#ticks);
    if (event) {
      await this.#command({ op: "event", kind: event.kind, event: event.event });
      return true;
    }
    if (this.services.inflight > 0) {
      await this.services.waitForActivity();
      return true;
    }
    if (this.#nextTimer !== null && this.#nextTimer <= this.#ticks) {
      await this.#command({ op: "fire" });
      return true;
    }
    const candidates = [this.#nextTimer, this.services.nextEventAt()].filter((x): x is number => x !== null);
    const next = candidates.length ? Math.min(...candidates) : null;
    if (next !== null && next <= limit) {
      this.#ticks = Math.max(this.#ticks, next);
      return true;
    }
    return false;
  }

  #checkErrors(before: number): void {
    if (this.errors.length > before) {
      throw new XsError("exception", `uncaught in XS: ${this.errors.slice(before).join("; ")}`);
    }
  }

  /** Runs the virtual clock forward by `ms`: fires due timers in order and delivers network completions.
   *  Rejects if a timer callback or event handler threw in XS (see xs.errors). */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`advance: ms must be ≥ 0 (${ms})`);
    const before = this.errors.length;
    const target = this.#ticks + ms;
    let steps = 0;
    let at = this.#ticks;
    for (;;) {
      const progressed = await this.#exclusive(() => this.#stepAt(target));
      if (!progressed) break;
      if (this.#ticks !== at) { at = this.#ticks; steps = 0; }
      if (++steps > MAX_STEPS_PER_INSTANT) throw new XsError("timeout", `advance: more than ${MAX_STEPS_PER_INSTANT} steps at ticks ${at} (a zero-interval timer loop?)`);
    }
    if (this.#ticks < target) this.#ticks = target;
    this.#checkErrors(before);
  }

  /** Advances step by step until `predicate` holds; resolves with the virtual ms elapsed; rejects with
   *  code "timeout" after maxMs (default 1 hour) of virtual time. */
  async runUntil(predicate: () => boolean | Promise<boolean>, options: { maxMs?: number } = {}): Promise<number> {
    const start = this.#ticks;
    const limit = start + (options.maxMs ?? 3_600_000);
    const before = this.errors.length;
    let steps = 0;
    let at = this.#ticks;
    for (;;) {
      if (await predicate()) return this.#ticks - start;
      const progressed = await this.#exclusive(() => this.#stepAt(limit));
      this.#checkErrors(before);
      if (!progressed) {
        this.#ticks = Math.max(this.#ticks, limit);
        if (await predicate()) return this.#ticks - start;
        throw new XsError("timeout", `runUntil: predicate still false after ${limit - start} ms of virtual time`);
      }
      if (this.#ticks !== at) { at = this.#ticks; steps = 0; }
      if (++steps > MAX_STEPS_PER_INSTANT) throw new XsError("timeout", `runUntil: more than ${MAX_STEPS_PER_INSTANT} steps at ticks ${at}`);
    }
  }

  /** A clock correction: the wall clock jumps to `ms` (ticks do not move); `valid` sets whether XS
   *  sees it (default: unchanged). */
  async setClock(ms: number, options: { valid?: boolean } = {}): Promise<void> {
    await this.#exclusive(async () => {
      this.#wallOffset = ms - this.#ticks;
      if (options.valid !== undefined) this.#valid = options.valid;
      await this.#command({ op: "clock", valid: this.#valid });
    });
  }

  /** Sends an event to XS-side handlers now (used by host services, e.g. pin changes). */
  async deliver(kind: string, event: unknown): Promise<void> {
    await this.#exclusive(() => this.#command({ op: "event", kind, event }));
  }
}
