// Which active signal, if any, asks a relay to shed: per-relay rules compare the winning signal of a
// given name (the first the VEN lists for this relay's resource, i.e. highest priority then first
// activated) with a threshold. Only the "active" phase counts; test events and opted-out events never
// shed. Pure functions, no state. Leaves out: timing and safety (relay-controller.ts).

import type { ActiveSignal } from "./signals";

export type ShedComparison = "atLeast" | "above" | "atMost" | "below";

export interface ShedRule {
  /** OpenADR signalName: "SIMPLE", "ELECTRICITY_PRICE", "LOAD_DISPATCH", … */
  readonly signalName: string;
  /** Restrict to one signalType ("level", "price", "setpoint", "delta", …). */
  readonly signalType?: string;
  /** Shed when value `when` threshold: atLeast ≥, above >, atMost ≤, below <. */
  readonly when: ShedComparison;
  readonly threshold: number;
}

/** SIMPLE level ≥ 1 sheds (moderate, high, special). */
export const SIMPLE_LEVEL_1: ShedRule = Object.freeze({ signalName: "SIMPLE", when: "atLeast", threshold: 1 });
/** SIMPLE level ≥ 2 sheds (high, special): for loads that should ride through moderate events. */
export const SIMPLE_LEVEL_2: ShedRule = Object.freeze({ signalName: "SIMPLE", when: "atLeast", threshold: 2 });

/** ELECTRICITY_PRICE above `threshold` (the signal's currency/unit) sheds. */
export function priceAbove(threshold: number): ShedRule {
  return Object.freeze({ signalName: "ELECTRICITY_PRICE", when: "above", threshold });
}

/** LOAD_DISPATCH setpoint (kW for the site) below `kw` sheds: the site must come down to it. */
export function dispatchSetpointBelow(kw: number): ShedRule {
  return Object.freeze({ signalName: "LOAD_DISPATCH", signalType: "setpoint", when: "below", threshold: kw });
}

/** LOAD_DISPATCH delta (kW change asked of the site) at or below −`kw` sheds. */
export function dispatchDeltaAtMost(kw: number): ShedRule {
  return Object.freeze({ signalName: "LOAD_DISPATCH", signalType: "delta", when: "atMost", threshold: -Math.abs(kw) });
}

export function checkRules(name: string, rules: readonly ShedRule[]): void {
  if (!Array.isArray(rules)) throw new TypeError(`${name}.rules must be an array`);
  rules.forEach((r, i) => {
    if (!r || typeof r.signalName !== "string" || !r.signalName) throw new TypeError(`${name}.rules[${i}].signalName is required`);
    if (r.when !== "atLeast" && r.when !== "above" && r.when !== "atMost" && r.when !== "below") throw new RangeError(`${name}.rules[${i}].when must be atLeast, above, atMost or below`);
    if (!Number.isFinite(r.threshold)) throw new RangeError(`${name}.rules[${i}].threshold must be a finite number`);
  });
}

function applies(signal: ActiveSignal, resourceID: string | undefined): boolean {
  if (signal.phase !== "active" || signal.test || signal.opt === "optOut") return false;
  const targets = signal.resourceIDs;
  if (targets.length === 0) return true;
  return resourceID !== undefined && targets.includes(resourceID);
}

function compare(value: number, rule: ShedRule): boolean {
  switch (rule.when) {
    case "atLeast": return value >= rule.threshold;
    case "above": return value > rule.threshold;
    case "atMost": return value <= rule.threshold;
    default: return value < rule.threshold;
  }
}

/**
 * The signal that makes this relay shed, or undefined. For each rule, only the winning signal of that
 * name (and type, if the rule names one) is compared: a higher-priority SIMPLE 0 overrides a
 * lower-priority SIMPLE 2.
 */
export function shedSignal(signals: readonly ActiveSignal[], rules: readonly ShedRule[], resourceID?: string): ActiveSignal | undefined {
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r];
    for (let s = 0; s < signals.length; s++) {
      const signal = signals[s];
      if (signal.signalName !== rule.signalName) continue;
      if (rule.signalType !== undefined && signal.signalType !== rule.signalType) continue;
      if (!applies(signal, resourceID)) continue;
      if (compare(signal.value, rule)) return signal;
      break; // the winner for this name does not shed
    }
  }
  return undefined;
}
