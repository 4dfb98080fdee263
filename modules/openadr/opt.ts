// EiOpt for local overrides (the OverrideSink control calls when the user presses the override
// button): an opt-out window [now, until) that turns every overlapping event to optOut locally and is
// told to the VTN as oadrCreateOpt — one availability schedule, plus one per event already known — and
// withdrawn with oadrCancelOpt when cancelled early or when it ends while an event still runs. The
// window is persisted, so an override survives a reboot. Leaves out: opt-in schedules, device classes.
import type { OptReason } from "./enums";
import type { EventRecord } from "./events";
import type { RecordStore } from "./persist";
import type { OadrCancelOpt, OadrCreateOpt } from "./types";

export const OVERRIDE_KEY = "oaOpt";
const OVERRIDE_VERSION = 1;

export interface OverrideRecord {
  from: number;
  until: number;
  reason: OptReason;
  /** optIDs sent to the VTN, with the event each one names (none for the availability schedule). */
  opts: Array<{ optID: string; eventID?: string }>;
}

function isOverride(d: unknown): d is OverrideRecord {
  const o = d as OverrideRecord;
  return typeof o === "object" && o !== null && typeof o.from === "number" && typeof o.until === "number" && typeof o.reason === "string" && Array.isArray(o.opts);
}

export function loadOverride(records: RecordStore): OverrideRecord | undefined {
  return records.read(OVERRIDE_KEY, OVERRIDE_VERSION, isOverride);
}

export function saveOverride(records: RecordStore, record: OverrideRecord | undefined): void {
  if (record) records.write(OVERRIDE_KEY, OVERRIDE_VERSION, record);
  else records.delete(OVERRIDE_KEY);
}

export interface OptContext {
  venID: string;
  now: number;
  newID: () => string;
}

/** The availability-schedule opt-out for the whole VEN. */
export function scheduleOptOut(c: OptContext, record: OverrideRecord): OadrCreateOpt {
  const optID = c.newID();
  record.opts.push({ optID });
  return {
    type: "oadrCreateOpt",
    optID,
    optType: "optOut",
    optReason: record.reason,
    venID: c.venID,
    vavailability: [{ dtstart: record.from, duration: Math.max(0, record.until - record.from) }],
    createdDateTime: c.now,
    requestID: c.newID(),
    eiTarget: { venID: [c.venID] },
  };
}

/** An event-specific opt-out (qualifiedEventID) for an event the override overlaps. */
export function eventOptOut(c: OptContext, record: OverrideRecord, event: EventRecord): OadrCreateOpt {
  const optID = c.newID();
  record.opts.push({ optID, eventID: event.eventID });
  return {
    type: "oadrCreateOpt",
    optID,
    optType: "optOut",
    optReason: record.reason,
    marketContext: event.marketContext,
    venID: c.venID,
    createdDateTime: c.now,
    requestID: c.newID(),
    qualifiedEventID: { eventID: event.eventID, modificationNumber: event.modificationNumber },
    eiTarget: { venID: [c.venID] },
  };
}

export function cancelOpt(c: OptContext, optID: string): OadrCancelOpt {
  return { type: "oadrCancelOpt", requestID: c.newID(), optID, venID: c.venID };
}
