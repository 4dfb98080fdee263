// `npm run test:mcsim`: builds the mcsim test app (host-tests/mcsim: the firmware's manifest with a
// test main.ts) with the Moddable SDK for `lin`, runs it in mcsim (under xvfb-run when there is no
// DISPLAY), echoes its trace and closes with "N passed, N failed". The app prints "ok <case>" /
// "not ok <case>: <why>" and "# mcsim-done <passed> <failed>", then ends mcsim with an exit status
// (hardware/sim/exit). Without MODDABLE it says the SDK is needed and exits 0, claiming nothing.
//
// Shared-machine rules it keeps: output outside the SDK (build/mcsim, git-ignored; a temporary
// directory when another run holds it), make -j2 under nice (mcconfig -m would run make --jobs 8),
// no debugger build (xsbug is never contacted), never `pkill`: it stops only the mcsim it started.
// Environment: MODDABLE (required), MCSIM_OUT (build directory), MCSIM_TIMEOUT_MS (default 180000),
// MCSIM_VERBOSE=1 (show every build line).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const appManifest = path.join(repoRoot, "host-tests/mcsim/manifest.json");
const timeoutMs = Number(process.env.MCSIM_TIMEOUT_MS ?? 180_000);
const verbose = process.env.MCSIM_VERBOSE === "1";

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
  const appDir = path.join(out.dir, "app");
  const prefsDir = path.join(out.dir, "prefs");
  mkdirSync(appDir, { recursive: true });
  rmSync(prefsDir, { recursive: true, force: true });
  mkdirSync(prefsDir, { recursive: true });
  // A wrapper manifest so that this run's Preference file (lin: config.file.root) is its own.
  const wrapper = JSON.stringify({ include: [appManifest], config: { file: { root: `${prefsDir}/` } } }, null, "\t") + "\n";
  const wrapperPath = path.join(appDir, "manifest.json");
  if (!existsSync(wrapperPath) || readFileSync(wrapperPath, "utf8") !== wrapper) writeFileSync(wrapperPath, wrapper);

  const env: NodeJS.ProcessEnv = { ...process.env, MODDABLE: moddable, PATH: searchPath };
  console.log(`test:mcsim: building ${path.relative(repoRoot, appManifest)} for lin in ${out.dir} (first build takes minutes: one tsc per module)`);
  const started = Date.now();
  if (step("mcconfig", ["-p", "lin", "-t", "build", "-o", out.dir, wrapperPath], appDir, env) !== 0) {
    console.log("not ok build: mcconfig failed");
    finish(0, 1);
  }
  const tmpDir = path.join(out.dir, "tmp/lin/mc/release/app");
  if (step("nice", ["-n", "10", "make", "-j2", "-f", path.join(tmpDir, "makefile"), "build"], tmpDir, env) !== 0) {
    console.log("not ok build: make failed (a TypeScript error above fails the build)");
    finish(0, 1);
  }
  const library = path.join(out.dir, "bin/lin/mc/release/app/mc.so");
  console.log(`test:mcsim: built in ${((Date.now() - started) / 1000).toFixed(0)} s; running ${library}`);

  // No D-Bus session for mcsim: a GTK application with a session bus hands its file to an mcsim
  // already running (a colleague's) and exits.
  const runEnv: NodeJS.ProcessEnv = { ...env };
  delete runEnv.DBUS_SESSION_BUS_ADDRESS;
  const command = process.env.DISPLAY ? ["stdbuf", "-oL", mcsim, library] : ["xvfb-run", "-a", "stdbuf", "-oL", mcsim, library];
  const child: ChildProcess = spawn(command[0], command.slice(1), { env: runEnv, stdio: ["ignore", "pipe", "pipe"] });

  let passed = 0;
  let failed = 0;
  let done = false;
  let rest = "";
  const onLine = (line: string): void => {
    console.log(line);
    if (line.startsWith("not ok ")) failed++;
    else if (line.startsWith("ok ")) passed++;
    else if (line.startsWith("# mcsim-done ")) done = true;
  };
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (data: string) => {
    rest += data;
    const lines = rest.split("\n");
    rest = lines.pop()!;
    for (const line of lines) onLine(line);
  });
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (data: string) => {
    for (const line of data.split("\n")) if (line.trim()) console.log(`[mcsim stderr] ${line}`);
  });

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    console.log(`test:mcsim: no result after ${timeoutMs} ms`);
    void stopRun(child);
  }, timeoutMs);
  // Ctrl-C: stop our mcsim too, not only this script.
  process.once("SIGINT", () => { timedOut = true; void stopRun(child); });

  const status = await new Promise<number>((resolve) => {
    child.on("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  clearTimeout(timer);
  if (rest) onLine(rest);
  if (timedOut) {
    console.log("not ok mcsim: timed out");
    failed++;
  } else if (!done) {
    console.log(`not ok mcsim: exited with status ${status} before the test app finished (an "XS abort" line above is an uncaught exception)`);
    failed++;
  } else if (status !== 0 && failed === 0) {
    console.log(`not ok mcsim: exit status ${status} with no failed case`);
    failed++;
  }
  finish(passed, failed);
}

await main();
