// The seam between the VEN session and the OpenADR codec: how a VEN→VTN message becomes bytes and how a
// reply body, fed chunk by chunk, becomes a typed payload (events of an oadrDistributeEvent handed over
// one by one). The signing seam lives here too: `wrap` may transform outgoing bodies (XML signature)
// and `verify` may reject incoming ones. Leaves out: the codec itself (encode.ts, decode.ts).
import type { XmlHandler } from "../xml/reader";
import type { DecodedPayload, OadrEvent, VenMessage } from "./types";

export interface ReplyDecoder {
  /** Feeds the next piece of the body (valid only during the call). Throws WireError on bad input or a limit. */
  write(chunk: Uint8Array): void;
  /** The body is complete: the payload, or a thrown WireError. */
  end(): DecodedPayload;
}

/** What a signature verifier taps from the reply decoder (OadrDecoderOptions.signature and .raw). */
export interface DecoderTap {
  signature: XmlHandler;
  raw(bytes: Uint8Array, depth: number): void;
}

export interface Wire {
  encode(message: VenMessage): Uint8Array;
  /**
   * A fresh decoder for one reply; `onEvent` receives each oadrEvent of an oadrDistributeEvent as it completes.
   * `tap` (XML signatures, signature/wire.ts) sees the ds:Signature subtree and every byte as it is decoded.
   */
  decoder(onEvent: (event: OadrEvent) => void, tap?: DecoderTap): ReplyDecoder;
}

/** Optional message hooks (XML signatures later). */
export interface MessageHooks {
  /** Transforms an encoded outgoing body (e.g. signs it). */
  wrap?(body: Uint8Array, message: VenMessage): Uint8Array;
  /** Checks a decoded incoming payload; a returned string is a rejection reason. */
  verify?(payload: DecodedPayload): string | undefined;
}

export type WireErrorCode = "malformed" | "limit" | "schema" | "signature" | "empty";

export class WireError extends Error {
  // A field, not an assignment: on the device Error.prototype is frozen after preload,
  // so `this.name = …` throws "set name: not writable".
  override readonly name = "WireError";
  readonly code: WireErrorCode;
  override readonly cause?: unknown;
  constructor(code: WireErrorCode, message: string, cause?: unknown) {
    super(message);
    this.code = code;
    this.cause = cause;
  }
}
