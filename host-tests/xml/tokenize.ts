// XS-side (and Node-side) helpers for the XML reader tests: run a document through XmlReader in chunks and
// record the events as plain JSON values. No Node APIs: bundled into the XS entry.
import { XmlError, XmlReader, type XmlAttribute, type XmlHandler, type XmlLimits } from "../../modules/xml/reader";

/** ["start", ns, local, [[ns, local, value], …]] | ["text", value] | ["end", ns, local] */
export type XmlEvent = ["start", string, string, [string, string, string][]] | ["text", string] | ["end", string, string];
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
  /** Also record the raw tap as ["raw", depth, byteCount] events merged by depth run. */
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
  const rawDepths: number[] = [];
  const handler: XmlHandler = options.raw
    ? Object.assign(recorder, {
        raw(chunk: Uint8Array, depth: number) {
          for (let k = 0; k < chunk.length; k++) rawDepths.push(depth, chunk[k]);
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
  const result: TokenizeResult & { raw?: number[] } = { events: recorder.events, error };
  if (options.raw) result.raw = rawDepths;
  return result;
}

/** A compact fingerprint of a result, for comparing many runs inside XS. */
export function fingerprint(r: TokenizeResult): string {
  return JSON.stringify(r);
}
