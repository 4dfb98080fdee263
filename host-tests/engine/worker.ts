// Driver for xsnap-worker's netstring protocol over fds 3 (to the worker) and 4 (from the worker).
// One command at a time; while a command runs, the worker may call the host (issueCommand), which is
// answered synchronously by `onHostCommand`. Knows nothing about the engine's frames.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Readable, Writable } from "node:stream";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "../..");

/** Patched worker built by build-xsnap.mjs, if present; otherwise the stock worker of @agoric/xsnap. */
export function workerPath(flavor: "release" | "debug" = "release"): { file: string; patched: boolean } {
  const patched = path.join(repoRoot, "node_modules/.xs-engine/xsnap-native/xsnap/build/bin/lin", flavor, "xsnap-worker");
  const override = process.env.XS_ENGINE_WORKER; // a patched worker built elsewhere (trying engine edits)
  if (override && existsSync(override)) return { file: override, patched: true };
  if (process.env.XS_ENGINE_STOCK !== "1" && existsSync(patched)) return { file: patched, patched: true };
  const stock = path.join(repoRoot, "node_modules/@agoric/xsnap/xsnap-native/xsnap/build/bin/lin", flavor, "xsnap-worker");
  return { file: stock, patched: false };
}

/** An error raised by the XS engine or by code running in it. */
export class XsError extends Error {
  /** "exception" (JS error in XS), "memory" (not enough memory), "stack" (stack overflow), "exit", "powerloss", "closed", "pending", "timeout" */
  readonly code: string;
  readonly xsStack?: string;
  constructor(code: string, message: string, options?: { xsName?: string; xsStack?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = options?.xsName ? `XsError(${options.xsName})` : "XsError";
    this.code = code;
    this.xsStack = options?.xsStack;
  }
}

/** Thrown by a host handler to simulate a power loss during an operation (the worker is killed). */
export class PowerLoss extends Error {
  constructor(message = "power lost") { super(message); this.name = "PowerLoss"; }
}

export interface Meter { currentHeapCount: number; compute: number; allocate: number }

export interface Reply { meter: Meter; body: Buffer }

const EXIT_CODES: Record<number, [string, string]> = {
  11: ["memory", "not enough memory"],
  12: ["stack", "stack overflow"],
  15: ["exit", "unhandled exception"],
  16: ["memory", "not enough keys"],
  17: ["exit", "too much computation"],
};

export interface WorkerOptions {
  args?: string[];
  file?: string;
  /** Answers the worker's issueCommand synchronously; the returned buffer is sent back. */
  onHostCommand: (request: Buffer) => Buffer;
  onStdout?: (text: string) => void;
  onExit?: (code: number | null, signal: string | null) => void;
}

export class Worker {
  readonly #child: ChildProcess;
  readonly #toWorker: Writable;
  readonly #options: WorkerOptions;
  #chunks: Buffer[] = [];
  #buffered = 0;
  #pending: { resolve: (r: Reply) => void; reject: (e: Error) => void } | undefined;
  #exited: { code: number | null; signal: string | null } | undefined;
  #stderr = "";
  #killedFor: XsError | undefined;
  readonly exitPromise: Promise<void>;

