// Public surface of the CIOF controller for main.ts: construct one CiofController with the injected
// platform seams, the device configuration and the metering/VEN sources; start(); stop() on shutdown.
export { CiofController } from "./controller";
export type { CiofControllerOptions, CiofStatus, CiofState } from "./controller";
export { Outbox } from "./outbox";
export type { OutboxOptions, OutboxState, OutboxInput, MessageInput, RecordInput, LinkState } from "./outbox";
export { CiofHttp, CiofHttpError, CiofBodyError } from "./http";
export { checkDeviceConfig, checkStructure } from "./mapping";
export type * from "./types";
