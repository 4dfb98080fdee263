// Node side of the XS runs: the emulator on 127.0.0.1, an XsHost running xs-ciof.ts, and helpers.
import { XsHost } from "../engine/index.ts";
import { CiofTerminal } from "../peers/ciof-terminal.ts";
import type { TerminalOptions } from "../peers/ciof-terminal.ts";
import { KEY, T0, terminalContracts, terminalData, terminalServices } from "./site.ts";

export interface XsRig { xs: XsHost; terminal: CiofTerminal; port: number; boot(extra?: Record<string, unknown>): Promise<void>; close(): Promise<void> }

export async function makeXsRig(options: { terminal?: Partial<TerminalOptions>; boot?: Record<string, unknown>; heap?: "host" | "esp32"; stack?: number } = {}): Promise<XsRig> {
  let xsRef: XsHost | undefined;
  const terminal = new CiofTerminal({ authorizationKey: KEY, services: terminalServices(), data: terminalData(), contracts: terminalContracts(), now: () => xsRef?.now ?? T0, ...options.terminal });
  const { port } = await terminal.listen();
  let xs: XsHost;
  try {
    xs = await XsHost.start({ entry: "host-tests/ciof/xs-ciof.ts", heap: options.heap ?? "host", stack: options.stack, clock: { start: T0 } });
  } catch (e) {
    await terminal.close();
    throw e;
  }
  xsRef = xs;
  const rig: XsRig = {
    xs, terminal, port,
    async boot(extra = {}) { await xs.call("boot", { port, ...options.boot, ...extra }); },
    async close() { await xs.close(); await terminal.close(); },
  };
  return rig;
}