  constructor(options: WorkerOptions) {
    this.#options = options;
    const file = options.file ?? workerPath().file;
    this.#child = spawn(file, options.args ?? [], { stdio: ["ignore", "pipe", "pipe", "pipe", "pipe"] });
    this.#toWorker = this.#child.stdio[3] as Writable;
    const fromWorker = this.#child.stdio[4] as Readable;
    this.#toWorker.on("error", () => { /* reported by exit */ });
    fromWorker.on("data", (chunk: Buffer) => this.#onData(chunk));
    this.#child.stdout!.setEncoding("utf8");
    this.#child.stdout!.on("data", (text: string) => options.onStdout?.(text));
    this.#child.stderr!.setEncoding("utf8");
    const echo = process.env.XS_ENGINE_STDERR === "1"; // debugging: the worker's stderr as it comes
    this.#child.stderr!.on("data", (text: string) => {
      if (echo) process.stderr.write(text);
      this.#stderr = (this.#stderr + text).slice(-4000);
    });
    this.exitPromise = new Promise((resolve) => {
      this.#child.on("exit", (code, signal) => {
        this.#exited = { code, signal };
        const pending = this.#pending;
        this.#pending = undefined;
        if (pending) pending.reject(this.#exitError());
        options.onExit?.(code, signal);
        resolve();
      });
      this.#child.on("error", (error) => {
        this.#exited = { code: -1, signal: null };
        const pending = this.#pending;
        this.#pending = undefined;
        pending?.reject(new XsError("exit", `cannot run ${file}: ${error.message}`, { cause: error }));
        resolve();
      });
    });
  }

  get pid(): number | undefined { return this.#child.pid; }
  get alive(): boolean { return !this.#exited; }
  get stderr(): string { return this.#stderr; }

  #exitError(): XsError {
    if (this.#killedFor) return this.#killedFor;
    const { code, signal } = this.#exited ?? { code: null, signal: null };
    const known = code !== null ? EXIT_CODES[code] : undefined;
    const tail = this.#stderr.trim().split("\n").slice(-3).join(" | ");
    if (known) return new XsError(known[0], `XS worker exited: ${known[1]} (code ${code})${tail ? `: ${tail}` : ""}`);
    return new XsError("exit", `XS worker exited (code ${code}, signal ${signal})${tail ? `: ${tail}` : ""}`);
  }

  /** Kills the worker; a pending command rejects with `reason`. */
  kill(reason?: XsError): void {
    if (this.#exited) return;
    this.#killedFor = reason;
    this.#child.kill("SIGKILL");
  }

  #send(prefix: string, payload: Buffer | string): void {
    const body = typeof payload === "string" ? Buffer.from(payload, "utf8") : payload;
    const head = Buffer.from(`${body.length + 1}:${prefix}`, "latin1");
    this.#toWorker.write(Buffer.concat([head, body, Buffer.from(",")]));
  }

  #request(prefix: string, payload: Buffer | string): Promise<Reply> {
    if (this.#exited) return Promise.reject(this.#exitError());
    if (this.#pending) return Promise.reject(new Error("xsnap worker: command already in flight"));
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.#send(prefix, payload);
    });
  }

  /** `e`: evaluate a script (global eval). */
  evaluate(code: string): Promise<Reply> { return this.#request("e", code); }
  /** `?`: call globalThis.handleCommand(ArrayBuffer). */
  command(payload: Buffer): Promise<Reply> { return this.#request("?", payload); }

  async close(): Promise<void> {
    if (!this.#exited) {
      try { this.#send("q", ""); } catch { /* gone */ }
      this.#toWorker.end();
      const timer = setTimeout(() => this.#child.kill("SIGKILL"), 2000);
      await this.exitPromise;
      clearTimeout(timer);
    }
  }

  #onData(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    for (;;) {
      const message = this.#takeNetstring();
      if (!message) return;
      this.#onMessage(message);
    }
  }

  #takeNetstring(): Buffer | undefined {
    if (this.#buffered === 0) return undefined;
    let head = this.#chunks[0];
    let colon = head.indexOf(58); // ':'
    if (colon < 0) {
      if (this.#chunks.length === 1) return undefined;
      head = Buffer.concat(this.#chunks);
      this.#chunks = [head];
      colon = head.indexOf(58);
      if (colon < 0) return undefined;
    }
    const length = Number(head.subarray(0, colon).toString("latin1"));
    const total = colon + 1 + length + 1;
    if (this.#buffered < total) return undefined;
    const all = this.#chunks.length === 1 ? head : Buffer.concat(this.#chunks);
    const message = all.subarray(colon + 1, colon + 1 + length);
    if (all[total - 1] !== 44) throw new Error("xsnap worker: bad netstring terminator");
    const rest = all.subarray(total);
    this.#chunks = rest.length ? [rest] : [];
    this.#buffered = rest.length;
    return message;
  }

  #onMessage(message: Buffer): void {
    const kind = message[0];
    if (kind === 0x3f) { // '?': the worker calls the host
      let reply: Buffer;
      try {
        reply = this.#options.onHostCommand(message.subarray(1));
      } catch (error) {
        // the engine frames its own errors; this is a last resort so that XS does not block forever
        reply = Buffer.from(JSON.stringify({ error: String(error) }));
      }
      if (!this.#exited && !this.#killedFor) this.#send("/", reply);
      return;
    }
    const pending = this.#pending;
    this.#pending = undefined;
    if (!pending) return;
    if (kind === 0x2e) { // '.'
      const sep = message.indexOf(1);
      const meterText = message.subarray(1, sep).toString("utf8");
      let meter: Meter;
      try {
        const m = JSON.parse(meterText);
        meter = { currentHeapCount: m.currentHeapCount, compute: m.compute, allocate: m.allocate, ...m };
        delete (meter as { timestamps?: unknown }).timestamps;
      } catch {
        meter = { currentHeapCount: 0, compute: 0, allocate: 0 };
      }
      pending.resolve({ meter, body: message.subarray(sep + 1) });
    } else if (kind === 0x21) { // '!'
      const text = message.subarray(1).toString("utf8");
      pending.reject(new XsError(/not enough memory|memory full/i.test(text) ? "memory" : /stack overflow/i.test(text) ? "stack" : "exception", text || "XS error"));
    } else {
      pending.reject(new Error(`xsnap worker: unexpected reply ${String.fromCharCode(kind)}`));
    }
  }
}
