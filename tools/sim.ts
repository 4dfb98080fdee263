// npm run sim [-- options]: runs the firmware (main.ts, the bundle the tests run) on XS with the
// simulated board against the bundled VTN simulator (TLS, generated test PKI) and CIOF terminal
// emulator on loopback, through a scenario in simulated time; shows a live status line and writes
// summary.json, timeline.svg and the full message log to --out. With --vtn-url … the VEN talks to an
// external VTN in real time instead (and --ciof-url … to an external CIOF terminal).
// Relative paths are taken from where npm was started.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { loadScenario, duration as isoDuration } from "../host-tests/sim/scenario.ts";
import { runSimulation, type LiveStatus, type SimRecords } from "../host-tests/sim/run.ts";
import { analyze, summarize } from "../host-tests/sim/summary.ts";
import { renderTimeline } from "../host-tests/sim/timeline.ts";

const USAGE = `usage: npm run sim -- [options]
  --scenario <name|file>   scenario (host-tests/scenarios/<name>.json or a JSON file; default "default")
  --speed <n>              simulated seconds per real second (default: as fast as the machine goes)
  --duration <d>           run length: ISO-8601 (PT6H) or hours (6h, 90m); default: the scenario's
  --out <dir>              output directory (default sim-out/)
  --heap host|esp32        XS heap: grows (default) or the ESP32 board targets' fixed heap
  --log-level <level>      firmware log level (error, warn, info, debug; default info)
  --quiet                  no live status line
 external VTN (real time; the scenario's VTN actions are not played):
  --vtn-url <url> --cert <pem> --key <pem> --ca <pem> --ven-name <name> [--vtn-fingerprint <fp>]
 external CIOF terminal (real time):
  --ciof-url <url> --ciof-token <token>`;

const VALUE_FLAGS = new Set(["--scenario", "--speed", "--duration", "--out", "--heap", "--log-level", "--vtn-url", "--cert", "--key", "--ca", "--ven-name", "--vtn-fingerprint", "--ciof-url", "--ciof-token"]);
const BOOL_FLAGS = new Set(["--quiet", "--help", "-h"]);

function parseArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf("=");
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (BOOL_FLAGS.has(name)) { args.set(name, "true"); continue; }
    if (!VALUE_FLAGS.has(name)) throw new Error(`unknown option ${a}`);
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new Error(`${name} needs a value`);
    args.set(name, value);
  }
  return args;
}

function parseRunLength(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(h|m|s)$/.exec(text);
  if (m) return Number(m[1]) * (m[2] === "h" ? 3_600_000 : m[2] === "m" ? 60_000 : 1000);
  return isoDuration(text, "--duration");
}

function statusLine(s: LiveStatus): string {
  const f = s.firmware;
  const local = new Date(s.at + s.offsetMinutes * 60_000).toISOString().slice(11, 16);
  const done = Number.isFinite(s.endMs) ? ` ${Math.floor(((s.at - s.startMs) / (s.endMs - s.startMs)) * 100)}%` : "";
  if (!f) return `${local}${done} | firmware not running`;
  const seen = new Set<string>();
  const signals: string[] = [];
  for (const sig of f.signals as Array<{ eventID: string; signalName: string; value: number; phase: string; opt: string }>) {
    if (seen.has(sig.eventID)) continue;
    seen.add(sig.eventID);
    const what = sig.signalName === "SIMPLE" ? `L${sig.value}` : sig.signalName === "ELECTRICITY_PRICE" ? `¥${sig.value}` : `${sig.signalName} ${sig.value}`;
    signals.push(`${sig.eventID} ${what} ${sig.phase}${sig.opt === "optOut" ? " (opted out)" : ""}`);
  }
  const relays = (f.control.relays as Array<{ id: string; loadOn: boolean }>).map((r) => (r.loadOn ? "on" : "SHED")).join("/");
  const ciof = f.ciof ? `CIOF ${f.ciof.state} q${f.ciof.queued}` : "CIOF off";
  return `${local}${done} | VEN ${f.ven.state} | ${signals.length ? signals.join(", ") : "no event"} | relays ${relays}${f.control.override ? " OVERRIDE" : ""} | ${f.meter.kw.toFixed(2)} kVA (site ${s.siteKva.toFixed(2)}) | reports buf ${f.reports.buffered} | ${ciof}`;
}

function writeOutputs(dir: string, records: SimRecords, summaryJson: unknown, svg: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "summary.json"), JSON.stringify(summaryJson, null, 2) + "\n");
  writeFileSync(path.join(dir, "timeline.svg"), svg);
  const offset = records.scenario.offsetMinutes * 60_000;
  const iso = (t: number) => new Date(t + offset).toISOString().replace("Z", "").replace("T", " ");
  const ndjson = records.messages.map((m) => JSON.stringify({ ...m, time: new Date(m.at).toISOString() })).join("\n");
  writeFileSync(path.join(dir, "messages.ndjson"), ndjson + (ndjson ? "\n" : ""));
  const human = records.messages.map((m) => {
    const who = m.peer === "vtn" ? "VEN → VTN" : m.peer === "ciof" ? "controller → CIOF terminal" : "→";
    return `=== #${m.seq} ${iso(m.at)} ${who} ${m.method} ${m.url} → ${m.status ?? m.error}\n${m.request || "(no body)"}\n--- response\n${m.response || "(no body)"}\n`;
  }).join("\n");
  writeFileSync(path.join(dir, "messages.log"), human);
  writeFileSync(path.join(dir, "firmware.log"), records.firmwareLog.join("\n") + "\n");
  writeFileSync(path.join(dir, "actions.json"), JSON.stringify(records.actions.map((a) => ({ time: iso(a.at), do: a.do, detail: a.detail })), null, 2) + "\n");
}

