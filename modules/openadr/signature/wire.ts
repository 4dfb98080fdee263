// The VEN's signature layer over its Wire: outgoing bodies signed (MessageSigner.wrap over what the encoder
// wrote), replies verified while they are decoded (SignatureVerifier tapped into the reply decoder) and
// refused — a WireError "signature" with the exact reason, so the poll loop logs it and the session never
// sees the payload — when the signature is invalid, or absent while validation is on (an empty body, the
// VTN's answer to an oadrResponse, carries nothing to sign). The rejected payload is kept for the session
// to answer with an error where the protocol has an answer (see rejectionAnswer).
// Leaves out: choosing what to sign (everything is), per-endpoint policies.
import type { SignatureCrypto } from "../../platform/crypto";
import type { Clock, Random } from "../../platform/types";
import type { Service } from "../poll";
import type { DecodedPayload, OadrEvent, VenMessage } from "../types";
import { WireError, type ReplyDecoder, type Wire } from "../wire";
import { normalizeFingerprint } from "./der";
import { MessageSigner } from "./sign";
import { SignatureVerifier, type VerifyResult } from "./verify";

export interface SignatureOptions {
  crypto: SignatureCrypto;
  /** Sign outgoing messages with this certificate and key (DER; the key unencrypted PKCS#8, RSA). */
  signing?: { certificate: Uint8Array; key: Uint8Array };
  /** Verify replies: refuse unsigned ones and those not signed by the certificate with `vtnFingerprint`. */
  validate?: boolean;
  /** The VTN signing certificate's fingerprint (required with validate). */
  vtnFingerprint?: string;
  clock: Clock;
  random: Random;
  /** ReplayProtect window, ms (default 5000 each way). */
  maxAgeMs?: number;
  maxFutureMs?: number;
}

/** A Wire that signs and verifies, and what it last refused. */
export interface SignedWire extends Wire {
  /** The payload of the last reply refused for its signature (once; undefined afterwards). */
  takeRejected(): { payload: DecodedPayload; reason: string } | undefined;
  /** Fingerprint of the VEN's signing certificate (what the VTN must pin). */
  readonly signerFingerprint?: string;
}

export function signatureWire(inner: Wire, options: SignatureOptions): SignedWire {
  const { crypto, clock } = options;
  if (!crypto || typeof crypto.sha256 !== "function") throw new TypeError("signatures: crypto is required");
  let fingerprint: string | undefined;
  if (options.validate) {
    fingerprint = options.vtnFingerprint === undefined ? undefined : normalizeFingerprint(options.vtnFingerprint);
    if (fingerprint === undefined) throw new RangeError("validateSignatures needs vtnFingerprint: 10 bytes of hex, e.g. 5D:3A:04:1E:FD:97:92:DB:2F:3B");
  }
  const signer = options.signing
    ? new MessageSigner({ crypto, certificate: options.signing.certificate, key: options.signing.key, now: () => clock.now(), random: options.random })
    : undefined;
  const verifier = options.validate
    ? new SignatureVerifier({ crypto, fingerprint, maxAgeMs: options.maxAgeMs, maxFutureMs: options.maxFutureMs })
    : undefined;
  const tap = verifier ? { signature: verifier.handler, raw: verifier.raw } : undefined;
  let rejected: { payload: DecodedPayload; reason: string } | undefined;

  function verdict(payload: DecodedPayload): string | undefined {
    if (payload.type === "empty") return undefined;
    if (!clock.valid) {
      verifier!.begin();
      return "clock not set: ReplayProtect cannot be checked";
    }
    const result: VerifyResult = verifier!.finish(clock.now());
    if (result.status === "valid") return undefined;
    return result.status === "absent" ? "unsigned message (signatures are required)" : result.reason;
  }

  return {
    signerFingerprint: signer?.fingerprint,
    encode(message: VenMessage): Uint8Array {
      const body = inner.encode(message);
      return signer ? signer.wrap(body) : body;
    },
    decoder(onEvent: (event: OadrEvent) => void): ReplyDecoder {
      rejected = undefined;
      if (!verifier) return inner.decoder(onEvent);
      verifier.begin();
      const decoder = inner.decoder(onEvent, tap);
      return {
        write: (chunk) => decoder.write(chunk),
        end() {
          const payload = decoder.end();
          const reason = verdict(payload);
          if (reason === undefined) return payload;
          rejected = { payload, reason };
          throw new WireError("signature", reason);
        },
      };
    },
    takeRejected() {
      const r = rejected;
      rejected = undefined;
      return r;
    },
  };
}

/** OpenADR's code for a message whose sender is not authenticated. */
export const SIGNATURE_RESPONSE_CODE = "463";

/**
 * The answer a VEN owes to a VTN request it refused for its signature, with the 463 error, and the
 * service it goes to; undefined when the protocol has none (replies to the VEN's own requests). The
 * payload is untrusted: only its type and requestID are used, to address the error.
 */
export function rejectionAnswer(payload: DecodedPayload, reason: string, venID: string): { service: Service; message: VenMessage } | undefined {
  const message = answerMessage(payload, reason, venID);
  if (message === undefined) return undefined;
  const service: Service = message.type === "oadrCreatedEvent" ? "EiEvent" : message.type === "oadrCanceledPartyRegistration" || message.type === "oadrResponse" ? "EiRegisterParty" : "EiReport";
  return { service, message };
}

function answerMessage(payload: DecodedPayload, reason: string, venID: string): VenMessage | undefined {
  const eiResponse = (requestID: string) => ({ responseCode: SIGNATURE_RESPONSE_CODE, responseDescription: `signature: ${reason}`.slice(0, 200), requestID });
  switch (payload.type) {
    case "oadrDistributeEvent":
      return { type: "oadrCreatedEvent", eiResponse: eiResponse(payload.requestID), eventResponses: [], venID };
    case "oadrCreateReport":
      return { type: "oadrCreatedReport", eiResponse: eiResponse(payload.requestID), oadrPendingReports: [], venID };
    case "oadrCancelReport":
      return { type: "oadrCanceledReport", eiResponse: eiResponse(payload.requestID), oadrPendingReports: [], venID };
    case "oadrRegisterReport":
      return { type: "oadrRegisteredReport", eiResponse: eiResponse(payload.requestID), oadrReportRequest: [], venID };
    case "oadrCancelPartyRegistration":
      return { type: "oadrCanceledPartyRegistration", eiResponse: eiResponse(payload.requestID), registrationID: payload.registrationID, venID };
    case "oadrRequestReregistration":
      return { type: "oadrResponse", eiResponse: eiResponse(""), venID };
    default:
      return undefined;
  }
}
