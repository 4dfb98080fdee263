// The VEN's one poll loop: a queue of outgoing messages, one timer, at most one exchange in flight,
// replies decoded as they stream in, an increasing back-off with jitter on failure, and a hold while
// the application decides on events (a VEN answers before it polls again). What a reply means is the
// session's business (ven.ts, through `onReply`); this module only moves messages and decides retries.
//
// State table (one timer; `due` = a queued job, a poll whose time has come, or work from `agenda`):
//
//   state     | input                              | action                                     | next
//   ----------+------------------------------------+--------------------------------------------+----------
//   stopped   | start()                            | arm the timer at 0                         | idle
//   idle      | timer, or enqueue()                | agenda.wake(); send the head job, else an  | sending
//             |                                    | oadrPoll if registered and its time came   |
//             |                                    | nothing due: arm the timer for the next    | idle
//   sending   | reply decoded                      | failures = 0; onReply (may enqueue jobs,   | idle
//             |                                    | may return a promise: hold)                | deciding
//   sending   | reply not decodable (bad XML,      | log the reason; the job counts as          | idle
//             | oversized, unexpected)             | delivered (no retry, no back-off)          |
//   sending   | transport error, timeout, HTTP≠200 | failures++; keep the job if it may retry   | backoff
//   deciding  | promise settled, or hold timeout   | (the answers are queued by then)           | idle
//   backoff   | timer (delay = min(cap, initial ·  | send the head job, or poll                 | sending
//             | factor^(failures−1)) ± jitter)     |                                            |
//   any       | stop()                             | abort the exchange, clear the timer        | stopped
//
// Polls are spaced by `pollPeriod` (monotonic clock) from the start of the previous poll; replies
// and reports go out as soon as the exchange before them ends.
import type { Clock, HttpExchange, HttpTransport, Log, Random, Scheduler, TimerHandle } from "../platform/types";
import { TransportError } from "../platform/types";
import type { DecodedPayload, OadrEvent, VenMessage } from "./types";
import type { MessageHooks, Wire } from "./wire";
import { WireError } from "./wire";

const AGENDA_RETRY_MS = 1000;

export type Service = "EiRegisterParty" | "EiEvent" | "EiReport" | "EiOpt" | "OadrPoll";
export const SERVICE_PATH = "/OpenADR2/Simple/2.0b/";

export type VenErrorCode = "transport" | "http" | "decode" | "oadr" | "rejected" | "handler" | "store";

/** An error as a value: what failed, why, and the OpenADR response code or HTTP status when there is one. */
export interface VenError {
  code: VenErrorCode;
  message: string;
  /** Message type of the exchange. */
  exchange?: string;
  responseCode?: string;
  httpStatus?: number;
  transportCode?: string;
}

export interface Job {
  readonly service: Service;
  /** Message type, for logs and status. */
  readonly kind: string;
  /** Builds the message when it is sent (fresh requestID and timestamps). */
  build(): VenMessage;
  /** Attempts after a failure before the job is dropped (default 5; polls are never queued). */
  readonly attempts?: number;
}

export type LoopState = "stopped" | "idle" | "sending" | "deciding" | "backoff";

export interface BackoffOptions {
  /** First retry delay, ms. Default 5 s. */
  initial?: number;
  /** Multiplier per consecutive failure. Default 2. */
  factor?: number;
  /** Cap, ms. Default 10 min. */
  max?: number;
  /** ± fraction of randomisation. Default 0.2. */
  jitter?: number;
}

/** Work the loop does on its timer besides messages (report sampling and sending). */
export interface Agenda {
  /** Called on every wake-up before choosing what to send (may enqueue jobs). */
  wake(): void;
  /** Next wall-clock time (ms since epoch) at which `wake` has something to do. */
  nextWake(): number | undefined;
}

export interface PollLoopOptions {
  base: string;
  transport: HttpTransport;
  wire: Wire;
  hooks?: MessageHooks;
  clock: Clock;
  scheduler: Scheduler;
  random: Random;
  log: Log;
  backoff?: BackoffOptions;
  /** Exchange timeout, ms. Default 30 s. */
  timeoutMs?: number;
  /** Longest hold while the application decides, ms. Default 30 s. */
  holdMs?: number;
  /** Bound on events collected from one oadrDistributeEvent. Default 50. */
  maxEventsPerMessage?: number;
  /** Builds an oadrPoll, or undefined while not registered. */
  poll(): VenMessage | undefined;
  /** `events` is emptied when onReply returns: keep what is needed from it, not the array. */
  onReply(job: Job | undefined, payload: DecodedPayload, events: OadrEvent[]): void | Promise<void>;
  onFailure(job: Job | undefined, error: VenError, willRetry: boolean): void;
  onState?(state: LoopState): void;
  /** Every exchange that ended (diagnostics, LEDs, benchmarks): its message type and outcome. */
  onExchange?(kind: string, outcome: "ok" | "failed" | "undecodable"): void;
  agenda?: Agenda;
}

