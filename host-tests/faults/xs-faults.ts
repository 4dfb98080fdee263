// XS side of the fault suite: main.ts exactly as the device runs it (the simulated-board target), plus
// what the fault runner needs to inject and to observe across power cuts. Observations that must
// survive a power cut are printed at once (a print is a synchronous host call: it reaches Node before
// the next instruction runs), as "#F <kind> <json>" lines:
//   relay     every relay pin write (pin, level, monotonic ms) — the truth the safety checks use;
//   queued    every record the CIOF outbox accepted (after its commit returned): id, contract, first cells;
// Injections: relay driver errors (the relay's digital port throws on write), CT faults in the sim site.
import Time from "time";
import { expose } from "../engine/xs/expose";
import main from "../../main";
import type { Firmware } from "../../modules/app/firmware";
import { Outbox, type OutboxInput } from "../../modules/ciof/outbox";
import createTarget, { type SimTarget } from "../../hardware/target/platform";
import type { CtFault } from "../../hardware/sim/site";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const target = createTarget({} as Any) as SimTarget;
let firmware: Firmware | undefined;
const failingPins = new Set<number>();

function mark(kind: string, value: unknown): void {
  print("#F " + kind + " " + JSON.stringify(value));
}

// ---- relay pin writes, as they happen ----
for (const relay of target.board.relays) {
  const pin = relay.pin;
  target.pins.onDigitalWrite(pin, (level, at) => mark("relay", { pin, level, ticks: at ?? Time.ticks }));
}

// ---- relay driver errors: the port of a failing pin throws on write (as an I2C expander or a
// GPIO driver error would); the write does not reach the pin ----
const BaseDigital = target.digital as Any;
class FaultyDigital extends BaseDigital {
  readonly faultPin: number;
  constructor(options: Any) {
    super(options);
    this.faultPin = options.pin;
  }
  write(value: Any): void {
    if (failingPins.has(this.faultPin)) throw new Error(`digital write failed on pin ${this.faultPin} (injected driver error)`);
    super.write(value);
  }
}
(target as Any).digital = FaultyDigital;

// ---- what the outbox accepted ----
const enqueue = Outbox.prototype.enqueue;
Outbox.prototype.enqueue = function (this: Outbox, inputs: readonly OutboxInput[], cursors?: Record<string, number>): string[] {
  const ids = enqueue.call(this, inputs, cursors);
  if (ids.length) {
    mark("queued", inputs.map((input, i) => input.kind === "message"
      ? { id: ids[i], kind: "message", contract: input.contractId, key: input.rows.map((r) => r[0]).join("|"), rows: input.rows.length, requestParameterId: input.requestParameterId, withRecord: input.record !== undefined }
      : { id: ids[i], kind: "record", event: input.record.eventType, dataId: input.record.dataId }));
  }
  return ids;
};

expose({
  boot(): boolean {
    if (firmware) throw new Error("already booted");
    firmware = main();
    return firmware !== undefined;
  },
  status() {
    return firmware?.status() ?? null;
  },
  venStatus() {
    const s = firmware?.ven.status;
    return s ? { state: s.state, venID: s.venID, failures: s.failures, lastError: s.lastError ? { code: (s.lastError as Any).code, transportCode: (s.lastError as Any).transportCode, message: String((s.lastError as Any).message ?? "") } : undefined } : null;
  },
  /** Stored events with their randomised windows (schedule checks). */
  events() {
    return (firmware?.ven.events() ?? []).map((e) => ({
      eventID: e.eventID, modificationNumber: e.modificationNumber, status: e.status, test: e.test,
      start: e.activePeriod.start, end: Number.isFinite(e.activePeriod.end) ? e.activePeriod.end : null,
      randomization: e.activePeriod.randomization,
    }));
  },
  control() {
    return firmware?.control.status() ?? null;
  },
  ticks() {
    return Time.ticks;
  },
  failRelay(pin: number, failing: boolean) {
    if (failing) failingPins.add(pin);
    else failingPins.delete(pin);
    return true;
  },
  ctFault(id: string, fault: CtFault, code?: number) {
    target.site.ctFault(id, fault, code);
    return true;
  },
  site() {
    const model = target.site.model;
    model.advance(Math.max(model.time, Time.ticks));
    return { kva: Math.round(model.rmsAmps() * model.volts) / 1000, truthKVAh: model.truthVAh / 1000 };
  },
  async stop() {
    await firmware?.stop();
    return true;
  },
});
