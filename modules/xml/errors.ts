// The XML reader's typed error: a code from a closed list and the byte offset in the document.

export type XmlErrorCode =
  | "syntax"
  | "limit-document"
  | "limit-depth"
  | "limit-name"
  | "limit-text"
  | "limit-attribute"
  | "limit-attributes"
  | "limit-names"
  | "doctype"
  | "namespace"
  | "encoding"
  | "truncated";

export class XmlError extends Error {
  // A field, not an assignment: on the device Error.prototype is frozen after preload,
  // so `this.name = …` throws "set name: not writable".
  override readonly name = "XmlError";
  readonly code: XmlErrorCode;
  /** Byte position in the document (0-based) where the problem was detected. */
  readonly offset: number;
  constructor(code: XmlErrorCode, offset: number, message: string) {
    super(`${message} (${code} at byte ${offset})`);
    this.code = code;
    this.offset = offset;
  }
}
