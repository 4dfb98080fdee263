// Node-side services behind the host modules: the registry of issueCommand handlers, host activities
// in flight (network exchanges) and events due to XS at a virtual time (completions, injected delays).
import { readFileSync } from "node:fs";
import type { XsHost } from "../index.ts";
import { SimPins } from "../host-modules/sim-pins.ts";
import { HostCrypto } from "./crypto.ts";
import { Network } from "./network.ts";
import { Preferences } from "./preferences.ts";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface HostEvent { kind: string; event: unknown; at: number; seq: number }

export class HostServices {
  readonly xs: XsHost;
  /** issueCommand operations: op → synchronous handler. */
  readonly handlers = new Map<string, (message: Any) => unknown>();
  #events: HostEvent[] = [];
  #seq = 0;
  #inflight = new Set<Promise<unknown>>();
  #wakeups: (() => void)[] = [];
  #resets: (() => void)[] = [];
  #closers: (() => Promise<void> | void)[] = [];

  preferences!: Preferences;
  network!: Network;
  pins!: SimPins;
  resources!: Resources;

  constructor(xs: XsHost) { this.xs = xs; }

  /** Queues an event for XS-side `onHostEvent(kind)` at virtual ticks `at` (default: now). */
  post(kind: string, event: unknown, at = this.xs.ticks): void {
    this.#events.push({ kind, event, at, seq: ++this.#seq });
    this.#events.sort((a, b) => a.at - b.at || a.seq - b.seq);
    this.#wake();
  }

  /** Removes queued events matching `predicate` (e.g. those of an aborted request). */
  cancel(predicate: (e: HostEvent) => boolean): void {
    this.#events = this.#events.filter((e) => !predicate(e));
  }

  takeDueEvent(ticks: number): HostEvent | undefined {
    if (this.#events.length && this.#events[0].at <= ticks) return this.#events.shift();
    return undefined;
  }

  nextEventAt(): number | null { return this.#events.length ? this.#events[0].at : null; }

  /** Tracks a Node-side activity; the driver waits for it (real time) before firing timers. */
  track<T>(promise: Promise<T>): Promise<T> {
    this.#inflight.add(promise);
    const done = () => { this.#inflight.delete(promise); this.#wake(); };
    promise.then(done, done);
    return promise;
  }

  get inflight(): number { return this.#inflight.size; }

  /** Resolves when an activity finishes or an event is posted (or after `timeoutMs` real ms: rejects). */
  waitForActivity(timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`host activity did not finish within ${timeoutMs} ms (real time)`)), timeoutMs);
      this.#wakeups.push(() => { clearTimeout(timer); resolve(); });
    });
  }

  #wake(): void {
    const w = this.#wakeups;
    this.#wakeups = [];
    for (const f of w) f();
  }

  onReset(f: () => void): void { this.#resets.push(f); }
  onClose(f: () => Promise<void> | void): void { this.#closers.push(f); }

  /** Worker restarted: drop events addressed to the old worker. */
  reset(): void {
    this.#events = [];
    for (const f of this.#resets) f();
  }

  async close(): Promise<void> {
    this.reset();
    for (const f of this.#closers) await f();
  }
}

/** Resources the XS `Resource` module can open: name → bytes (or a file path, read when opened). */
export class Resources {
  readonly #items = new Map<string, Uint8Array | string>();
  set(name: string, bytes: Uint8Array | string): void { this.#items.set(name, bytes); }
  delete(name: string): void { this.#items.delete(name); }
  get(name: string): Uint8Array | undefined {
    const v = this.#items.get(name);
    if (v === undefined) return undefined;
    return typeof v === "string" ? new Uint8Array(readFileSync(v)) : v;
  }
  has(name: string): boolean { return this.#items.has(name); }
  names(): string[] { return [...this.#items.keys()]; }
}

/** Creates the services and installs every host module's Node side. */
export function installHostServices(xs: XsHost, options: { storeDir: string; resources?: Record<string, Uint8Array | string> }): HostServices {
  const services = new HostServices(xs);
  services.preferences = new Preferences(options.storeDir);
  services.network = new Network(services);
  services.pins = new SimPins((pin, rising) => services.post("pins.edge", { pin, rising }));
  services.resources = new Resources();
  for (const [name, bytes] of Object.entries(options.resources ?? {})) services.resources.set(name, bytes);
  const add = (table: Record<string, (m: Any) => unknown>) => { for (const [op, f] of Object.entries(table)) services.handlers.set(op, f); };
  add(services.preferences.handlers());
  add(services.network.handlers());
  add(services.pins.handlers(() => xs.ticks));
  const crypto = new HostCrypto();
  add(crypto.handlers());
  add({
    "resource.get": (m) => services.resources.get(m.path) ?? null,
    "resource.all": () => Object.fromEntries(services.resources.names().map((name) => [name, services.resources.get(name)])),
    "resource.exists": (m) => services.resources.has(m.path),
  });
  services.onReset(() => { services.network.reset(); services.pins.reset(); crypto.reset(); });
  services.onClose(() => services.network.close());
  return services;
}
