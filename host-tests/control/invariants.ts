// Node side: the relay safety rules checked on what happened at the pins (true time, across reboots),
// independently of the controller's own state. Returns a list of violations (empty = safe).
import type { Command, ControllerSpec, Transition } from "./scenarios.ts";

export interface RunResult {
  transitions: Transition[];
  boots: number[];
  downs: number[];
  optOuts: { t: number; until: number; wall: number; reason: string }[];
  optCancels: number[];
  fatal: number[];
  end: number;
  errors: string[];
}

const EPS = 1e-6;

/** Times (true ms) at which each command was applied, replaying the advances. */
export function commandTimes(commands: Command[]): number[] {
  let t = 0;
  return commands.map((c) => {
    const at = t;
    if (c.op === "advance") t += c.ms;
    if (c.op === "reboot") t += c.offMs;
    return at;
  });
}

export function violations(spec: ControllerSpec, commands: Command[], r: RunResult): string[] {
  const out: string[] = [];
  const n = spec.relays.length;
  const spacing = spec.restoreSpacingMs;
  const retry = spec.retryMs ?? 5_000;
  const slack = spacing * n + EPS;
  const times = commandTimes(commands);
  const boots = r.boots;
  const segmentOf = (t: number) => { let s = 0; for (let i = 0; i < boots.length; i++) if (boots[i] <= t) s = i; return s; };
  const segmentEnd = (s: number) => (s < r.downs.length ? r.downs[s] : r.end);
  if (r.errors.length) out.push(`timer callbacks threw: ${r.errors.join(" | ")}`);

  // Per relay: state changes in order, with the boot states as changes at each boot.
  for (let i = 0; i < n; i++) {
    const relay = spec.relays[i];
    const bootState = relay.wiring === "on";
    type Change = { t: number; on: boolean; cause: "controller" | "reboot" | "boot" };
    const changes: Change[] = [];
    for (const b of boots) changes.push({ t: b, on: bootState, cause: "boot" });
    for (const tr of r.transitions) if (tr.relay === i) changes.push({ t: tr.t, on: tr.on, cause: tr.cause });
    changes.sort((a, b) => a.t - b.t || (a.cause === "boot" ? 0 : 1) - (b.cause === "boot" ? 0 : 1));
    // The relay's state timeline: since = last time its state was (re)established by a change or boot.
    let state = bootState;
    let since = 0;
    for (const c of changes) {
      if (c.cause === "controller") {
        const held = c.t - since;
        const need = state ? relay.minOnMs : relay.minOffMs;
        if (c.on === state) out.push(`relay ${i}: controller change to the same state at ${c.t}`);
        if (held + EPS < need) out.push(`relay ${i}: ${state ? "on" : "off"} for ${held} ms < minimum ${need} ms (switched at ${c.t})`);
        // boot hold: no controller change before the earliest takeover unless override/fatal came first
        const s = segmentOf(c.t);
        const bootAt = boots[s];
        if (c.t < bootAt + spec.bootDelayMinMs - EPS) {
          const excused = r.fatal.some((f) => f >= bootAt && f <= c.t) || r.optOuts.some((o) => o.t >= bootAt && o.t <= c.t);
          if (!excused) out.push(`relay ${i}: switched at ${c.t}, ${c.t - bootAt} ms after boot, before the minimum boot delay ${spec.bootDelayMinMs}`);
        }
      }
      if (c.cause === "boot") {
        state = c.on;
        since = c.t;
        continue;
      }
      state = c.on;
      since = c.t;
    }

    // Max shed: every off period that starts inside a boot segment and is ended by the controller (or
    // still running at the segment's end) lasts at most maxShed (+ restore spacing); an off period from
    // boot counts from the takeover (at most bootDelayMax + (n−1)·spacing).
    for (let s = 0; s < boots.length; s++) {
      const start = boots[s];
      const end = segmentEnd(s);
      let offSince: number | undefined = bootState ? undefined : start;
      let fromBoot = !bootState;
      const inSeg = changes.filter((c) => c.t >= start && c.t <= end && c.cause !== "boot");
      const check = (until: number, ended: boolean) => {
        if (offSince === undefined) return;
        const allowance = Math.max(relay.maxShedMs, fromBoot ? spec.bootDelayMaxMs + (n - 1) * spacing + relay.minOffMs : 0) + slack + retry;
        if (until - offSince > allowance) out.push(`relay ${i}: off for ${until - offSince} ms from ${offSince}${ended ? "" : " (still off)"} > max shed ${relay.maxShedMs} ms (+ ${slack + retry} slack)`);
      };
      for (const c of inSeg) {
        if (c.cause === "reboot") { offSince = undefined; continue; }
        if (!c.on) { offSince = c.t; fromBoot = false; }
        else { check(c.t, true); offSince = undefined; }
      }
      check(end, false);
    }
  }

  // Spacing: controller restores (off → on) are at least restoreSpacingMs apart within a boot.
  const restores = r.transitions.filter((t) => t.on && t.cause === "controller").sort((a, b) => a.t - b.t);
  for (let k = 1; k < restores.length; k++) {
    const a = restores[k - 1];
    const b = restores[k];
    if (segmentOf(a.t) === segmentOf(b.t) && b.t - a.t + EPS < spacing) out.push(`restores of relays ${a.relay} and ${b.relay} only ${b.t - a.t} ms apart (< ${spacing})`);
  }

  // Fail-normal: after a fatal error, no controller sheds in that boot, and every relay is on by its
  // deadline (minimum off time, spacing and one write retry allowed).
  for (const f of r.fatal) {
    const s = segmentOf(f);
    const end = segmentEnd(s);
    for (const tr of r.transitions) {
      if (tr.cause === "controller" && !tr.on && tr.t > f + EPS && tr.t <= end) out.push(`relay ${tr.relay}: shed at ${tr.t} after fail-normal at ${f}`);
    }
    for (let i = 0; i < n; i++) {
      const state = stateAt(spec, r, i, f);
      if (state.on) continue;
      const deadline = Math.max(f, state.since + spec.relays[i].minOffMs) + slack + 2 * retry;
      if (deadline >= end) continue; // not observable in this boot
      const onBy = r.transitions.find((tr) => tr.relay === i && tr.on && tr.t >= f && tr.t <= deadline);
      if (!onBy) out.push(`relay ${i}: still off at ${deadline}, fail-normal since ${f}`);
    }
  }

  // Override: each press asks the VEN to opt out until wall + overrideMs; while it lasts (no cancel,
  // same boot, no fatal needed) nothing is shed and every load is back on by its minimum off time.
  const presses = commands.map((c, k) => ({ c, t: times[k] })).filter((x) => x.c.op === "press");
  for (const p of presses) {
    const call = r.optOuts.find((o) => Math.abs(o.t - p.t) < EPS);
    if (!call) { out.push(`press at ${p.t}: no requestOptOut`); continue; }
    if (call.reason !== "overrideStatus" || Math.abs(call.until - (call.wall + spec.overrideMs)) > EPS) out.push(`press at ${p.t}: opt-out ${call.reason} until ${call.until}, wall ${call.wall}`);
    const s = segmentOf(p.t);
    const cancels = commands.map((c, k) => ({ c, t: times[k] })).filter((x) => x.c.op === "cancelOverride" && x.t >= p.t).map((x) => x.t);
    const nextPress = presses.find((q) => q.t > p.t)?.t ?? Infinity;
    const end = Math.min(segmentEnd(s), p.t + spec.overrideMs, cancels[0] ?? Infinity, nextPress);
    for (const tr of r.transitions) {
      if (tr.cause === "controller" && !tr.on && tr.t > p.t + EPS && tr.t < end - EPS) out.push(`relay ${tr.relay}: shed at ${tr.t} during the override from ${p.t}`);
    }
    for (let i = 0; i < n; i++) {
      const state = stateAt(spec, r, i, p.t);
      if (state.on) continue;
      const deadline = Math.max(p.t, state.since + spec.relays[i].minOffMs) + slack + 2 * retry;
      if (deadline >= end) continue;
      if (!r.transitions.find((tr) => tr.relay === i && tr.on && tr.t >= p.t && tr.t <= deadline)) out.push(`relay ${i}: not restored by ${deadline} after the override at ${p.t}`);
    }
  }
  return out;
}

/** Physical state of relay i just after time t, and since when. */
function stateAt(spec: ControllerSpec, r: RunResult, i: number, t: number): { on: boolean; since: number } {
  const bootState = spec.relays[i].wiring === "on";
  let on = bootState;
  let since = 0;
  const events: { t: number; on: boolean }[] = r.boots.map((b) => ({ t: b, on: bootState }));
  for (const tr of r.transitions) if (tr.relay === i) events.push({ t: tr.t, on: tr.on });
  events.sort((a, b) => a.t - b.t);
  for (const e of events) {
    if (e.t > t) break;
    if (e.on !== on || e.t === since) { /* state change */ }
    on = e.on;
    since = e.t;
  }
  return { on, since };
}
