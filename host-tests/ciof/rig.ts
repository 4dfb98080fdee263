// Builds a controller against the emulator on Node (virtual time, in-memory store): the common setup
// of the Node tests. `reboot()` makes a new controller over the same store, as after a power cycle.
import { CiofController } from "../../modules/ciof/controller";
import type { CiofControllerOptions } from "../../modules/ciof/controller";
import { CiofTerminal } from "../peers/ciof-terminal.ts";
import type { TerminalOptions } from "../peers/ciof-terminal.ts";
import { DEVICE_ID, KEY, T0, deviceConfig, terminalContracts, terminalData, terminalServices } from "./site.ts";
import { EmulatorTransport, MemStore, VirtualTime, collectLog, seeded } from "./support.ts";
import { FakeDr, FakeHealth, FakeMeter } from "./fakes.ts";

export interface Rig {
  time: VirtualTime;
  store: MemStore;
  terminal: CiofTerminal;
  meter: FakeMeter;
  dr: FakeDr;
  health: FakeHealth;
  controller: CiofController;
  lines: ReturnType<typeof collectLog>["lines"];
  reboot(offMs?: number): CiofController;
}

export function makeRig(options: { terminal?: Partial<TerminalOptions>; controller?: Partial<CiofControllerOptions>; key?: string; seed?: number } = {}): Rig {
  const time = new VirtualTime(T0);
  const store = new MemStore();
  const terminal = new CiofTerminal({ authorizationKey: KEY, services: terminalServices(), data: terminalData(), contracts: terminalContracts(), now: () => time.now(), ...options.terminal });
  const meter = new FakeMeter(() => time.now());
  const dr = new FakeDr();
  const health = new FakeHealth();
  const { log, lines } = collectLog();
  const random = seeded(options.seed ?? 7);
  const make = () => new CiofController({
    transport: new EmulatorTransport(terminal, time, { alive: () => !store.dead }), authorizationKey: options.key ?? KEY,
    store, clock: time, scheduler: time, random, log, deviceId: DEVICE_ID, config: deviceConfig(),
    slots: meter, dr, health, ...options.controller,
  });
  const rig: Rig = {
    time, store, terminal, meter, dr, health, lines, controller: make(),
    reboot(offMs = 0) { time.powerCycle(offMs); store.revive(); rig.controller = make(); return rig.controller; },
  };
  return rig;
}
