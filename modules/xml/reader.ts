// Streaming, namespace-aware XML reader over UTF-8 bytes (push parser for OpenADR payloads). Leaves out:
// DTDs and entity declarations (rejected), encodings other than UTF-8 (rejected), Unicode name classes
// beyond ASCII (non-ASCII name bytes are only checked to be UTF-8), xml:space and xml:lang handling.
// This file is the public face: options are checked here; the state machine is scanner.ts.

import { XmlError, type XmlErrorCode } from "./errors";
import { MAX_NAMES, type Utf8Decoder } from "./names";
import { Scanner } from "./scanner";

export { XmlError, type XmlErrorCode };

export interface XmlLimits {
  /** Bytes in the whole document. */
  documentBytes: number;
  /** Open elements at once. */
  depth: number;
  /** Bytes in a qualified name (prefix, colon and local part) or PI target. */
  nameBytes: number;
  /** Bytes of character data an element collects (UTF-8, after entity decoding). */
  textBytes: number;
  /** Bytes in one attribute value (after entity decoding). */
  attributeBytes: number;
  /** Attributes on one element, namespace declarations included. */
  attributes: number;
  /** Addition: entries in the name table at once — names, prefixes, qualified names and namespace URIs,
   *  pre-interned ones included; the arena holds 12 bytes per entry on average. Over it: "limit-names". */
  distinctNames?: number;
}

export const DEFAULT_LIMITS: Readonly<Required<XmlLimits>> = Object.freeze({
  documentBytes: 262144,
  depth: 32,
  nameBytes: 64,
  textBytes: 4096,
  attributeBytes: 1024,
  attributes: 16,
  distinctNames: 384,
});

export interface XmlAttribute {
  ns: string;
  local: string;
  value: string;
}

export interface XmlHandler {
  /** ns is the resolved namespace URI ("" if none); local is the local name. Strings for names and
      namespace URIs are interned (same string object for the same name) so handlers can compare with ===.
      Namespace declarations (xmlns, xmlns:p) are applied, not listed in `attributes`. */
  startElement(ns: string, local: string, attributes: readonly XmlAttribute[]): void;
  /** The element's complete character data (entities decoded, CDATA included, whitespace kept), delivered once
      just before endElement, only if the element had non-whitespace text or CDATA. Mixed content: the runs
      that are not whitespace-only, concatenated. */
  text?(value: string): void;
  endElement(ns: string, local: string): void;
  /** Raw-byte tap for the signature verifier: every byte of the document in order, as subarrays of the
      caller's chunks (valid during the call only), with the depth of those bytes: the number of elements
      whose extent, from the '<' of the start tag to the '>' of the end tag (or "/>"), contains them. A start
      tag's '<' that ends a chunk arrives alone in a one-byte array of its own. Zero cost when absent. */
  raw?(bytes: Uint8Array, depth: number): void;
}

export interface XmlReaderOptions {
  limits?: Partial<XmlLimits>;
  /** Known local names and namespace URIs to pre-intern: the reader hands out these very string objects. */
  names?: readonly string[];
}

type DecoderConstructor = new (label: string, options: { fatal: boolean; ignoreBOM: boolean }) => Utf8Decoder;

function checkLimit(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 0x3fffffff) {
    throw new RangeError(`limits.${name} must be a positive integer`);
  }
  return value;
}

export class XmlReader {
  readonly #scanner: Scanner;

  constructor(handler: XmlHandler, options: XmlReaderOptions = {}) {
    if (handler === null || typeof handler !== "object" || typeof handler.startElement !== "function" || typeof handler.endElement !== "function") {
      throw new TypeError("handler must have startElement and endElement methods");
    }
    const given = options.limits ?? {};
    const limits = { ...DEFAULT_LIMITS };
    for (const key of Object.keys(DEFAULT_LIMITS) as (keyof XmlLimits)[]) {
      if (given[key] !== undefined) limits[key] = checkLimit(key, given[key]);
    }
    if (limits.distinctNames > MAX_NAMES) throw new RangeError(`limits.distinctNames must be at most ${MAX_NAMES}`);
    const names = options.names ?? [];
    if (!Array.isArray(names) || names.some((n) => typeof n !== "string")) throw new TypeError("names must be an array of strings");
    const Decoder = (globalThis as { TextDecoder?: DecoderConstructor }).TextDecoder;
    if (typeof Decoder !== "function") throw new TypeError("TextDecoder is missing (on the device: include text/decoder and install it as a global)");
    this.#scanner = new Scanner(handler, limits, names, new Decoder("utf-8", { fatal: true, ignoreBOM: true }));
  }

  /** Open elements. */
  get depth(): number {
    return this.#scanner.depth;
  }

  /** Bytes consumed. */
  get position(): number {
    return this.#scanner.position;
  }

  /** Reads chunk[start..end). Throws XmlError (and keeps throwing it until reset()); a handler's exception
      propagates as it is and stops the reader likewise. */
  write(chunk: Uint8Array, start = 0, end = chunk.length): void {
    if (!(chunk instanceof Uint8Array)) throw new TypeError("chunk must be a Uint8Array");
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > chunk.length || start > end) {
      throw new RangeError("start and end must satisfy 0 <= start <= end <= chunk.length");
    }
    this.#scanner.write(chunk, start, end);
  }

  /** The document is complete: throws XmlError("truncated") if it is not. */
  end(): void {
    this.#scanner.end();
  }

  /** Ready for a new document; buffers are reused, names learnt from the last document are forgotten. */
  reset(): void {
    this.#scanner.reset();
  }
}