export class PollLoop {
  readonly #o: PollLoopOptions;
  readonly #queue: Job[] = [];
  #state: LoopState = "stopped";
  #timer: TimerHandle | undefined;
  #exchange: HttpExchange | undefined;
  #failures = 0;
  #attempts = 0;
  #lastPoll: number | undefined;
  #pollPeriod = 10_000;
  #backoffUntil = 0;
  #holdUntil = 0;
  #penalty: VenError | undefined;
  #generation = 0;
  readonly counters = { exchanges: 0, polls: 0, failures: 0, decodeErrors: 0, dropped: 0 };

  constructor(options: PollLoopOptions) {
    this.#o = options;
  }

  get state(): LoopState {
    return this.#state;
  }

  get failures(): number {
    return this.#failures;
  }

  get queued(): readonly Job[] {
    return this.#queue;
  }

  /** ms between polls (≥ the VTN's oadrRequestedOadrPollFreq; ven.ts decides). */
  set pollPeriod(ms: number) {
    this.#pollPeriod = ms;
    this.#kick();
  }

  get pollPeriod(): number {
    return this.#pollPeriod;
  }

  start(): void {
    if (this.#state !== "stopped") return;
    this.#setState("idle");
    this.#arm(0);
  }

  stop(): void {
    if (this.#state === "stopped") return;
    this.#generation++;
    this.#o.scheduler.clear(this.#timer);
    this.#timer = undefined;
    const exchange = this.#exchange;
    this.#exchange = undefined;
    exchange?.abort();
    this.#setState("stopped");
  }

  enqueue(job: Job, front = false): void {
    if (front) this.#queue.unshift(job);
    else this.#queue.push(job);
    this.#kick();
  }

  /** Drops queued jobs (e.g. before registering anew). */
  clear(predicate: (job: Job) => boolean = () => true): void {
    for (let i = this.#queue.length - 1; i >= 0; i--) if (predicate(this.#queue[i]!)) this.#queue.splice(i, 1);
  }

  /** Poll as soon as the loop is free (after registering, or on the application's request), but not
   *  sooner than `minGapMs` after the previous poll. */
  pollSoon(minGapMs = 0): void {
    if (this.#lastPoll !== undefined && minGapMs > 0) this.#lastPoll = Math.min(this.#lastPoll, this.#lastPoll + minGapMs - this.#pollPeriod);
    else this.#lastPoll = undefined;
    this.#kick();
  }

  /**
   * Called from onReply: the reply decoded but means failure (e.g. registration refused); the loop
   * backs off as after a transport failure instead of carrying on.
   */
  penalize(error: VenError): void {
    this.#penalty = error;
  }

  /** Re-evaluates the timer (e.g. the agenda changed). */
  kick(): void {
    this.#kick();
  }

  #setState(state: LoopState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#o.onState?.(state);
  }

  #kick(): void {
    if (this.#state !== "idle") return;
    this.#arm(0);
  }

  #arm(delay: number): void {
    this.#o.scheduler.clear(this.#timer);
    const generation = this.#generation;
    this.#timer = this.#o.scheduler.set(() => {
      this.#timer = undefined;
      if (generation === this.#generation) this.#wake();
    }, Math.max(0, Math.ceil(delay)));
  }

  /** The one timer's callback: agenda work in every state, then what the state allows, then re-arm. */
  #wake(): void {
    if (this.#state === "stopped") return;
    try {
      this.#o.agenda?.wake();
    } catch (error) {
      this.#o.log("error", "ven", "agenda failed", { error: String(error) });
    }
    const ticks = this.#o.clock.ticks();
    if (this.#state === "deciding" && ticks >= this.#holdUntil) {
      this.#o.log("warn", "ven", "application did not decide in time; continuing", {});
      this.#setState("idle");
    }
    if (this.#state === "backoff" && ticks >= this.#backoffUntil) this.#setState("idle");
    let delay = Infinity;
    if (this.#state === "idle") {
      const job = this.#queue[0];
      if (job) {
        this.#send(job);
        return;
      }
      const pollAt = this.#lastPoll === undefined ? ticks : this.#lastPoll + this.#pollPeriod;
      if (ticks >= pollAt) {
        const poll = this.#o.poll();
        if (poll) {
          this.#lastPoll = ticks;
          this.#send(undefined, poll);
          return;
        }
        // Due but refused (not registered): wait for a kick.
      } else delay = pollAt - ticks;
    } else if (this.#state === "backoff") delay = this.#backoffUntil - ticks;
    else if (this.#state === "deciding") delay = this.#holdUntil - ticks;
    const next = this.#o.agenda?.nextWake();
    // Agenda work still due right after wake() ran is stuck: retry in a second rather than spin.
    if (next !== undefined) {
      const until = next - this.#o.clock.now();
      delay = Math.min(delay, until > 0 ? until : AGENDA_RETRY_MS);
    }
    if (delay !== Infinity) this.#arm(delay);
    else {
      this.#o.scheduler.clear(this.#timer);
      this.#timer = undefined;
    }
  }

  #send(job: Job | undefined, built?: VenMessage): void {
    let message: VenMessage;
    try {
      message = built ?? job!.build();
    } catch (error) {
      this.#o.log("error", "ven", "could not build message", { kind: job?.kind, error: String(error) });
      if (job) this.#queue.shift();
      this.counters.dropped++;
      this.#arm(0);
      return;
    }
    let body: Uint8Array;
    try {
      body = this.#o.wire.encode(message);
      if (this.#o.hooks?.wrap) body = this.#o.hooks.wrap(body, message);
    } catch (error) {
      this.#o.log("error", "ven", "could not encode message", { kind: message.type, error: String(error) });
      if (job) this.#queue.shift();
      this.counters.dropped++;
      this.#arm(0);
      return;
    }
    const kind = message.type;
    const service = job ? job.service : "OadrPoll";
    this.#setState("sending");
    this.counters.exchanges++;
    if (!job) this.counters.polls++;
    const generation = this.#generation;
    const events: OadrEvent[] = [];
    const max = this.#o.maxEventsPerMessage ?? 50;
    let tooMany = false;
    const decoder = this.#o.wire.decoder((event) => {
      if (events.length < max) events.push(event);
      else tooMany = true;
    });
    let status = 0;
    let decodeError: WireError | undefined;
    let settled = false;
    const settle = () => {
      const stale = settled || generation !== this.#generation;
      settled = true;
      if (!stale) this.#exchange = undefined;
      return stale;
    };
    const undecodable = (error: unknown) => {
      decodeError = asWireError(error);
      // Stop reading a body we will not use (oversized or broken): free the memory now.
      const exchange = this.#exchange;
      if (!settle()) {
        exchange?.abort();
        this.#decoded(job, kind, generation, undefined, events, decodeError);
      }
    };
    this.#o.log("debug", "ven", "send", { kind, service, bytes: body.length });
    this.#exchange = this.#o.transport.request({
      method: "POST",
      path: this.#o.base + SERVICE_PATH + service,
      headers: { "Content-Type": "application/xml" },
      body,
      timeoutMs: this.#o.timeoutMs ?? 30_000,
    }, {
      onHeaders: (s) => {
        status = s;
      },
      onData: (chunk) => {
        // the bottom of the decode call chain: few outer bindings here (a stack slot each on XS)
        if (decodeError || status !== 200 || settled) return;
        try {
          decoder.write(chunk);
        } catch (error) {
          undecodable(error);
        }
      },
      onDone: () => {
        if (settle()) return;
        if (status !== 200) {
          this.#failed(job, kind, { code: "http", message: `HTTP ${status}`, exchange: kind, httpStatus: status });
          return;
        }
        let payload: DecodedPayload | undefined;
        if (!decodeError) {
          try {
            payload = decoder.end();
            const reason = this.#o.hooks?.verify?.(payload);
            if (reason) decodeError = new WireError("signature", reason);
          } catch (error) {
            decodeError = asWireError(error);
          }
        }
        if (!decodeError && tooMany) this.#o.log("warn", "ven", "oadrDistributeEvent carries more events than kept", { kept: max });
        // Handled from the job queue, not inside the HTTP client's callback: on the device that callback
        // sits on Moddable's http.js and SecureSocket's record layer, and handling a reply (decide, persist,
        // answer) is the VEN's deepest call chain; a promise job starts at the bottom of the 512-slot stack.
        const error = decodeError;
        Promise.resolve().then(() => this.#decoded(job, kind, generation, error ? undefined : payload, events, error));
      },
      onError: (error: TransportError) => {
        if (settle()) return;
        this.#failed(job, kind, { code: "transport", message: error.message, exchange: kind, transportCode: error.code });
      },
    });
    // Keep sampling reports while the exchange runs.
    if (this.#state === "sending") this.#wakeLater();
  }

  #decoded(job: Job | undefined, kind: string, generation: number, payload: DecodedPayload | undefined, events: OadrEvent[], error: WireError | undefined): void {
    if (generation !== this.#generation) return;
    this.#failures = 0;
    this.#attempts = 0;
    if (job && this.#queue[0] === job) this.#queue.shift();
    this.#o.onExchange?.(kind, error || !payload ? "undecodable" : "ok");
    if (error || !payload) {
      this.counters.decodeErrors++;
      this.#o.onFailure(job, { code: "decode", message: error ? `${error.code}: ${error.message}` : "no payload", exchange: kind }, false);
      this.#setState("idle");
      this.#arm(0);
      return;
    }
    let held: void | Promise<void> = undefined;
    try {
      held = this.#o.onReply(job, payload, events);
    } catch (e) {
      this.#o.log("error", "ven", "reply handling failed", { kind, error: String(e) });
    }
    // onReply took what it keeps (event records, answers): the decoded events must not live on with this
    // exchange's callbacks while the answer is decided and sent (≈1.6 KB each on XS).
    events.length = 0;
    const penalty = this.#penalty;
    this.#penalty = undefined;
    if (penalty) {
      this.#failed(undefined, kind, penalty);
      return;
    }
    if (held && typeof (held as Promise<void>).then === "function") {
      this.#setState("deciding");
      this.#holdUntil = this.#o.clock.ticks() + (this.#o.holdMs ?? 30_000) + 1000;
      const holdGeneration = this.#generation;
      const resume = () => {
        if (holdGeneration !== this.#generation || this.#state !== "deciding") return;
        this.#setState("idle");
        this.#arm(0);
      };
      (held as Promise<void>).then(resume, (e) => {
        this.#o.log("error", "ven", "reply handling failed", { kind, error: String(e) });
        resume();
      });
      // The timer still serves the agenda meanwhile, and ends the hold if the application never decides.
      this.#wakeLater();
      return;
    }
    this.#setState("idle");
    this.#arm(0);
  }

  #failed(job: Job | undefined, kind: string, error: VenError): void {
    this.#o.onExchange?.(kind, "failed");
    this.#failures++;
    this.counters.failures++;
    let willRetry = false;
    if (job && this.#queue[0] === job) {
      this.#attempts++;
      willRetry = this.#attempts < (job.attempts ?? 5);
      if (!willRetry) {
        this.#queue.shift();
        this.#attempts = 0;
        this.counters.dropped++;
      }
    }
    this.#o.onFailure(job, error, willRetry);
    const delay = this.backoffDelay(this.#failures);
    this.#backoffUntil = this.#o.clock.ticks() + delay;
    this.#o.log("warn", "ven", "exchange failed; backing off", { kind, reason: error.message, failures: this.#failures, delayMs: delay });
    this.#setState("backoff");
    this.#wakeLater();
  }

  /** Re-arms the timer for the current state without doing anything now. */
  #wakeLater(): void {
    const ticks = this.#o.clock.ticks();
    let delay = this.#state === "backoff" ? this.#backoffUntil - ticks : this.#state === "deciding" ? this.#holdUntil - ticks : Infinity;
    const next = this.#o.agenda?.nextWake();
    if (next !== undefined) delay = Math.min(delay, Math.max(0, next - this.#o.clock.now()));
    if (delay !== Infinity) this.#arm(delay);
  }

  /** min(cap, initial · factor^(n−1)), randomised by ± jitter. */
  backoffDelay(failures: number): number {
    const b = this.#o.backoff ?? {};
    const initial = b.initial ?? 5_000;
    const factor = b.factor ?? 2;
    const max = b.max ?? 600_000;
    const jitter = b.jitter ?? 0.2;
    const base = Math.min(max, initial * Math.pow(factor, Math.max(0, failures - 1)));
    return Math.max(0, Math.round(base * (1 + jitter * (2 * this.#o.random() - 1))));
  }
}

function asWireError(error: unknown): WireError {
  if (error instanceof WireError) return error;
  const e = error as { code?: unknown; message?: unknown };
  const message = typeof e?.message === "string" ? e.message : String(error);
  return new WireError(typeof e?.code === "string" && e.code === "limit" ? "limit" : "malformed", message, error);
}
