// Node side: fast-check generators for controller configurations and command sequences.
import fc from "fast-check";
import type { Command, ControllerSpec, EventSpec, RelaySpec } from "./scenarios.ts";

const MIN = 60_000;
const HOUR = 3_600_000;

const rule = fc.constantFrom(
  { signalName: "SIMPLE", when: "atLeast", threshold: 1 },
  { signalName: "SIMPLE", when: "atLeast", threshold: 2 },
  { signalName: "ELECTRICITY_PRICE", when: "above", threshold: 30 },
);

export const relaySpec: fc.Arbitrary<RelaySpec> = fc.record({
  wiring: fc.constantFrom<("on" | "off")[]>("on", "on", "off"),
  activeLow: fc.boolean(),
  minOnMs: fc.integer({ min: 0, max: 10 * MIN }),
  minOffMs: fc.integer({ min: 0, max: 10 * MIN }),
  extraShed: fc.integer({ min: 0, max: 3 * HOUR }),
  shedLockoutMs: fc.integer({ min: 0, max: HOUR }),
  restoreRandomMs: fc.integer({ min: 0, max: 10 * MIN }),
  shedRandomMs: fc.integer({ min: 0, max: 2 * MIN }),
  rules: fc.array(rule, { minLength: 1, maxLength: 2 }),
  resource: fc.constantFrom(undefined, "load1", "load2"),
}).map(({ extraShed, ...r }) => ({ ...r, maxShedMs: r.minOffMs + extraShed + MIN }) as RelaySpec);

export const controllerSpec: fc.Arbitrary<ControllerSpec> = fc.record({
  relays: fc.array(relaySpec, { minLength: 1, maxLength: 3 }),
  bootDelayMinMs: fc.integer({ min: 0, max: 30_000 }),
  bootExtra: fc.integer({ min: 0, max: 60_000 }),
  restoreSpacingMs: fc.integer({ min: 1_000, max: 5_000 }),
  overrideMs: fc.integer({ min: MIN, max: 3 * HOUR }),
  retryMs: fc.integer({ min: 100, max: 10_000 }),
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
}).map(({ bootExtra, ...s }) => ({ ...s, bootDelayMaxMs: s.bootDelayMinMs + bootExtra }));

const event: fc.Arbitrary<EventSpec> = fc.record({
  startIn: fc.integer({ min: -30 * MIN, max: HOUR }),
  durationMs: fc.oneof(fc.constant(-1), fc.integer({ min: MIN, max: 5 * HOUR })),
  signalName: fc.constantFrom("SIMPLE", "SIMPLE", "ELECTRICITY_PRICE"),
  value: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 60 })),
  priority: fc.integer({ min: 0, max: 3 }),
  resource: fc.constantFrom(undefined, undefined, "load1", "load2"),
  test: fc.constantFrom(false, false, false, false, true),
  opt: fc.constantFrom<("optIn" | "optOut")[]>("optIn", "optIn", "optIn", "optOut"),
});

export const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ op: fc.constant("advance" as const), ms: fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 15 * MIN }), fc.integer({ min: 0, max: HOUR })) }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant("event" as const), event }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("cancel" as const), index: fc.nat(10) }) },
  { weight: 1, arbitrary: fc.constant({ op: "press" as const }) },
  { weight: 1, arbitrary: fc.constant({ op: "cancelOverride" as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("reboot" as const), offMs: fc.integer({ min: 0, max: 10 * MIN }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("clock" as const), jumpMs: fc.integer({ min: -2 * HOUR, max: 2 * HOUR }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("relayFault" as const), relay: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.constant({ op: "signalsThrow" as const }) },
  { weight: 1, arbitrary: fc.constant({ op: "fatal" as const }) },
);
