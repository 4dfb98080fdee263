// Node side: small helpers shared by the control tests.
import type { ControllerSpec, RelaySpec } from "./scenarios.ts";

export const ENTRY = "host-tests/control/xs-entry.ts";
export const MIN = 60_000;
export const WALL = Date.UTC(2026, 10, 22, 0, 0, 0);

export function relay(overrides: Partial<RelaySpec> = {}): RelaySpec {
  return { wiring: "on", minOnMs: 0, minOffMs: 0, maxShedMs: 4 * 3_600_000, shedLockoutMs: 0, restoreRandomMs: 0, shedRandomMs: 0, ...overrides };
}

export function controller(relays: RelaySpec[], overrides: Partial<ControllerSpec> = {}): ControllerSpec {
  return { relays, bootDelayMinMs: 0, bootDelayMaxMs: 0, restoreSpacingMs: 1_000, overrideMs: 3_600_000, seed: 1, ...overrides };
}

export const simple = (value: number, more: Record<string, unknown> = {}) => ({ startIn: 0, durationMs: -1, signalName: "SIMPLE", value, ...more });
