// Node-side test support for the CIOF client: a virtual clock and scheduler, an in-memory Store with
// power-loss injection, an HttpTransport that hands requests to the terminal emulator in process,
// and a log collector. The XS runs use the engine instead (xs-*.test.ts).
import type { Clock, HttpRequest, HttpResponseHandler, HttpTransport, Log, Scheduler, Store, TimerHandle } from "../../modules/platform/types";
import { TransportError, STORE_KEY_MAX, STORE_VALUE_MAX } from "../../modules/platform/types";
import type { CiofTerminal } from "../peers/ciof-terminal.ts";
import { T0 } from "./site.ts";

export class VirtualTime implements Clock, Scheduler {
  #ticks = 0;
  #wall: number;
  #timers: { id: number; at: number; cb: () => void }[] = [];
  #ids = 0;
  valid = true;
  constructor(start = T0) { this.#wall = start; }
  now(): number { return this.#wall + this.#ticks; }
  ticks(): number { return this.#ticks; }
  set(callback: () => void, delayMs: number): TimerHandle {
    const id = ++this.#ids;
    this.#timers.push({ id, at: this.#ticks + Math.max(0, delayMs), cb: callback });
    return { id };
  }
  clear(handle: TimerHandle | undefined): void {
    if (handle) this.#timers = this.#timers.filter((t) => t.id !== handle.id);
  }
  get pending(): number { return this.#timers.length; }
  /** Power cycle: every timer of the old "boot" is gone; ticks restart at 0, the wall clock goes on. */
  powerCycle(offMs = 0): void {
    this.#timers = [];
    this.#wall += this.#ticks + offMs;
    this.#ticks = 0;
  }
  /** Runs timers due up to now+ms in order, letting promises settle between them. */
  async advance(ms: number): Promise<void> {
    const target = this.#ticks + ms;
    for (;;) {
      await settle();
      this.#timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const t = this.#timers[0];
      if (!t || t.at > target) break;
      this.#timers.shift();
      this.#ticks = Math.max(this.#ticks, t.at);
      t.cb();
    }
    this.#ticks = target;
    await settle();
  }
  async runUntil(pred: () => boolean, maxMs = 3_600_000, stepMs = 1000): Promise<number> {
    const start = this.#ticks;
    while (!pred()) {
      if (this.#ticks - start >= maxMs) throw new Error("runUntil: still false after " + maxMs + " ms");
      await this.advance(stepMs);
    }
    return this.#ticks - start;
  }
}

export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
}

export class PowerLoss extends Error { constructor() { super("power lost"); this.name = "PowerLoss"; } }

/** How a write cut by a power loss ends, as the engine's NVS model: old value kept, key erased
 *  (Moddable's ESP32 Preference.set erases first), or written. */
export type CutMode = "torn" | "erased" | "powerloss-after";

/** Map-backed Store with NVS limits, write counting and power-loss injection. */
export class MemStore implements Store {
  readonly map = new Map<string, string>();
  writes = 0;
  /** Power fails at this write (set or delete, 1-based), ending as `cutMode`. */
  failAt = 0;
  cutMode: CutMode = "torn";
  dead = false;
  get(key: string): string | undefined { this.#alive(); return this.map.get(key); }
  set(key: string, value: string): void {
    this.#alive();
    if (key.length === 0 || key.length > STORE_KEY_MAX || !/^[A-Za-z0-9_]+$/.test(key)) throw new RangeError("bad key " + key);
    if (Buffer.byteLength(value) >= STORE_VALUE_MAX) throw new RangeError("value of " + key + " too large: " + Buffer.byteLength(value));
    this.#cut(key, () => this.map.set(key, value));
  }
  delete(key: string): void { this.#alive(); this.#cut(key, () => this.map.delete(key)); }
  keys(): string[] { this.#alive(); return [...this.map.keys()]; }
  #cut(key: string, apply: () => void): void {
    this.writes++;
    if (this.failAt && this.writes === this.failAt) {
      if (this.cutMode === "erased") this.map.delete(key);
      else if (this.cutMode === "powerloss-after") apply();
      this.dead = true;
      throw new PowerLoss();
    }
    apply();
  }
  #alive(): void { if (this.dead) throw new PowerLoss(); }
  /** "Reboot": same contents, no failure armed. */
  revive(): void { this.dead = false; this.failAt = 0; }
  bytes(prefix = ""): number { let n = 0; for (const [k, v] of this.map) if (k.startsWith(prefix)) n += Buffer.byteLength(v); return n; }
}

/** HttpTransport that hands each request to the emulator; completions on a later virtual turn. */
export class EmulatorTransport implements HttpTransport {
  readonly stats = { handshakes: 0, requests: 0 };
  #closed = false;
  /** `alive`: false once the simulated device lost power (nothing more leaves it). */
  constructor(readonly terminal: CiofTerminal, readonly scheduler: Scheduler, readonly options: { latencyMs?: number; alive?: () => boolean } = {}) {}
  request(req: HttpRequest, handler: HttpResponseHandler) {
    if (this.options.alive && !this.options.alive()) return { abort() {} };
    this.stats.requests++;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
    const reply = this.terminal.handle({ method: req.method, path: req.path, headers, body: req.body ? Buffer.from(req.body).toString("utf8") : "" });
    let done = false;
    const timeout = req.timeoutMs ?? 30_000;
    const latency = this.options.latencyMs ?? 0;
    let timer: TimerHandle | undefined;
    const fire = (f: () => void, delay: number) => { timer = this.scheduler.set(() => { if (!done && (!this.options.alive || this.options.alive())) { done = true; f(); } }, delay); };
    if (reply.kind === "timeout") fire(() => handler.onError(new TransportError("timeout", "no reply within " + timeout + " ms")), timeout);
    else if (reply.kind === "reset") fire(() => handler.onError(new TransportError("closed", "connection reset")), latency);
    else fire(() => {
      handler.onHeaders?.(reply.status, { "content-type": "application/json" });
      const bytes = Buffer.from(reply.body, "utf8");
      for (let i = 0; i < bytes.length; i += 512) handler.onData?.(new Uint8Array(bytes.subarray(i, i + 512)));
      handler.onDone();
    }, latency);
    return { abort: () => { if (!done) { done = true; this.scheduler.clear(timer); handler.onError(new TransportError("aborted", "aborted")); } } };
  }
  close(): void { this.#closed = true; }
}

export interface LogLine { level: string; component: string; message: string; fields?: Record<string, unknown> }
export function collectLog(): { log: Log; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log: Log = (level, component, message, fields) => { lines.push({ level, component, message, fields }); };
  return { log, lines };
}

/** Seeded uniform random (mulberry32): the simulator's generator, one implementation. */
export { seededRandom as seeded } from "../../hardware/sim/random.ts";
