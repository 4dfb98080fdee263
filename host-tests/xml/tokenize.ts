// XS-side (and Node-side) helpers for the XML reader tests: run a document through XmlReader in chunks and
// record the events as plain JSON values. No Node APIs: bundled into the XS entry.
import { XmlError, XmlReader, type XmlAttribute, type XmlHandler, type XmlLimits } from "../../modules/xml/reader";

/** ["start", ns, local, [[ns, local, value], …]] | ["text", value] | ["end", ns, local], and with the raw
    tap on, ["raw", depth, bytes] for each piece it delivers, in order with the others. */
export type XmlEvent =
  | ["start", string, string, [string, string, string][]]
  | ["text", string]
  | ["end", string, string]
  | ["raw", number, number[]];
export interface XmlFailure {
  code: string;
  offset: number;
  message: string;
  /** false when something other than an XmlError was thrown (a bug). */
  typed: boolean;
}
export interface TokenizeResult {
  events: XmlEvent[];
  error: XmlFailure | null;
}
export interface TokenizeOptions {
  limits?: Partial<XmlLimits>;
  names?: string[];
  /** Also record the raw tap's pieces as events. */
  raw?: boolean;
}

class Recorder implements XmlHandler {
  events: XmlEvent[] = [];
  startElement(ns: string, local: string, attributes: readonly XmlAttribute[]): void {
    this.events.push(["start", ns, local, attributes.map((a) => [a.ns, a.local, a.value])]);
  }
  text(value: string): void {
    this.events.push(["text", value]);
  }
  endElement(ns: string, local: string): void {
    this.events.push(["end", ns, local]);
  }
}

export function failure(e: unknown): XmlFailure {
  if (e instanceof XmlError) return { code: e.code, offset: e.offset, message: e.message, typed: true };
  return { code: "untyped", offset: -1, message: String(e instanceof Error ? `${e.name}: ${e.message}` : e), typed: false };
}

/** Feeds `bytes` in chunks of `chunkSize` (or at the given split points) and returns events and error. */
export function tokenize(bytes: Uint8Array, chunkSize: number | number[], given?: TokenizeOptions | null): TokenizeResult {
  const options = given ?? {}; // null when it crossed the bridge as undefined
  const recorder = new Recorder();
  const handler: XmlHandler = options.raw
    ? Object.assign(recorder, {
        raw(this: Recorder, piece: Uint8Array, depth: number) {
          this.events.push(["raw", depth, Array.from(piece)]);
        },
      })
    : recorder;
  let error: XmlFailure | null = null;
  try {
    const reader = new XmlReader(handler, { limits: options.limits, names: options.names });
    const cuts = Array.isArray(chunkSize) ? chunkSize : [];
    if (!Array.isArray(chunkSize)) for (let p = chunkSize; p < bytes.length; p += chunkSize) cuts.push(p);
    let from = 0;
    for (const cut of [...cuts, bytes.length]) {
      reader.write(bytes, from, cut);
      from = cut;
    }
    reader.end();
  } catch (e) {
    error = failure(e);
  }
  return { events: recorder.events, error };
}

/** A compact fingerprint of a result, for comparing many runs inside XS. */
export function fingerprint(r: TokenizeResult): string {
  return JSON.stringify(r);
}
