// XS-side entry of the codec tests and tools: exposes the firmware's OpenADR decoder and encoders (and
// the ISO-8601 helpers) to Node through the host engine. Results are JSON values and Uint8Array.
import { expose } from "../../engine/xs/expose";
import { memory } from "../../engine/xs/runtime";
import { decodeOadr, OadrDecodeError, OadrDecoder, type OadrDecoderOptions } from "../../../modules/openadr/decode";
import { encodeSignedObject, encodeToBytes } from "../../../modules/openadr/encode";
import { dateTimeOrNaN, durationOrNaN, formatDateTime, formatDuration } from "../../../modules/openadr/iso8601";
import type { OadrDistributeEvent, OadrEvent, OadrMessage } from "../../../modules/openadr/types";
import { XmlReader } from "../../../modules/xml/reader";
import { venSamples, vtnSamples } from "./samples";

export interface DecodeError { reason: string; path: string; message: string }
export type DecodeOutcome =
  | { ok: true; message: Record<string, unknown>; signed: boolean; signatureElements?: number }
  | { ok: false; error: DecodeError };

function feed(decoder: OadrDecoder, bytes: Uint8Array, chunk: number): void {
  if (chunk <= 0 || chunk >= bytes.length) decoder.write(bytes);
  else for (let i = 0; i < bytes.length; i += chunk) decoder.write(bytes, i, Math.min(bytes.length, i + chunk));
}

function decodeWith(bytes: Uint8Array, chunk: number, options: OadrDecoderOptions): DecodeOutcome {
  const decoder = new OadrDecoder(options);
  try {
    feed(decoder, bytes, chunk);
    const message = decoder.end() as unknown as Record<string, unknown>;
    return { ok: true, message, signed: decoder.signed };
  } catch (error) {
    if (error instanceof OadrDecodeError) return { ok: false, error: { reason: error.reason, path: error.path, message: error.message } };
    throw error;
  }
}

const encoder = new TextEncoder();
let streaming: { decoder: OadrDecoder; events: number } | undefined;
const benchDecoders = new Map<string, OadrDecoder>(); // kept decoders, by options
/** Decoder options of the measurements: reader limits (a raised documentBytes) and intervalColumns. */
interface BenchOptions { limits?: { documentBytes?: number }; intervalColumns?: boolean }
let benchOnEvent: () => void = () => undefined;

