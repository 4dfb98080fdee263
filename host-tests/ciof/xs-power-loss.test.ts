// On XS (the run that counts): power loss at 100 random points during outbox writes and flushes,
// injected by the engine's NVS model (torn: old value kept; erased: Moddable's erase-then-write cut
// in between; powerloss-after: written, then off). After each cut the worker is restarted on the
// same store; in the end every slot and the DR event reach the terminal exactly once after dedupe by
// message id, in order, and the outbox never reports damage.
import test from "ava";
import { XsError } from "../engine/index.ts";
import { makeXsRig } from "./xs-rig.ts";
import type { XsRig } from "./xs-rig.ts";
import { CiofTerminal } from "../peers/ciof-terminal.ts";
import { KEY, terminalContracts, terminalData, terminalServices } from "./site.ts";
import { seeded } from "./support.ts";

const HOURS = 7;
const STEP = 60_000;
const MODES = ["torn", "erased", "powerloss-after"] as const;

interface Run { terminal: CiofTerminal; t0: number; reboots: number; writes: number }

async function run(rig: XsRig, cut?: { at: number; mode: (typeof MODES)[number] }): Promise<Run> {
  const { xs } = rig;
  const terminal = new CiofTerminal({ authorizationKey: KEY, services: terminalServices(), data: terminalData(), contracts: terminalContracts(), now: () => xs.now });
  const { port } = await terminal.listen();
  await xs.restart();
  await xs.call("wipe");
  const t0 = Math.ceil(xs.now / 1800_000) * 1800_000;
  await xs.advance(t0 - xs.now);
  const drStart = t0 + 3 * 3600_000;
  const writes0 = xs.preferences.writes;
  let reboots = 0;
  const boot = async () => {
    const h = (xs.now - t0) / 3600_000;
    await xs.call("boot", { port, pollingRate: 300, firstSlot: t0, drStarts: h >= 4 ? [drStart] : [] });
  };
  const guard = async (f: () => Promise<unknown>) => {
    try { await f(); } catch (e) {
      if (!(e instanceof XsError) || e.code !== "powerloss") throw e;
      reboots++;
      await xs.restart();
      await boot();
    }
  };
  if (cut) xs.preferences.failWrite(cut.at, cut.mode);
  await guard(boot);
  let drAdded = false;
  try {
    while (xs.now - t0 < HOURS * 3600_000) {
      const h = (xs.now - t0) / 3600_000;
      terminal.down = h >= 3 && h < 5 ? 503 : null;
      if (!drAdded && h >= 4) { drAdded = true; await guard(() => xs.call("addDr", drStart)); }
      if (h >= 5.5 && h < 5.52) terminal.inject("lose-reply", 1, (r) => r.method === "POST");
      await guard(() => xs.advance(STEP));
    }
    terminal.down = null;
    for (let waited = 0; ; waited += 10_000) {
      await guard(() => xs.advance(10_000));
      const st = await xs.call("status");
      if (waited >= 660_000 && st.outbox.queued === 0 && st.outbox.link === "idle") break;
      if (waited > 4 * 3600_000) throw new Error("not drained: " + JSON.stringify(st));
    }
  } finally {
    xs.preferences.clearFaults();
    await terminal.close();
  }
  return { terminal, t0, reboots, writes: xs.preferences.writes - writes0 };
}

async function verify(t: import("ava").ExecutionContext, rig: XsRig, r: Run, label: string): Promise<void> {
  const unique = r.terminal.uniqueMessages;
  const rows = unique.filter((m) => m.tradeContractId === "10001").flatMap((m) => m.contents.map((x) => x[0]));
  const expected: string[] = [];
  for (let s = r.t0; s + 1800_000 <= r.t0 + HOURS * 3600_000; s += 1800_000) expected.push(new Date(s + 9 * 3600_000).toISOString().replace("Z", "+09:00"));
  t.deepEqual(rows, expected, label + ": every slot exactly once, in order");
  t.is(unique.filter((m) => m.tradeContractId === "10002").length, 1, label + ": DR record once");
  for (const m of unique) t.is(r.terminal.records.filter((x) => !x.duplicate && x.body.data_id === m.id).length, 1, label + ": record of " + m.id);
  const st = await rig.xs.call("status");
  t.is(st.outbox.corrupt, 0, label + ": never corrupt");
  t.is(st.outbox.lost, 0, label);
  t.is(st.outbox.deadLetters, 0, label);
}

// 100 cut points in four serial batches (one shared XS host; each batch finishes well within ava's
// inactivity timeout). The cut points come from one seeded sequence over the clean run's writes.
const shared: { rig?: XsRig; clean?: Run; cuts: { at: number; mode: (typeof MODES)[number] }[]; reboots: number; duplicates: number } = { cuts: [], reboots: 0, duplicates: 0 };

test.before(async () => {
  shared.rig = await makeXsRig();
  shared.clean = await run(shared.rig);
  const rand = seeded(4242);
  for (let i = 0; i < 100; i++) shared.cuts.push({ at: 1 + Math.floor(rand() * shared.clean.writes), mode: MODES[Math.floor(rand() * MODES.length)] });
});
test.after.always(async () => { await shared.rig?.close(); });

test.serial("XS: the clean run delivers everything (baseline for the cuts)", async (t) => {
  await verify(t, shared.rig!, shared.clean!, "no cut");
  t.true(shared.clean!.writes > 40, "writes: " + shared.clean!.writes);
});

for (let batch = 0; batch < 4; batch++) {
  test.serial(`XS: power loss at random points ${batch * 25}–${batch * 25 + 24} of 100`, async (t) => {
    const rig = shared.rig!, clean = shared.clean!;
    for (let i = batch * 25; i < batch * 25 + 25; i++) {
      const cut = shared.cuts[i];
      const r = await run(rig, cut);
      shared.reboots += r.reboots;
      t.is(r.reboots, 1, `cut ${i}: power lost once`);
      await verify(t, rig, r, `cut ${i} at write ${cut.at}/${clean.writes} (${cut.mode})`);
      shared.duplicates += r.terminal.messages.length - r.terminal.uniqueMessages.length;
    }
    if (batch === 3) {
      const modes: Record<string, number> = {};
      for (const c of shared.cuts) modes[c.mode] = (modes[c.mode] ?? 0) + 1;
      t.is(shared.reboots, 100);
      t.log(`100 cuts over ${clean.writes} writes (${JSON.stringify(modes)}); ${shared.duplicates} duplicate deliveries in all (lost replies and cuts between a send and its commit), all recognised by id`);
    }
  });
}
