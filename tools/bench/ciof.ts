// Bench section "ciof": what one queued record costs the device — bytes of NVS storage and XS compute
// to format and queue it — on the XS host engine, through the firmware's own Outbox over Moddable's
// Preference (the engine's NVS model). Two cases: the normal path (one message per 30-minute slot,
// with its service-record template) and an outage (slots coalesced into the waiting message).
// Runs under tools/bench.ts, or alone: `npx tsx tools/bench/ciof.ts`.
import { pathToFileURL } from "node:url";
import { XsHost, type XsHostOptions } from "../../host-tests/engine/index.ts";

interface Ctx { repetitions?: number; startXs?: (o: XsHostOptions) => Promise<XsHost>; log?: (line: string) => void }

const entry = "host-tests/ciof/xs-ciof.ts";

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
const r1 = (v: number) => Math.round(v * 10) / 10;

export async function run(ctx: Ctx = {}): Promise<Record<string, number>> {
  const reps = ctx.repetitions ?? 5;
  const own = !ctx.startXs;
  const xs = ctx.startXs ? await ctx.startXs({ entry }) : await XsHost.start({ entry });
  try {
    const measure = async (n: number, coalesce: boolean) => {
      const compute: number[] = [], wall: number[] = [];
      let storage = { bytes: 0, nvs: 0, keys: 0, queued: 0 };
      for (let i = 0; i < reps; i++) {
        await xs.call("benchSetup");
        const { result, meter } = await xs.callMetered("benchEnqueue", n, coalesce);
        if (result.lost) throw new Error("the bench overflowed the outbox");
        compute.push(meter.compute / n);
        wall.push(meter.wallMs / n);
        storage = await xs.call("benchStorage");
      }
      return { compute: median(compute), wall: median(wall), storage };
    };
    // normal path: 12 slots (6 hours) one message each — what the default ring (4 × 1,536 B) holds
    const single = await measure(12, false);
    // outage: a day of slots coalescing into waiting messages
    const day = await measure(48, true);
    const out = {
      "ciof.storage_bytes_per_record": r1(single.storage.bytes / single.storage.queued),
      "ciof.nvs_bytes_per_record": r1(single.storage.nvs / single.storage.queued),
      "ciof.compute_per_record": Math.round(single.compute),
      "ciof.wall_ms_per_record": Math.round(single.wall * 100) / 100,
      "ciof.coalesced.storage_bytes_per_slot": r1(day.storage.bytes / 48),
      "ciof.coalesced.nvs_bytes_per_slot": r1(day.storage.nvs / 48),
      "ciof.coalesced.compute_per_slot": Math.round(day.compute),
      "ciof.coalesced.messages_per_day": day.storage.queued,
    };
    ctx.log?.(`single: ${JSON.stringify(single.storage)}; day: ${JSON.stringify(day.storage)}`);
    return out;
  } finally {
    if (own) await xs.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  run({ log: (l) => process.stderr.write(l + "\n") }).then((r) => {
    for (const [k, v] of Object.entries(r)) process.stdout.write(`${k.padEnd(40)} ${v}\n`);
  }, (e) => { process.stderr.write(String(e?.stack ?? e) + "\n"); process.exitCode = 1; });
}
