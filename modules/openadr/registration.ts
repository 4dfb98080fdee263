// The VEN's registration: the persisted record (venID, registrationID, vtnID, poll frequency, and the
// VTN URL and VEN name it belongs to, so a changed configuration registers anew) and the registration
// messages. A record that does not read back — corrupt, another version, another VTN — means "not
// registered": the VEN registers again, which is always safe.
import type { OadrCanceledPartyRegistration, OadrCreatedPartyRegistration, OadrCreatePartyRegistration, OadrQueryRegistration, OadrResponse } from "./types";
import type { RecordStore } from "./persist";

export const REGISTRATION_KEY = "oaReg";
const REGISTRATION_VERSION = 1;

export interface Registration {
  venID: string;
  registrationID: string;
  vtnID: string;
  /** oadrRequestedOadrPollFreq, ms (0 when the VTN gave none). */
  pollFreq: number;
  vtnURL: string;
  venName: string;
}

function isRegistration(d: unknown): d is Registration {
  const r = d as Registration;
  return typeof r === "object" && r !== null && typeof r.venID === "string" && r.venID !== "" && typeof r.registrationID === "string" &&
    r.registrationID !== "" && typeof r.vtnID === "string" && typeof r.pollFreq === "number" && typeof r.vtnURL === "string" && typeof r.venName === "string";
}

export function loadRegistration(records: RecordStore, vtnURL: string, venName: string): Registration | undefined {
  const r = records.read(REGISTRATION_KEY, REGISTRATION_VERSION, isRegistration);
  if (!r) return undefined;
  if (r.vtnURL !== vtnURL || r.venName !== venName) return undefined;
  return r;
}

export function saveRegistration(records: RecordStore, registration: Registration): void {
  records.write(REGISTRATION_KEY, REGISTRATION_VERSION, registration);
}

export function clearRegistration(records: RecordStore): void {
  records.delete(REGISTRATION_KEY);
}

export function queryRegistration(requestID: string): OadrQueryRegistration {
  return { type: "oadrQueryRegistration", requestID };
}

export function createPartyRegistration(requestID: string, venName: string, previous: { venID: string; registrationID: string } | undefined): OadrCreatePartyRegistration {
  const m: OadrCreatePartyRegistration = {
    type: "oadrCreatePartyRegistration",
    requestID,
    oadrProfileName: "2.0b",
    oadrTransportName: "simpleHttp",
    oadrReportOnly: false,
    oadrXmlSignature: false,
    oadrVenName: venName,
    oadrHttpPullModel: true,
  };
  if (previous) {
    m.registrationID = previous.registrationID;
    m.venID = previous.venID;
  }
  return m;
}

/** The record to keep from a successful oadrCreatedPartyRegistration, or the reason it is unusable. */
export function registrationFrom(reply: OadrCreatedPartyRegistration, vtnURL: string, venName: string): Registration | string {
  if (reply.eiResponse.responseCode !== "200") return `registration refused: ${reply.eiResponse.responseCode} ${reply.eiResponse.responseDescription ?? ""}`.trim();
  if (!reply.venID || !reply.registrationID) return "registration reply without venID or registrationID";
  if (reply.oadrProfiles.length > 0 && !reply.oadrProfiles.some((p) => p.oadrProfileName === "2.0b" && (p.oadrTransports.length === 0 || p.oadrTransports.includes("simpleHttp")))) {
    return "VTN offers no 2.0b simpleHttp profile";
  }
  return { venID: reply.venID, registrationID: reply.registrationID, vtnID: reply.vtnID, pollFreq: reply.oadrRequestedOadrPollFreq ?? 0, vtnURL, venName };
}

export function canceledPartyRegistration(requestID: string, registration: Registration, code = "200"): OadrCanceledPartyRegistration {
  return {
    type: "oadrCanceledPartyRegistration",
    eiResponse: { responseCode: code, responseDescription: code === "200" ? "OK" : "Invalid ID", requestID },
    registrationID: registration.registrationID,
    venID: registration.venID,
  };
}

export function response(requestID: string, venID: string | undefined, code = "200", description = "OK"): OadrResponse {
  const m: OadrResponse = { type: "oadrResponse", eiResponse: { responseCode: code, responseDescription: description, requestID } };
  if (venID) m.venID = venID;
  return m;
}
