// The Wire the VEN uses on the device and in the host tests: the OpenADR codec's encoders
// (encode.ts) and a streaming OadrDecoder (decode.ts) per reply, held only while the reply is read (so
// that the heap a TLS handshake needs is free between exchanges). Decoder errors become WireErrors:
// "limit" for the reader's and decoder's bounds (an oversized reply), "malformed" for the rest.
import { OadrDecodeError, OadrDecoder } from "./decode";
import { encodeToBytes } from "./encode";
import type { OadrEvent, VenMessage } from "./types";
import type { XmlLimits } from "../xml/reader";
import { WireError, type DecoderTap, type ReplyDecoder, type Wire } from "./wire";

export interface OadrWireOptions {
  /** Reader limits (e.g. documentBytes: the largest reply accepted). */
  limits?: Partial<XmlLimits>;
  /** Encoder buffer size. */
  bufferSize?: number;
}

function wireError(error: unknown): WireError {
  if (error instanceof WireError) return error;
  if (error instanceof OadrDecodeError) {
    const xmlCode = (error.cause as { code?: string } | undefined)?.code;
    const limit = error.reason === "limit" || (typeof xmlCode === "string" && xmlCode.startsWith("limit"));
    return new WireError(limit ? "limit" : "malformed", error.message, error);
  }
  const code = (error as { code?: unknown })?.code;
  if (typeof code === "string" && code.startsWith("limit")) return new WireError("limit", String((error as Error).message), error);
  return new WireError("malformed", error instanceof Error ? error.message : String(error), error);
}

export function createOadrWire(options: OadrWireOptions = {}): Wire {
  const encodeOptions = options.bufferSize ? { bufferSize: options.bufferSize } : {};
  const limits = options.limits;
  return {
    encode(message: VenMessage): Uint8Array {
      return encodeToBytes(message, encodeOptions);
    },
    decoder(onEvent: (event: OadrEvent) => void, tap?: DecoderTap): ReplyDecoder {
      // The OadrDecoder (its name table and stacks: ≈9 KB and ≈270 slots on the host engine) exists only
      // while a reply is being read: made at the reply's first bytes, dropped at its end or first error.
      // Between exchanges — when a TLS handshake needs its memory — the device does not hold it. Making
      // one costs ≈14,600 compute (XS meter), ≈15 % of decoding a short oadrResponse.
      let decoder: OadrDecoder | undefined;
      const make = () => new OadrDecoder(tap ? {
        onEvent, limits, intervalColumns: true,
        signature: tap.signature,
        raw: (bytes, depth) => tap.raw(bytes, depth),
      } : { onEvent, limits, intervalColumns: true });
      return {
        write(chunk: Uint8Array): void {
          try {
            (decoder ??= make()).write(chunk);
          } catch (error) {
            decoder = undefined;
            throw wireError(error);
          }
        },
        end() {
          try {
            return (decoder ?? make()).end();
          } catch (error) {
            throw wireError(error);
          } finally {
            decoder = undefined;
          }
        },
      };
    },
  };
}