async function main(): Promise<number> {
  let args: Map<string, string>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.has("--help") || args.has("-h")) {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  const base = process.env.INIT_CWD ?? process.cwd();
  const file = (name: string) => path.resolve(base, args.get(name)!);
  const scenario = loadScenario(args.get("--scenario") ?? "default", base);
  const out = path.resolve(base, args.get("--out") ?? "sim-out");
  const external = args.has("--vtn-url") ? (() => {
    for (const need of ["--cert", "--key", "--ca", "--ven-name"]) if (!args.has(need)) throw new Error(`--vtn-url needs ${need}`);
    return { url: args.get("--vtn-url")!, cert: file("--cert"), key: file("--key"), ca: file("--ca"), venName: args.get("--ven-name")!, vtnFingerprint: args.get("--vtn-fingerprint") };
  })() : undefined;
  const externalCiof = args.has("--ciof-url") ? (() => {
    if (!args.has("--ciof-token")) throw new Error("--ciof-url needs --ciof-token");
    return { url: args.get("--ciof-url")!, token: args.get("--ciof-token")! };
  })() : undefined;
  const heap = args.get("--heap") ?? "host";
  if (heap !== "host" && heap !== "esp32") throw new Error("--heap must be host or esp32");
  const speed = args.has("--speed") ? Number(args.get("--speed")) : undefined;
  if (speed !== undefined && !(speed > 0)) throw new Error("--speed must be a positive number");

  const tty = process.stderr.isTTY && !args.has("--quiet");
  let lastDraw = 0;
  let lastHour = -1;
  const abort = new AbortController();
  process.once("SIGINT", () => { process.stderr.write("\nstopping (Ctrl-C): writing what was recorded…\n"); abort.abort(); });
  process.stderr.write(`sim: scenario "${scenario.name}"${external ? `, external VTN ${external.url} (real time)` : ""}${externalCiof ? `, external CIOF ${externalCiof.url}` : ""} → ${path.relative(base, out) || out}\n`);
  const records = await runSimulation({
    scenario, heap, speed, external, externalCiof, signal: abort.signal,
    durationMs: args.has("--duration") ? parseRunLength(args.get("--duration")!) : undefined,
    logLevel: args.get("--log-level"),
    onStatus: (s) => {
      if (args.has("--quiet")) return;
      const line = statusLine(s);
      if (tty) {
        const now = performance.now();
        if (now - lastDraw < 100) return;
        lastDraw = now;
        const width = process.stderr.columns ?? 160;
        process.stderr.write(`\r\x1b[2K${line.slice(0, width - 1)}`);
      } else {
        const hour = Math.floor((s.at - s.startMs) / 3_600_000);
        if (hour !== lastHour) { lastHour = hour; process.stderr.write(line + "\n"); }
      }
    },
  });
  if (tty) process.stderr.write("\n");
  process.stderr.write("sim: checking the records (XSD validation of every VEN request) …\n");
  const analysis = analyze(records);
  const summary = await summarize(records, analysis);
  const { events, violations, ...figures } = summary;
  const json = { ...figures, events, violations };
  writeOutputs(out, records, json, renderTimeline(records, analysis, summary));
  const c = summary.ciof;
  process.stdout.write([
    `scenario ${summary.scenario}: ${summary.simulated_hours} h simulated in ${summary.wall_seconds} s`,
    `events: received ${summary.events_received} (${summary.event_versions_received} versions), executed ${summary.events_executed}/${summary.events_expected}, answered ${summary.event_versions_answered}/${summary.event_versions_needing_answer}, cancelled ${summary.events_cancelled} (honoured ${summary.cancellations_honored}); opt responses ${summary.opt_responses}`,
    `relays: ${summary.relay_switches} switches, safety violations ${summary.safety_violations}`,
    `reports: ${summary.reports_sent} sent, ${summary.report_values_received_by_vtn} values received by the VTN; VEN requests ${summary.ven_requests}, XSD-invalid ${summary.ven_requests_xsd_invalid ?? "not checked (schema absent)"}`,
    c ? `CIOF: queued ${c.records_queued}, delivered ${c.records_delivered}, lost ${c.records_lost}, duplicated ${c.records_duplicated}; energy slots ${c.energy_slots_received}/${c.energy_slots_expected}, DR records ${c.dr_records_received}` : "CIOF: off",
    `heap: largest live ${summary.peak_heap_bytes.toLocaleString("en-US")} B (chunks + slots × 16), stack ${summary.heap.peak_stack_slots} slots (${summary.heap.profile})`,
    ...Object.entries(summary.checks).map(([name, ok]) => `  ${ok ? "ok  " : "FAIL"} ${name}`),
    summary.aborted ? `aborted: ${summary.aborted}` : "",
    `${summary.pass ? "PASS" : "FAIL"} — ${path.join(path.relative(base, out) || out, "summary.json")}, timeline.svg, messages.log (${records.messages.length} exchanges), messages.ndjson, firmware.log`,
  ].filter(Boolean).join("\n") + "\n");
  return summary.pass ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (error) => {
  process.stderr.write(`sim: ${(error as Error).message ?? error}\n`);
  process.exitCode = 2;
});
