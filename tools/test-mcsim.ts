// `npm run test:mcsim`: builds the mcsim test app (host-tests/mcsim: the firmware's manifest with a
// test main.ts) with the Moddable SDK for `lin` (an instrumented release build, `mcconfig -i`, so the
// XS machine keeps its stack peak), runs it in mcsim (under xvfb-run when there is no DISPLAY), echoes
// its trace and closes with "N passed, N failed". The app prints "ok <case>" / "not ok <case>: <why>"
// and "# mcsim-done <passed> <failed>", then ends mcsim with an exit status (hardware/sim/exit).
//
// The integration scenario: before mcsim starts, this script starts the VTN simulator (HTTPS, client
// certificates from the test PKI) and the CIOF terminal emulator on 127.0.0.1 and writes the run's
// Preference file (lin: config.file.root) with the site configuration (their URLs, venName, CIOF key
// and device config, short control timings), the TLS identity as provisioned blobs (main.ts der()) and
// the run length. The app runs the firmware's main() for that long. Once the VEN has registered this
// script puts an event on the VTN (starts 30 s later, lasts 90 s, SIMPLE level 2: both relays shed);
// the VTN asks for TELEMETRY_USAGE at registration. Checks, from what the peers recorded and the app's
// trace: registered, the event answered optIn, both relay pins shed for the event and restored after
// it, oadrUpdateReport received, CIOF status and DR record at the terminal, no XSD-invalid VEN request.
// Memory: the app's "# mem" lines (XS counters), summarised. MCSIM_DEVICE_HEAP=1 adds a second build
// whose lin creation is the ESP32 board targets' fixed heap, run the same way, reported as information.
// Without MODDABLE it says the SDK is needed and exits 0, claiming nothing.
//
// Shared-machine rules it keeps: output outside the SDK (build/mcsim, git-ignored; a temporary
// directory when another run holds it), make -j2 under nice (mcconfig -m would run make --jobs 8),
// no debugger build (xsbug is never contacted), never `pkill`: it stops only the mcsim it started.
// Environment: MODDABLE (required), MCSIM_OUT (build directory), MCSIM_RUN_FOR (scenario seconds,
// default 180; 0 = the small cases only), MCSIM_TIMEOUT_MS (default: run time + 120 s),
// MCSIM_DEVICE_HEAP=1 (the device-heap run), MCSIM_VERBOSE=1 (show every build line),
// MCSIM_SKIP_BUILD=1 (run the app built last time).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CiofTerminal } from "../host-tests/peers/ciof-terminal.ts";
import { makePki } from "../host-tests/peers/pki.ts";
import type { SimEvent, SimReportRequest } from "../host-tests/peers/vtn/messages.ts";
import { VtnSimulator } from "../host-tests/peers/vtn/server.ts";
import { schemaAvailable } from "../host-tests/peers/vtn/validate.ts";
import { deviceConfig, KEY, terminalContracts, terminalData, terminalServices } from "../host-tests/ciof/site.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const appManifest = path.join(repoRoot, "host-tests/mcsim/manifest.json");
const runFor = Number(process.env.MCSIM_RUN_FOR ?? 180);
const timeoutMs = Number(process.env.MCSIM_TIMEOUT_MS ?? (runFor + 120) * 1000);
const verbose = process.env.MCSIM_VERBOSE === "1";
const deviceHeap = process.env.MCSIM_DEVICE_HEAP === "1";
/** The scenario's event: starts this long after the VEN registered, lasts EVENT_MS. */
const EVENT_LEAD_MS = 30_000;
const EVENT_MS = 90_000;
const RELAY_PINS = [26, 27];
/** The ESP32 board targets' fixed XS heap (PLATFORM-FACTS §2). */
const DEVICE_CREATION = { chunk: { initial: 78_848, incremental: 0 }, heap: { initial: 4_928, incremental: 0 }, stack: 512 };

