// Node side of the field-I/O tests: runs an XS-side scenario module in the XS host engine (the run that
// counts). FIELD_IO_ON_NODE=1 runs the same module on Node instead, for a quick edit-test loop.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { XsHost, type XsHostOptions, type XsMeter } from "../engine/index.ts";
import { repoRoot } from "../support/shared.ts";

export const onNode = process.env.FIELD_IO_ON_NODE === "1";

export interface Runner {
  call<T = any>(name: string, ...args: unknown[]): Promise<T>; // eslint-disable-line @typescript-eslint/no-explicit-any
  callMetered<T = any>(name: string, ...args: unknown[]): Promise<{ result: T; meter: XsMeter }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly xs: XsHost | undefined;
  close(): Promise<void>;
}

/** Starts `entry` (repo-relative XS entry whose sibling scenarios.ts exports `functions`). */
export async function start(entry: string, options: Partial<XsHostOptions> = {}): Promise<Runner> {
  if (onNode) {
    const scenarios = path.join(repoRoot, path.dirname(entry), "scenarios.ts");
    const { functions } = await import(pathToFileURL(scenarios).href);
    const call = async (name: string, ...args: unknown[]) => functions[name](...structuredClone(args));
    return {
      xs: undefined,
      call,
      async callMetered(name: string, ...args: unknown[]) {
        const t0 = performance.now();
        const result = await call(name, ...args);
        const wallMs = performance.now() - t0;
        return { result, meter: { compute: 0, allocate: 0, currentHeapCount: 0, peakChunks: 0, peakSlots: 0, peakStack: 0, peakStackDevice: 0, chunksInUse: 0, slotsInUse: 0, peakBytes: 0, wallMs } };
      },
      async close() { /* nothing */ },
    };
  }
  const xs = await XsHost.start({ entry, ...options });
  return {
    xs,
    call: (name, ...args) => xs.call(name, ...args),
    callMetered: (name, ...args) => xs.callMetered(name, ...args),
    close: () => xs.close(),
  };
}

/** Runs one scenario function in a fresh engine and closes it. */
export async function run<T = any>(entry: string, name: string, ...args: unknown[]): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const runner = await start(entry);
  try {
    return await runner.call<T>(name, ...args);
  } finally {
    await runner.close();
  }
}
