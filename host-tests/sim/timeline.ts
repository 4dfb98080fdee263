// timeline.svg: a simulated day at a glance, drawn by hand (no dependencies). Lanes share one time
// axis (local time of the scenario's zone): the signals the VEN received (SIMPLE level, price) with
// each event's window (dashed and struck through when it was cancelled before it started), the relay
// states from the simulated pins, the power the VTN received in TELEMETRY_USAGE beside the site's true
// power, and ticks for every upload (reports, event responses, CIOF trade messages, service records).
// Node only.
import simBoard from "../../hardware/boards/sim";
import type { SimRecords } from "./run.ts";
import type { Analysis, Summary } from "./summary.ts";

const W = 1400;
const LEFT = 220;
const RIGHT = 30;
const PLOT = W - LEFT - RIGHT;
const COLORS = Object.freeze({
  simple: "#1f5fbf", price: "#d9822b", eventFill: "#1f5fbf", cancelled: "#8a8a8a", on: "#3a9e4f", off: "#c0392b",
  measured: "#1f5fbf", truth: "#9aa4b1", report: "#1f5fbf", response: "#7b3fb5", trade: "#2e8b57", record: "#d9822b",
  grid: "#e3e6ea", text: "#222", muted: "#666",
});

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}

function n(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

export function renderTimeline(records: SimRecords, analysis: Analysis, summary: Summary): string {
  const t0 = records.startMs;
  const t1 = Math.max(records.endMs, t0 + 60_000);
  const offset = records.scenario.offsetMinutes * 60_000;
  const x = (t: number) => LEFT + ((Math.min(Math.max(t, t0), t1) - t0) / (t1 - t0)) * PLOT;
  const out: string[] = [];
  let y = 0;
  const text = (tx: number, ty: number, s: string, attrs = "") => out.push(`<text x="${n(tx)}" y="${n(ty)}" ${attrs}>${esc(s)}</text>`);
  // A lane's title sits on its own line above the lane; returns the y where the lane's plot starts.
  const label = (ty: number, title: string, sub?: string): number => {
    text(12, ty + 14, title, `font-weight="700" font-size="13"`);
    if (sub) text(12 + title.length * 8 + 10, ty + 14, sub, `fill="${COLORS.muted}" font-size="11"`);
    return ty + 22;
  };
  const localTime = (t: number) => new Date(t + offset).toISOString().slice(11, 16);

  // ---- header ----
  const ok = summary.pass;
  y = 28;
  text(12, y, `${records.scenario.name} — ${new Date(t0 + offset).toISOString().slice(0, 10)}, ${summary.simulated_hours} h simulated (UTC${records.scenario.offsetMinutes >= 0 ? "+" : "-"}${String(Math.floor(Math.abs(records.scenario.offsetMinutes) / 60)).padStart(2, "0")}:${String(Math.abs(records.scenario.offsetMinutes) % 60).padStart(2, "0")})`, `font-size="17" font-weight="700"`);
  y += 22;
  const facts = [
    `events ${summary.events_executed}/${summary.events_expected} executed`, `${summary.event_versions_answered}/${summary.event_versions_needing_answer} answered`,
    `relay switches ${summary.relay_switches}`, `safety violations ${summary.safety_violations}`,
    `reports ${summary.reports_sent} (${summary.report_values_received_by_vtn} values)`,
    `CIOF delivered ${summary.ciof?.records_delivered ?? "–"}, lost ${summary.ciof?.records_lost ?? "–"}, duplicated ${summary.ciof?.records_duplicated ?? "–"}`,
    `XSD-invalid ${summary.ven_requests_xsd_invalid ?? "n/a"}`,
  ];
  text(12, y, facts.join("  ·  "), `font-size="12" fill="${COLORS.muted}"`);
  text(W - RIGHT, y, ok ? "PASS" : "FAIL", `font-size="14" font-weight="700" text-anchor="end" fill="${ok ? COLORS.on : COLORS.off}"`);
  y += 18;

  const laneTop = y;
  // ---- signals lane ----
  const sigTop = label(y + 4, "Signals", "what the VEN received: SIMPLE level (blue), price in yen/kWh (orange), event windows; ▲ = a version reached the VEN");
  const sigH = 150;
  const events = [...analysis.latest.values()].sort((a, b) => a.dtstart - b.dtstart);
  const simpleY = (v: number) => sigTop + sigH - 8 - (v / 3) * (sigH - 40);
  const prices = events.flatMap((e) => e.signals.filter((s) => s.name === "ELECTRICITY_PRICE").flatMap((s) => s.intervals.map((i) => i.value)));
  const pmax = prices.length ? Math.max(...prices) * 1.15 : 1;
  const priceY = (v: number) => sigTop + sigH - 8 - (v / pmax) * (sigH - 40);
  // event windows (behind the lines)
  let row = 0;
  for (const e of events) {
    const cancelledAt = analysis.cancelledAt.get(e.eventID);
    const cancelledBefore = e.status === "cancelled" && cancelledAt !== undefined && cancelledAt <= e.dtstart;
    const end = e.duration === 0 ? t1 : e.dtstart + e.duration;
    const isPrice = e.signals.every((s) => s.name === "ELECTRICITY_PRICE");
    if (end + e.startafter <= t0 || e.dtstart >= t1) continue; // outside the run: nothing to draw
    const x0 = x(e.dtstart), x1 = x(end);
    const by = sigTop + 4 + (isPrice ? 0 : cancelledBefore ? 40 : 14 + (row++ % 2) * 14);
    if (!isPrice) {
      out.push(`<rect x="${n(x0)}" y="${n(sigTop + 2)}" width="${n(Math.max(1, x1 - x0))}" height="${sigH - 8}" fill="${cancelledBefore ? "none" : COLORS.eventFill}" fill-opacity="0.08" stroke="${cancelledBefore ? COLORS.cancelled : COLORS.eventFill}" stroke-opacity="0.6" ${cancelledBefore ? `stroke-dasharray="5 4"` : ""}/>`);
      if (e.startafter > 0) out.push(`<rect x="${n(x1)}" y="${n(sigTop + 2)}" width="${n(Math.max(1, x(end + e.startafter) - x1))}" height="${sigH - 8}" fill="${COLORS.eventFill}" fill-opacity="0.04"/>`);
    }
    const name = `${e.eventID} (mod ${e.modificationNumber})${cancelledBefore ? " cancelled" : ""}`;
    text(x0 + 3, by + 8, name, `font-size="10.5" fill="${cancelledBefore ? COLORS.cancelled : isPrice ? COLORS.price : COLORS.simple}"${cancelledBefore ? ` text-decoration="line-through"` : ""}`);
    // when each version reached the VEN
    for (const v of analysis.versions.values()) {
      if (v.eventID !== e.eventID) continue;
      const vx = x(v.receivedAt);
      out.push(`<path d="M${n(vx)} ${n(sigTop + sigH - 2)} l-4 7 h8 z" fill="${v.status === "cancelled" ? COLORS.cancelled : isPrice ? COLORS.price : COLORS.simple}"><title>${esc(`${v.eventID} mod ${v.modificationNumber} ${v.status} received ${localTime(v.receivedAt)}`)}</title></path>`);
    }
  }
  // SIMPLE level: the highest level of non-cancelled SIMPLE intervals over time
  const simpleSteps: Array<{ from: number; to: number; v: number }> = [];
  const priceSteps: Array<{ from: number; to: number; v: number }> = [];
  for (const e of events) {
    const cancelledAt = analysis.cancelledAt.get(e.eventID);
    const stop = e.status === "cancelled" && cancelledAt !== undefined ? cancelledAt : Infinity;
    for (const s of e.signals) {
      for (const iv of s.intervals) {
        const to = Math.min(iv.end, stop);
        if (to <= iv.start) continue;
        if (s.name === "SIMPLE") simpleSteps.push({ from: iv.start, to, v: iv.value });
        if (s.name === "ELECTRICITY_PRICE") priceSteps.push({ from: iv.start, to, v: iv.value });
      }
    }
  }
  const stepPath = (steps: typeof simpleSteps, fy: (v: number) => number, base: number) => {
    const cuts = new Set<number>([t0, t1]);
    for (const s of steps) { cuts.add(Math.max(t0, Math.min(t1, s.from))); cuts.add(Math.max(t0, Math.min(t1, s.to))); }
    const times = [...cuts].sort((a, b) => a - b);
    let d = "";
    for (let i = 0; i < times.length - 1; i++) {
      const mid = (times[i] + times[i + 1]) / 2;
      const active = steps.filter((s) => s.from <= mid && mid < s.to);
      const v = active.length ? Math.max(...active.map((s) => s.v)) : base;
      d += `${d ? "L" : "M"}${n(x(times[i]))} ${n(fy(v))} L${n(x(times[i + 1]))} ${n(fy(v))} `;
    }
    return d;
  };
  if (priceSteps.length) out.push(`<path d="${stepPath(priceSteps, priceY, 0)}" fill="none" stroke="${COLORS.price}" stroke-width="2"/>`);
  out.push(`<path d="${stepPath(simpleSteps, simpleY, 0)}" fill="none" stroke="${COLORS.simple}" stroke-width="2.5"/>`);
  for (let v = 0; v <= 3; v++) text(LEFT - 6, simpleY(v) + 4, `L${v}`, `font-size="10" text-anchor="end" fill="${COLORS.simple}"`);
  for (const e of events) {
    const price = e.signals.find((s) => s.name === "ELECTRICITY_PRICE");
    if (!price) continue;
    for (const iv of price.intervals) {
      if (iv.end <= t0 || iv.start >= t1) continue;
      text((x(iv.start) + x(iv.end)) / 2, priceY(iv.value) - 4, String(iv.value), `font-size="10" text-anchor="middle" fill="${COLORS.price}"`);
    }
  }
  y = sigTop + sigH + 10;

  // ---- relays lane ----
  const relTop = y;
  const relPlot = label(relTop + 4, "Relays", "load on (green) / shed (red), from the simulated pins");
  const rowH = 26;
  simBoard.relays.forEach((relay, i) => {
    const ry = relPlot + i * (rowH + 6);
    text(LEFT - 6, ry + 17, `${relay.id} ${relay.label ?? ""}`, `font-size="11" text-anchor="end"`);
    for (const p of analysis.periods.get(relay.id) ?? []) {
      const x0 = x(p.from), x1 = x(p.to);
      out.push(`<rect x="${n(x0)}" y="${n(ry)}" width="${n(Math.max(0.8, x1 - x0))}" height="${rowH}" fill="${p.on ? COLORS.on : COLORS.off}" fill-opacity="${p.on ? 0.55 : 0.85}"><title>${esc(`${relay.id} ${p.on ? "on" : "shed"} ${localTime(p.from)}–${localTime(p.to)}`)}</title></rect>`);
      if (!p.on && x1 - x0 > 40) text((x0 + x1) / 2, ry + 17, `shed ${localTime(p.from)}–${localTime(p.to)}`, `font-size="10.5" text-anchor="middle" fill="#fff"`);
    }
  });
  y = relPlot + simBoard.relays.length * (rowH + 6) + 6;

  // ---- power lane ----
  const powTop = y;
  const powPlot = label(powTop + 4, "Power", "kVA the VTN received in TELEMETRY_USAGE (blue) over the site's true power (grey)");
  const powH = 140;
  const truth = records.samples.map((s) => ({ at: s.at, v: s.siteKva }));
  const vmax = Math.max(1, ...truth.map((p) => p.v), ...analysis.power.map((p) => p.value)) * 1.1;
  const py = (v: number) => powPlot + powH - 6 - (v / vmax) * (powH - 16);
  for (let v = 0; v <= vmax; v += vmax > 6 ? 2 : 1) {
    out.push(`<line x1="${LEFT}" x2="${W - RIGHT}" y1="${n(py(v))}" y2="${n(py(v))}" stroke="${COLORS.grid}"/>`);
    text(LEFT - 6, py(v) + 4, `${v} kVA`, `font-size="10" text-anchor="end" fill="${COLORS.muted}"`);
  }
  const line = (pts: Array<{ at: number; v: number }>) => pts.map((p, i) => `${i ? "L" : "M"}${n(x(p.at))} ${n(py(p.v))}`).join(" ");
  if (truth.length) out.push(`<path d="${line(truth)}" fill="none" stroke="${COLORS.truth}" stroke-width="4" stroke-opacity="0.6"/>`);
  if (analysis.power.length) out.push(`<path d="${line(analysis.power.map((p) => ({ at: p.at, v: p.value })))}" fill="none" stroke="${COLORS.measured}" stroke-width="1.2"/>`);
  y = powPlot + powH + 6;

  // ---- uploads lane ----
  const upTop = y;
  const upPlot = label(upTop + 4, "Uploads", "one tick per message accepted by the peer");
  const lanes: Array<[string, number[], string]> = [
    ["VEN reports (oadrUpdateReport)", analysis.uploads.reports, COLORS.report],
    ["event responses / opts", analysis.uploads.responses, COLORS.response],
    ["CIOF trade data (POST /messages)", analysis.uploads.trade, COLORS.trade],
    ["CIOF service records", analysis.uploads.records, COLORS.record],
  ];
  lanes.forEach(([name, times, color], i) => {
    const ly = upPlot + i * 18;
    text(LEFT - 6, ly + 11, `${name} ${times.length}`, `font-size="10.5" text-anchor="end"`);
    out.push(`<path d="${times.map((t) => `M${n(x(t))} ${n(ly)} v14`).join(" ")}" stroke="${color}" stroke-width="1.2"/>`);
  });
  y = upPlot + lanes.length * 18 + 6;

  // ---- time axis and grid ----
  const axisY = y;
  const hour = 3_600_000;
  const span = t1 - t0;
  const minute = 60_000;
  const step = span > 36 * hour ? 6 * hour : span > 12 * hour ? 2 * hour : span > 3 * hour ? hour : span > hour ? 15 * minute : span > 15 * minute ? 5 * minute : minute;
  const grid: string[] = [];
  for (let t = Math.ceil((t0 + offset) / step) * step - offset; t <= t1; t += step) {
    grid.push(`<line x1="${n(x(t))}" x2="${n(x(t))}" y1="${laneTop}" y2="${axisY}" stroke="${COLORS.grid}"/>`);
    text(x(t), axisY + 14, localTime(t), `font-size="11" text-anchor="middle" fill="${COLORS.muted}"`);
  }
  // lane separators
  for (const sy of [relTop, powTop, upTop, axisY]) grid.push(`<line x1="12" x2="${W - RIGHT}" y1="${sy}" y2="${sy}" stroke="#c8ccd2"/>`);
  y = axisY + 30;
  // legend
  const legend: Array<[string, string, string]> = [
    ["SIMPLE level", COLORS.simple, "line"], ["price", COLORS.price, "line"], ["event window", COLORS.eventFill, "box"],
    ["cancelled", COLORS.cancelled, "dash"], ["version received", COLORS.simple, "tri"], ["load on", COLORS.on, "box"], ["shed", COLORS.off, "box"],
    ["reported kVA", COLORS.measured, "line"], ["site truth", COLORS.truth, "line"],
  ];
  let lx = LEFT;
  for (const [name, color, kind] of legend) {
    if (kind === "line") out.push(`<line x1="${lx}" x2="${lx + 18}" y1="${y - 4}" y2="${y - 4}" stroke="${color}" stroke-width="2.5"/>`);
    else if (kind === "box") out.push(`<rect x="${lx}" y="${y - 10}" width="18" height="11" fill="${color}" fill-opacity="0.6"/>`);
    else if (kind === "dash") out.push(`<rect x="${lx}" y="${y - 10}" width="18" height="11" fill="none" stroke="${color}" stroke-dasharray="4 3"/>`);
    else out.push(`<path d="M${lx + 9} ${y - 10} l-5 9 h10 z" fill="${color}"/>`);
    text(lx + 23, y, name, `font-size="11"`);
    lx += 30 + name.length * 6.2;
  }
  const H = y + 14;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12" fill="${COLORS.text}">\n` +
    `<rect width="${W}" height="${H}" fill="#fff"/>\n${grid.join("\n")}\n${out.join("\n")}\n</svg>\n`;
}
