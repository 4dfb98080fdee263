// The seam between the VEN (which owns the event schedule) and the control policy (which owns the
// relays). The VEN publishes what is in force now and when that changes next; control never reads
// OpenADR messages, and the VEN never touches a relay. Override requests travel back the same way.

/** Where an event's timeline stands for a signal at a given instant. */
export type SignalPhase = "notification" | "rampUp" | "active" | "recovery";

export interface ActiveSignal {
  readonly eventID: string;
  readonly modificationNumber: number;
  readonly signalName: string;     // "SIMPLE", "ELECTRICITY_PRICE", "LOAD_DISPATCH", …
  readonly signalType: string;     // "level", "price", "delta", "setpoint", …
  readonly signalID: string;
  /** Payload of the interval in force (for phases other than "active": the first interval's value). */
  readonly value: number;
  /** OpenADR priority: lower number wins; 0 means lowest priority (spec: 0 = no priority). */
  readonly priority: number;
  readonly test: boolean;
  readonly phase: SignalPhase;
  /** Active period, ms since epoch; `end` is Infinity for open-ended events. Randomised start applied. */
  readonly start: number;
  readonly end: number;
  /** The app's answer to the event; control ignores signals of opted-out events. */
  readonly opt: "optIn" | "optOut";
  /** Resource ids this event targets on this VEN ([] = the whole VEN). */
  readonly resourceIDs: readonly string[];
}

export interface SignalView {
  /** Signals in force at `now`, winners first (priority, then first activated). */
  active(now: number): readonly ActiveSignal[];
  /** Next instant (ms since epoch) after `now` at which `active()` changes, or undefined. */
  nextChange(now: number): number | undefined;
  /** Called (on a later turn) whenever the schedule changes: new, modified, cancelled or opted events. */
  onChange(listener: () => void): void;
}

/** What control asks of the VEN when the user presses the override button. */
export interface OverrideSink {
  /** Opt out of everything in force until `until` (ms since epoch), with an OpenADR opt reason. */
  requestOptOut(until: number, reason: "overrideStatus" | "participating" | "notParticipating" | "emergency"): void;
  /** The override ended early; back to the app's normal answers. */
  cancelOptOut(): void;
}