function finish(passed: number, failed: number): never {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

function which(command: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Build directory: build/mcsim unless another run holds it (then a fresh temporary directory). */
function takeOutputDirectory(): { dir: string; release: () => void } {
  const preferred = process.env.MCSIM_OUT ?? path.join(repoRoot, "build/mcsim");
  const lock = `${preferred}.lock`;
  mkdirSync(path.dirname(preferred), { recursive: true });
  try {
    if (existsSync(lock)) {
      const holder = Number(readFileSync(lock, "utf8"));
      let alive = false;
      try { process.kill(holder, 0); alive = true; } catch { /* no such process: a stale lock */ }
      if (!alive) rmSync(lock, { force: true });
    }
    writeFileSync(lock, String(process.pid), { flag: "wx" });
    mkdirSync(preferred, { recursive: true });
    return { dir: preferred, release: () => rmSync(lock, { force: true }) };
  } catch {
    const dir = mkdtempSync(path.join(os.tmpdir(), "openadr-ven-mcsim-"));
    console.log(`test:mcsim: ${preferred} is in use by another run; building in ${dir}`);
    return { dir, release: () => rmSync(dir, { recursive: true, force: true }) };
  }
}

/** Runs a build step, streaming its output (minus per-file noise unless MCSIM_VERBOSE=1). */
function step(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): number {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const text = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  for (const line of text.split("\n")) {
    if (!line) continue;
    if (!verbose && /^(# (cc|xsc|xsid|copy|tsc) |### warning: |# warning: no resources match|make(\[\d+\])?: (Entering|Leaving))/.test(line)) continue;
    console.log(`  ${line}`);
  }
  if (result.error) console.log(`  ${command}: ${result.error.message}`);
  return result.status ?? 1;
}

function childrenOf(pid: number): number[] {
  const found: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const list = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      if (list) found.push(...list.split(/\s+/).map(Number));
    }
  } catch { /* gone already */ }
  return found;
}

/** Every process under `root` (xvfb-run, Xvfb, mcsim), breadth-first. */
function descendants(root: number): number[] {
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    for (const child of childrenOf(pid)) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function commandName(pid: number): string {
  try { return readFileSync(`/proc/${pid}/comm`, "utf8").trim(); } catch { return ""; }
}

/**
 * Stops what this run started, by pid: mcsim first (xvfb-run then stops its Xvfb and exits); if
 * mcsim has not started yet, waits for it briefly; as a last resort the remaining descendants and
 * the child itself.
 */
async function stopRun(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  for (let attempt = 0; attempt < 20 && child.exitCode === null; attempt++) {
    const mcsimPid = [child.pid, ...descendants(child.pid)].find((pid) => commandName(pid) === "mcsim");
    if (mcsimPid !== undefined) {
      console.log(`test:mcsim: stopping mcsim (pid ${mcsimPid})`);
      process.kill(mcsimPid, "SIGTERM");
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (child.exitCode !== null) return;
  for (const pid of descendants(child.pid).reverse()) {
    try { process.kill(pid, "SIGTERM"); } catch { /* already gone */ }
  }
  child.kill("SIGTERM");
}


/** Writes a wrapper manifest (this run's Preference root, optional creation for lin) and builds it. */
function build(out: string, name: string, env: NodeJS.ProcessEnv, creation?: object): string | undefined {
  const appDir = path.join(out, name);
  mkdirSync(appDir, { recursive: true });
  const wrapper = JSON.stringify({
    include: [appManifest], config: { file: { root: `${path.join(out, "prefs")}/` } },
    ...(creation ? { platforms: { lin: { creation } } } : {}),
  }, null, "\t") + "\n";
  const wrapperPath = path.join(appDir, "manifest.json");
  if (!existsSync(wrapperPath) || readFileSync(wrapperPath, "utf8") !== wrapper) writeFileSync(wrapperPath, wrapper);
  console.log(`test:mcsim: building ${path.relative(repoRoot, appManifest)} (${name}) for lin in ${out} (a first build takes minutes: one tsc per module)`);
  const started = Date.now();
  if (step("mcconfig", ["-i", "-p", "lin", "-t", "build", "-o", out, wrapperPath], appDir, env) !== 0) return undefined;
  const tmpDir = path.join(out, "tmp/lin/mc/instrument", name);
  if (step("nice", ["-n", "10", "make", "-j2", "-f", path.join(tmpDir, "makefile"), "build"], tmpDir, env) !== 0) return undefined;
  console.log(`test:mcsim: built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return path.join(out, "bin/lin/mc/instrument", name, "mc.so");
}

interface RunResult { status: number; timedOut: boolean; done: boolean; abort?: string }

/** Runs mc.so in mcsim, line by line to `onLine`; stops mcsim on timeout, Ctrl-C or an XS abort. */
async function runApp(mcsim: string, library: string, env: NodeJS.ProcessEnv, limitMs: number, onLine: (line: string) => void): Promise<RunResult> {
  // No D-Bus session for mcsim: a GTK application with a session bus hands its file to an mcsim
  // already running (a colleague's) and exits.
  const runEnv: NodeJS.ProcessEnv = { ...env };
  delete runEnv.DBUS_SESSION_BUS_ADDRESS;
  const command = process.env.DISPLAY ? ["stdbuf", "-oL", mcsim, library] : ["xvfb-run", "-a", "stdbuf", "-oL", mcsim, library];
  const child: ChildProcess = spawn(command[0], command.slice(1), { env: runEnv, stdio: ["ignore", "pipe", "pipe"] });
  const result: RunResult = { status: 0, timedOut: false, done: false };
  let rest = "";
  const line = (text: string): void => {
    if (!verbose && text.startsWith("instruments")) return; // mcsim's own samples in an instrumented build
    if (text.startsWith("# mcsim-done ")) result.done = true;
    if (/XS abort/.test(text) && !result.abort) {
      result.abort = text.trim();
      // mcsim stays up after an abort: stop it once the line has been seen.
      setTimeout(() => void stopRun(child), 1000);
    }
    onLine(text);
  };
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (data: string) => {
    rest += data;
    const lines = rest.split("\n");
    rest = lines.pop()!;
    for (const l of lines) line(l);
  });
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (data: string) => {
    for (const l of data.split("\n")) if (l.trim()) line(`[mcsim stderr] ${l}`);
  });
  const timer = setTimeout(() => {
    result.timedOut = true;
    console.log(`test:mcsim: no result after ${limitMs} ms`);
    void stopRun(child);
  }, limitMs);
  const onInt = () => { result.timedOut = true; void stopRun(child); };
  process.once("SIGINT", onInt);
  result.status = await new Promise<number>((resolve) => {
    child.on("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  clearTimeout(timer);
  process.off("SIGINT", onInt);
  if (rest) line(rest);
  return result;
}

interface Peers {
  vtn: VtnSimulator;
  terminal: CiofTerminal;
  /** The event put on the VTN once the VEN registered. */
  event?: SimEvent;
  close(): Promise<void>;
}

/** VTN simulator (HTTPS, test PKI) and CIOF terminal on 127.0.0.1; the run's Preference file for the app. */
async function startPeers(prefsDir: string): Promise<Peers> {
  const pki = makePki();
  const vtn = await VtnSimulator.start({
    pki, pollFreq: 5_000, validation: "batch", log: (line) => console.log(`[vtn] ${line}`),
    reportRequests: (metadata): SimReportRequest[] => {
      const m = metadata.find((x) => x.reportName === "METADATA_TELEMETRY_USAGE");
      return m ? [{ reportRequestID: "RR-MCSIM-TELEMETRY", reportSpecifierID: m.reportSpecifierID, granularity: 60_000, reportBackDuration: 60_000, rIDs: m.descriptions.map((d) => d.rID) }] : [];
    },
  });
  const terminal = new CiofTerminal({ authorizationKey: KEY, services: terminalServices(), data: terminalData(), contracts: terminalContracts() });
  const ciof = await terminal.listen();
  const blob = (der: Uint8Array) => ({ buffer: Array.from(der).join(",") });
  const control = {
    relays: {
      relay1: { rules: [{ signalName: "SIMPLE", when: "atLeast", threshold: 1 }], minOn: 0, minOff: 10, shedLockout: 0, restoreRandom: 5, shedRandom: 0 },
      relay2: { rules: [{ signalName: "SIMPLE", when: "atLeast", threshold: 2 }], minOn: 0, minOff: 10, shedLockout: 0, restoreRandom: 5, shedRandom: 0 },
    },
    bootDelayMin: 1, bootDelayMax: 3, restoreSpacing: 2, override: 7200,
  };
  // lin Preference file format (modules/files/preference/lin): domain → key → value, ArrayBuffers as {buffer: "b,b,…"}.
  const prefs = {
    config: {
      vtnURL: vtn.url, venName: "ven-mcsim-1", pollInterval: 5, sntp: "", logLevel: "info",
      ciofURL: ciof.url, ciofKey: KEY, ciofPollingRate: 10, ciof: JSON.stringify(deviceConfig()), control: JSON.stringify(control),
    },
    prov: { ca: blob(pki.ca.certDer), cert: blob(pki.vens["ven-1"]!.certDer), key: blob(pki.vens["ven-1"]!.keyDer) },
    mcsim: { runFor, statusEvery: 30 },
  };
  writeFileSync(path.join(prefsDir, "modpreferences.json"), JSON.stringify(prefs));
  console.log(`test:mcsim: VTN simulator ${vtn.url} (TLS, client certificates), CIOF terminal ${ciof.url}; scenario ${runFor} s`);
  const peers: Peers = {
    vtn, terminal,
    close: async () => { clearInterval(watch); await vtn.close(); await terminal.close(); },
  };
  // Once the VEN has registered: one event, soon, short.
  const watch = setInterval(() => {
    if (peers.event || vtn.vens.size === 0) return;
    const ven = vtn.ven();
    const now = Date.now();
    const dtstart = Math.ceil((now + EVENT_LEAD_MS) / 1000) * 1000;
    const event: SimEvent = {
      eventID: "EV-MCSIM-1", modificationNumber: 0, priority: 1, dtstart, duration: EVENT_MS,
      signals: [{ name: "SIMPLE", type: "level", id: "EV-MCSIM-1-SIMPLE", currentValue: 0, intervals: [{ duration: EVENT_MS, value: 2, uid: "0" }] }],
      targets: { venID: [ven.venID] }, responseRequired: "always", testEvent: false, createdDateTime: now, marketContext: "http://MarketContext1",
    };
    peers.event = event;
    vtn.putEvent(event);
    vtn.distribute();
    console.log(`test:mcsim: VEN registered as ${ven.venID}; event ${event.eventID} SIMPLE 2 from ${new Date(dtstart).toISOString()} for ${EVENT_MS / 1000} s queued for its next poll`);
  }, 250);
  return peers;
}

/** What the app traced during the scenario. */
interface Trace {
  relays: { pin: number; level: number; at: number }[];
  final?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  mem: any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** host-tests/mcsim/tls-memory.ts readings: what SecureSocket costs the heap, per exchange. */
  tls: any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  errors: string[];
}

function newTrace(): Trace {
  return { relays: [], mem: [], tls: [], errors: [] };
}

function readTrace(trace: Trace, line: string): void {
  let m: RegExpExecArray | null;
  if ((m = /^# relay (\d+) (\d) (\d+)$/.exec(line))) trace.relays.push({ pin: Number(m[1]), level: Number(m[2]), at: Number(m[3]) });
  else if (line.startsWith("# final ")) { try { trace.final = JSON.parse(line.slice(8)); } catch { /* reported as missing */ } }
  else if (line.startsWith("# mem ")) { try { trace.mem.push(JSON.parse(line.slice(6))); } catch { /* ignored */ } }
  else if (line.startsWith("# tls-mem ")) { try { trace.tls.push(JSON.parse(line.slice(10))); } catch { /* ignored */ } }
  else if (/^\S+ E /.test(line) || /XS abort/.test(line)) trace.errors.push(line);
}

/** The scenario's checks: each one line, "ok <name>" or "not ok <name>: <why>". */
async function scenarioChecks(peers: Peers, trace: Trace): Promise<[number, number]> {
  let passed = 0;
  let failed = 0;
  const check = (name: string, ok: boolean, why: string) => {
    if (ok) { passed++; console.log(`ok ${name}`); } else { failed++; console.log(`not ok ${name}: ${why}`); }
  };
  const { vtn, terminal, event } = peers;
  const registrations = vtn.received("oadrCreatePartyRegistration").filter((x) => x.status === 200);
  check("scenario-ven-registers-over-tls", registrations.length > 0 && vtn.vens.size === 1,
    `${registrations.length} registrations, ${vtn.vens.size} VENs, TLS ${JSON.stringify(vtn.stats)}; VTN saw ${vtn.exchanges.map((x) => `${x.type ?? x.path} ${x.status}${x.problem ? ` (${x.problem})` : ""}`).join(", ") || "nothing"}`);
  const answers = vtn.received("oadrCreatedEvent").flatMap((x) => x.eventResponses ?? []).filter((r) => r.eventID === event?.eventID);
  check("scenario-event-answered-optIn", event !== undefined && answers.some((r) => r.optType === "optIn" && r.responseCode === "200"),
    event ? `responses for ${event.eventID}: ${JSON.stringify(answers)}` : "the VEN never registered: no event was sent");
  if (event) {
    const end = event.dtstart + event.duration;
    const problems: string[] = [];
    for (const pin of RELAY_PINS) {
      const writes = trace.relays.filter((w) => w.pin === pin);
      const levelAt = (t: number) => writes.filter((w) => w.at <= t).at(-1)?.level;
      const shedAt = writes.find((w) => w.level === 0 && w.at >= event.dtstart - 2_000 && w.at <= event.dtstart + 15_000);
      if (levelAt(event.dtstart - 2_000) !== 1) problems.push(`pin ${pin}: level ${levelAt(event.dtstart - 2_000)} before the event (load on = 1)`);
      if (!shedAt) problems.push(`pin ${pin}: no shed (level 0) write within 15 s of the start`);
      else if (writes.some((w) => w.at > shedAt.at && w.at < end - 1_000 && w.level !== 0)) problems.push(`pin ${pin}: restored before the end`);
    }
    check("scenario-relays-shed-for-the-event", problems.length === 0, `${problems.join("; ")}; writes ${JSON.stringify(trace.relays)}`);
    const restoreProblems: string[] = [];
    for (const pin of RELAY_PINS) {
      const after = trace.relays.filter((w) => w.pin === pin && w.at >= end - 1_000);
      if (!after.some((w) => w.level === 1 && w.at <= end + 30_000)) restoreProblems.push(`pin ${pin}: no restore (level 1) within 30 s of the end`);
      if (after.length > 0 && after.at(-1)!.level !== 1) restoreProblems.push(`pin ${pin}: ends at level ${after.at(-1)!.level}`);
    }
    const ranLongEnough = Date.now() > end + 30_000;
    check("scenario-relays-restored-after-the-event", ranLongEnough && restoreProblems.length === 0,
      ranLongEnough ? `${restoreProblems.join("; ")}; writes ${JSON.stringify(trace.relays)}` : "the run ended before the event did (MCSIM_RUN_FOR too short?)");
  }
  const updates = vtn.received("oadrUpdateReport").filter((x) => x.status === 200);
  const values = updates.flatMap((x) => x.reports ?? []).filter((r) => r.reportRequestID === "RR-MCSIM-TELEMETRY").flatMap((r) => r.intervals).filter((i) => i.value !== undefined);
  check("scenario-report-request-answered-with-oadrUpdateReport", updates.length > 0 && values.length > 0,
    `${updates.length} oadrUpdateReport, ${values.length} TELEMETRY_USAGE values; oadrCreatedReport ${vtn.received("oadrCreatedReport").length}`);
  const puts = terminal.log.filter((l) => l.method === "PUT" && l.status === 200);
  check("scenario-ciof-status-at-terminal", puts.length > 0, `terminal log: ${terminal.log.map((l) => `${l.method} ${l.path} ${l.status}`).slice(0, 10).join(", ")}`);
  const drRecords = terminal.messages.filter((x) => !x.duplicate && x.tradeContractId === "10002");
  check("scenario-ciof-dr-record-at-terminal", drRecords.some((x) => event !== undefined && x.contents.some((row) => row[0] === event.eventID)),
    `${terminal.messages.length} messages (${drRecords.length} on the DR contract 10002); final CIOF status ${JSON.stringify(trace.final?.ciof)}`);
  if (schemaAvailable) {
    const invalid = await vtn.validate();
    check("scenario-ven-requests-xsd-valid", invalid.length === 0 && vtn.exchanges.length > 0,
      `${invalid.length} of ${vtn.exchanges.length} invalid: ${invalid.slice(0, 3).map((x) => `${x.type}: ${x.validation?.errors.slice(0, 2).join(" / ")}`).join("; ")}`);
  } else {
    console.log("# OpenADR schema absent beside the project: XSD validation skipped");
  }
  check("scenario-no-firmware-errors", trace.errors.length === 0, trace.errors.slice(0, 5).join(" | "));
  return [passed, failed];
}

function memorySummary(label: string, mem: any[]): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  if (mem.length === 0) { console.log(`# memory (${label}): no figures`); return; }
  const max = (k: string) => Math.max(...mem.map((m) => Number(m[k] ?? 0)));
  // Live figures: the readings taken right after a collection (flag 1), during and after the scenario.
  const live = mem.filter((m) => m.label === "interval" || m.label === "end");
  const liveMax = (k: string) => live.length ? String(Math.max(...live.map((m) => Number(m[k] ?? 0)))) : "n/a";
  const first = mem[0];
  console.log(`# memory (${label}, XS on lin: ${first.slotBytes}-byte slots): peak chunks ${max("chunksPeak")} B, peak slots ${max("slotsPeak")}, ` +
    `stack peak ${max("stackPeak")} of ${first.stackSize} slots; live after GC: chunks ≤ ${liveMax("chunks")} B, slots ≤ ${liveMax("slots")}; ` +
    `reserved at most ${max("chunksReserved")} B chunks, ${max("slotsReserved")} slots; ${max("collections")} collections`);
}

async function main(): Promise<void> {
  const moddable = process.env.MODDABLE;
  if (!moddable) {
    console.log("test:mcsim: needs the Moddable SDK (set MODDABLE; see docs/device-build.md). Nothing was built or run.");
    process.exit(0);
  }
  if (process.platform !== "linux") {
    console.log("test:mcsim: the lin simulator runs on Linux only. Nothing was built or run.");
    process.exit(0);
  }
  const bin = path.join(moddable, "build/bin/lin/release");
  const mcsim = path.join(bin, "mcsim");
  const searchPath = [bin, path.join(repoRoot, "node_modules/.bin"), process.env.PATH ?? ""].join(path.delimiter);
  const missing = [["mcconfig", bin], ["mcsim", bin]].filter(([tool, dir]) => !existsSync(path.join(dir, tool))).map(([tool]) => tool);
  if (!which("tsc", searchPath)) missing.push("tsc (npm ci)");
  if (!process.env.DISPLAY && !which("xvfb-run", searchPath)) missing.push("xvfb-run (apt-get install xvfb xauth)");
  if (missing.length > 0) {
    console.log(`test:mcsim: MODDABLE=${moddable} but missing: ${missing.join(", ")}. Build the SDK tools with "cd $MODDABLE/build/makefiles/lin && make".`);
    finish(0, 1);
  }

  const out = takeOutputDirectory();
  process.on("exit", out.release);
  const prefsDir = path.join(out.dir, "prefs");
  const env: NodeJS.ProcessEnv = { ...process.env, MODDABLE: moddable, PATH: searchPath };
  const library = process.env.MCSIM_SKIP_BUILD === "1" ? path.join(out.dir, "bin/lin/mc/instrument/app/mc.so") : build(out.dir, "app", env);
  if (!library) {
    console.log("not ok build: mcconfig or make failed (a TypeScript error above fails the build)");
    finish(0, 1);
  }

  let passed = 0;
  let failed = 0;
  const run = async (label: string, lib: string, limitMs: number, trace: Trace, echo: boolean): Promise<{ result: RunResult; peers?: Peers }> => {
    rmSync(prefsDir, { recursive: true, force: true });
    mkdirSync(prefsDir, { recursive: true });
    const peers = runFor > 0 ? await startPeers(prefsDir) : undefined;
    console.log(`test:mcsim: running ${lib} (${label})`);
    try {
      const result = await runApp(mcsim, lib, env, limitMs, (line) => {
        readTrace(trace, line);
        if (echo) {
          console.log(line);
          if (line.startsWith("not ok ")) failed++;
          else if (line.startsWith("ok ")) passed++;
        } else if (/XS abort|^not ok |^# mcsim-done|^# mem /.test(line)) console.log(`  [${label}] ${line}`);
      });
      return { result, peers };
    } finally {
      if (peers && !echo) await peers.close();
    }
  };

  const trace = newTrace();
  const { result, peers } = await run("firmware heap for lin", library, timeoutMs, trace, true);
  if (result.timedOut) {
    console.log("not ok mcsim: timed out");
    failed++;
  } else if (!result.done) {
    console.log(`not ok mcsim: exited with status ${result.status} before the test app finished (${result.abort ?? "an \"XS abort\" line above is an uncaught exception"})`);
    failed++;
  } else if (result.status !== 0 && failed === 0) {
    console.log(`not ok mcsim: exit status ${result.status} with no failed case`);
    failed++;
  }
  if (peers) {
    const [p, f] = await scenarioChecks(peers, trace);
    passed += p;
    failed += f;
    await peers.close();
    memorySummary("lin creation: growing heap", trace.mem);
    for (const t of trace.tls) {
      console.log(`# tls memory, ${t.exchange} (HTTP ${t.status}): peak +${t.peakChunks} B chunks, +${t.peakSlots} slots; ` +
        `open (live) +${t.openChunks} B, +${t.openSlots} slots; after close +${t.closedChunks} B, +${t.closedSlots} slots (lin: 32-byte slots)`);
    }
  }

  if (deviceHeap && runFor > 0) {
    // Information only: the same app with the ESP32 board targets' fixed heap (host-sized slots and chunks).
    const deviceLibrary = build(out.dir, "app-device-heap", env, DEVICE_CREATION);
    if (!deviceLibrary) console.log("# device heap: build failed (information only)");
    else {
      const deviceTrace = newTrace();
      const device = await run("device heap", deviceLibrary, timeoutMs, deviceTrace, false);
      const at = device.result.abort ? `"${device.result.abort}" after ${deviceTrace.relays.length} relay writes, ${deviceTrace.mem.length} memory readings` : "";
      const outcome = device.result.abort ? `not enough memory: ${at}` : device.result.done && device.result.status === 0 ? "ran the scenario to its end, app cases passed" : `ended with status ${device.result.status}${device.result.timedOut ? " (timed out)" : ""}`;
      memorySummary("device heap: 78,848 B chunks, 4,928 slots, 512-slot stack, fixed", deviceTrace.mem);
      if (device.peers) {
        const regs = device.peers.vtn.received("oadrCreatePartyRegistration").length;
        const updates = device.peers.vtn.received("oadrUpdateReport").length;
        const created = device.peers.vtn.received("oadrCreatedEvent").length;
        console.log(`# device heap: VTN saw ${device.peers.vtn.exchanges.length} requests (${regs} registrations, ${created} oadrCreatedEvent, ${updates} oadrUpdateReport); terminal ${device.peers.terminal.log.length} requests`);
      }
      console.log(`# device heap (information, not counted): ${outcome}`);
    }
  }
  finish(passed, failed);
}

await main();
