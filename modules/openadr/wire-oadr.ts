// The Wire the VEN uses on the device and in the host tests: the OpenADR codec's encoders
// (encode.ts) and one streaming OadrDecoder (decode.ts), reused from reply to reply (its scratch state
// is allocated once). Decoder errors become WireErrors: "limit" for the reader's and decoder's bounds
// (an oversized reply), "malformed" for the rest.
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
  let sink: (event: OadrEvent) => void = () => undefined;
  // Made on first use: a plain decoder, and one for replies a signature verifier taps (OadrDecoder takes its
  // taps at construction; this one forwards to the tap of the reply in progress). A VEN uses one of them.
  let plain: OadrDecoder | undefined;
  let tapped: OadrDecoder | undefined;
  let current: DecoderTap | undefined;
  const encodeOptions = options.bufferSize ? { bufferSize: options.bufferSize } : {};
  return {
    encode(message: VenMessage): Uint8Array {
      return encodeToBytes(message, encodeOptions);
    },
    decoder(onEvent: (event: OadrEvent) => void, tap?: DecoderTap): ReplyDecoder {
      current = tap;
      if (tap && !tapped) {
        tapped = new OadrDecoder({
          onEvent: (event) => sink(event),
          limits: options.limits,
          intervalColumns: true,
          signature: {
            startElement: (ns, local, attributes) => current!.signature.startElement(ns, local, attributes),
            text: (value) => current!.signature.text?.(value),
            endElement: (ns, local) => current!.signature.endElement(ns, local),
          },
          raw: (bytes, depth) => current!.raw(bytes, depth),
        });
      }
      if (!tap && !plain) plain = new OadrDecoder({ onEvent: (event) => sink(event), limits: options.limits, intervalColumns: true });
      const decoder = tap ? tapped! : plain!;
      decoder.reset();
      sink = onEvent;
      return {
        write(chunk: Uint8Array): void {
          try {
            decoder.write(chunk);
          } catch (error) {
            decoder.reset();
            throw wireError(error);
          }
        },
        end() {
          try {
            return decoder.end();
          } catch (error) {
            decoder.reset();
            throw wireError(error);
          }
        },
      };
    },
  };
}