expose({
  /** Decodes a whole document fed in chunks of `chunk` bytes (0: one write); events are collected. */
  decode(bytes: Uint8Array, chunk = 0): DecodeOutcome {
    return decodeWith(bytes, chunk, {});
  },

  /** Decodes with onEvent: returns the events in the order they were handed over, and the message. */
  decodeStreaming(bytes: Uint8Array, chunk = 0): DecodeOutcome & { events?: OadrEvent[]; headers?: unknown[] } {
    const events: OadrEvent[] = [];
    const headers: unknown[] = [];
    const outcome = decodeWith(bytes, chunk, {
      onEvent(event, message) {
        events.push(event);
        headers.push({ requestID: message.requestID, vtnID: message.vtnID, eventCount: message.eventCount });
      },
    });
    return { ...outcome, events, headers };
  },

  /** Decodes a signed document with a signature hook; counts the elements the hook received. */
  decodeSigned(bytes: Uint8Array): DecodeOutcome & { signatureNames?: string[]; rawBytes?: number } {
    const names: string[] = [];
    let depth = 0;
    let rawBytes = 0;
    const outcome = decodeWith(bytes, 0, {
      signature: {
        startElement(_ns, local) { if (depth++ < 2) names.push(local); },
        endElement() { depth--; },
      },
      raw(b) { rawBytes += b.length; },
    });
    return { ...outcome, signatureNames: names, rawBytes };
  },

  /** The whole payload of a message (as the VEN would send it). */
  encode(message: OadrMessage, bufferSize?: number): Uint8Array {
    return encodeToBytes(message, { bufferSize });
  },

  /** Only the signed object's bytes. */
  encodeSignedObject(message: OadrMessage): Uint8Array {
    const pieces: number[] = [];
    encodeSignedObject(message, (b) => { for (let i = 0; i < b.length; i++) pieces.push(b[i]); });
    return Uint8Array.from(pieces);
  },

  /** decode(encode(message)) entirely on XS. */
  roundTrip(message: OadrMessage): DecodeOutcome {
    return decodeWith(encodeToBytes(message), 0, {});
  },

  /** Every VEN → VTN sample message encoded: { type: bytes }. */
  venMessages(): Record<string, Uint8Array> {
    const out: Record<string, Uint8Array> = {};
    for (const [type, message] of Object.entries(venSamples())) out[type] = encodeToBytes(message as OadrMessage);
    return out;
  },

  /** The samples themselves (so Node compares against the very objects XS encoded). */
  samples(): { ven: Record<string, unknown>; vtn: Record<string, unknown> } {
    return { ven: venSamples(), vtn: vtnSamples() };
  },

  /** ISO-8601 on XS: NaN (invalid) travels as null. */
  parseDateTimes(texts: string[]): (number | null)[] {
    return texts.map((t) => { const v = dateTimeOrNaN(t); return v === v ? v : null; });
  },
  parseDurations(texts: string[]): (number | null)[] {
    return texts.map((t) => { const v = durationOrNaN(t); return v === v ? v : null; });
  },
  formatDateTimes(values: [number, number | null][]): string[] {
    return values.map(([ms, offset]) => formatDateTime(ms, offset ?? undefined));
  },
  formatDurations(values: number[]): string[] {
    return values.map((ms) => formatDuration(ms));
  },

  // ---------------------------------------------------------------- measurements

  /**
   * Full decode with onEvent dropping each event (what a VEN does): returns the event count. `fresh`:
   * build the decoder inside the measurement (else a decoder kept between calls, as a VEN keeps one).
   */
  /** Decodes with and without intervalColumns and checks every row against the interval objects. */
  columnsMatchObjects(bytes: Uint8Array): { signals: number; intervals: number } {
    const withObjects = decodeOadr(bytes) as OadrDistributeEvent;
    const withColumns = new OadrDecoder({ intervalColumns: true });
    withColumns.write(bytes);
    const columns = withColumns.end() as OadrDistributeEvent;
    let signals = 0;
    let intervals = 0;
    withObjects.events!.forEach((event, e) => event.eiEventSignals.forEach((signal, k) => {
      const c = columns.events![e]!.eiEventSignals[k]!.columns!;
      if (columns.events![e]!.eiEventSignals[k]!.intervals.length !== 0) throw new Error("intervals not empty");
      if (c.length !== signal.intervals.length) throw new Error(`length ${c.length} vs ${signal.intervals.length}`);
      signal.intervals.forEach((interval, i) => {
        const same = (a: number | undefined, b: number) => (a === undefined ? b !== b : a === b);
        if (!same(interval.duration, c.duration[i]!) || interval.signalPayload !== c.value[i] || !same(interval.dtstart, c.dtstart ? c.dtstart[i]! : NaN) ||
          (interval.uid ?? String(i)) !== (c.uid?.[i] ?? String(i))) throw new Error(`event ${e} signal ${k} interval ${i} differs`);
        intervals++;
      });
      signals++;
    }));
    return { signals, intervals };
  },

  benchDecode(bytes: Uint8Array, chunk: number, fresh = true, options: BenchOptions = {}): number {
    let count = 0;
    const onEvent = (): void => { count++; };
    const key = `${options.limits?.documentBytes ?? 0} ${options.intervalColumns === true}`;
    const decoder = (fresh ? undefined : benchDecoders.get(key)) ?? new OadrDecoder({ onEvent: () => benchOnEvent(), ...options });
    if (!fresh) benchDecoders.set(key, decoder);
    benchOnEvent = onEvent;
    for (let i = 0; i < bytes.length; i += chunk) decoder.write(bytes, i, Math.min(bytes.length, i + chunk));
    decoder.end();
    return count;
  },

  /**
   * Live heap while decoding (host slot size): idle is a decoder that has already decoded `bytes` once
   * (as a VEN's decoder between polls); then after each chunk and at each completed event (the event
   * still referenced) a collection runs and chunks + slots × 32 in use are sampled. Returns the largest
   * growth over idle and the event count.
   */
  benchDecodeLive(bytes: Uint8Array, chunk: number, options: BenchOptions = {}): { peakBytes: number; events: number; samples: number } {
    const g = globalThis as unknown as { gc(): void };
    let events = 0;
    let peak = 0;
    let samples = 0;
    let base = 0;
    const sample = (): void => {
      g.gc();
      const [chunks, slots] = memory(false);
      const used = chunks + slots * 32 - base;
      if (used > peak) peak = used;
      samples++;
    };
    let measuring = false;
    const decoder = new OadrDecoder({ onEvent() { if (measuring) { events++; sample(); } }, ...options });
    for (let i = 0; i < bytes.length; i += chunk) decoder.write(bytes, i, Math.min(bytes.length, i + chunk));
    decoder.end();
    measuring = true;
    g.gc();
    const [c0, s0] = memory(false);
    base = c0 + s0 * 32;
    for (let i = 0; i < bytes.length; i += chunk) {
      decoder.write(bytes, i, Math.min(bytes.length, i + chunk));
      sample();
    }
    decoder.end();
    sample();
    return { peakBytes: peak, events, samples };
  },

  /**
   * A document streamed from Node one chunk per call (as the network delivers it), so that only a chunk
   * is ever in XS memory: begin, write…, end → event count. Used with the fixed esp32 heap.
   */
  streamBegin(): number {
    const state = { decoder: undefined as unknown as OadrDecoder, events: 0 };
    state.decoder = new OadrDecoder({ onEvent() { state.events++; } });
    streaming = state;
    return 0;
  },
  streamWrite(chunk: Uint8Array): number {
    streaming!.decoder.write(chunk);
    return streaming!.events;
  },
  streamEnd(): { type: string; eventCount: number; events: number } {
    const message = streaming!.decoder.end() as { type: string; eventCount?: number };
    const events = streaming!.events;
    streaming = undefined;
    return { type: message.type, eventCount: message.eventCount ?? 0, events };
  },

  /** The XML reader alone with a do-nothing handler, same chunking. */
  benchReader(bytes: Uint8Array, chunk: number): number {
    let elements = 0;
    const reader = new XmlReader({ startElement() { elements++; }, endElement() { /* nothing */ } });
    for (let i = 0; i < bytes.length; i += chunk) reader.write(bytes, i, Math.min(bytes.length, i + chunk));
    reader.end();
    return elements;
  },

  /** The anchor: a loop visiting every byte, same chunking. */
  benchLoop(bytes: Uint8Array, chunk: number): number {
    let sum = 0;
    for (let i = 0; i < bytes.length; i += chunk) {
      const end = Math.min(bytes.length, i + chunk);
      for (let j = i; j < end; j++) sum += bytes[j];
    }
    return sum;
  },

  /** UTF-8 bytes of a string (for tests that build documents on the Node side and want XS's view). */
  utf8(text: string): Uint8Array {
    return encoder.encode(text);
  },
});
