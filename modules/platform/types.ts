// The small interfaces every protocol, control and metering module receives instead of importing a
// platform module. main.ts fills them with Moddable implementations on the device; the host engine
// runs those same implementations against host versions of the Moddable modules. Nothing here does I/O.

/** Wall clock. `now()` is milliseconds since the Unix epoch (UTC). */
export interface Clock {
  now(): number;
  /** False until the time is known (SNTP answered, or the test set it). Act on schedules only when true. */
  readonly valid: boolean;
  /** Monotonic milliseconds since boot; unaffected by clock corrections. */
  ticks(): number;
}

export interface TimerHandle { readonly id: number }

/** One-shot timers on the monotonic clock. Callbacks always run on a later turn, never re-entrantly. */
export interface Scheduler {
  set(callback: () => void, delayMs: number): TimerHandle;
  clear(handle: TimerHandle | undefined): void;
}

/**
 * Persistent key-value storage. Keys ≤ 15 characters ([A-Za-z0-9_]), values ≤ 3,999 bytes of UTF-8
 * (ESP32 NVS strings; 4,000 with the terminating NUL). A `set` is NOT atomic: Moddable's ESP32
 * Preference.set erases the key before writing it, so a power loss (or a failed write) in between
 * leaves the key absent — never a mix of old and new. Callers that must not lose a record write the
 * new value under a second key and switch a small pointer/generation key last (the host engine
 * reproduces this behaviour and injects power loss there).
 */
export interface Store {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
  keys(): string[];
}

export const STORE_KEY_MAX = 15;
export const STORE_VALUE_MAX = 3999;

export type LogLevel = "error" | "warn" | "info" | "debug";

/** Structured log. `fields` values are short scalars; secrets (keys, tokens) never go in a log line. */
export interface Log {
  (level: LogLevel, component: string, message: string, fields?: Record<string, string | number | boolean | undefined>): void;
}

/** Uniform random in [0, 1). Injected so tests and the simulator are repeatable. */
export type Random = () => number;

export interface HttpHeaders { [name: string]: string }

export interface HttpRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path and query, starting with "/". The host, port and TLS material belong to the transport. */
  path: string;
  headers?: HttpHeaders;
  body?: Uint8Array;
  /** Whole-exchange timeout; the transport reports a TransportError with code "timeout". */
  timeoutMs?: number;
}

export interface HttpResponseHandler {
  /** Status line and headers received. Header names are lower-case. */
  onHeaders?(status: number, headers: HttpHeaders): void;
  /** A piece of the body, valid only during the call (the transport may reuse the buffer). */
  onData?(chunk: Uint8Array): void;
  /** The body is complete. */
  onDone(): void;
  /** Network, TLS, timeout or protocol failure. Final: no other callback follows. */
  onError(error: TransportError): void;
}

export interface HttpExchange { abort(): void }

/**
 * One HTTP(S) origin. At most one exchange in flight per transport instance; implementations may
 * keep the connection (or TLS session) alive between exchanges.
 */
export interface HttpTransport {
  request(request: HttpRequest, handler: HttpResponseHandler): HttpExchange;
  close(): void;
  /** Counters for benchmarks and status: full TLS handshakes, requests sent. */
  readonly stats?: { handshakes: number; requests: number };
}

export type TransportErrorCode = "timeout" | "connect" | "tls" | "certificate" | "fingerprint" | "closed" | "protocol" | "aborted";

export class TransportError extends Error {
  // A field, not an assignment: on the device Error.prototype is frozen after preload,
  // so `this.name = …` throws "set name: not writable".
  override readonly name = "TransportError";
  readonly code: TransportErrorCode;
  override readonly cause?: unknown;
  constructor(code: TransportErrorCode, message: string, cause?: unknown) {
    super(message);
    this.code = code;
    this.cause = cause;
  }
}
