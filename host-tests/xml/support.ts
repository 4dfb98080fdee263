// Node-side support for the XML reader tests: one XS worker per test file running xs-entry.ts, and
// small document helpers. Every test in this folder runs the reader on XS.
import { readFileSync } from "node:fs";
import { XsHost, type XsHostOptions } from "../engine/index.ts";
import { fixtureFiles } from "../support/shared.ts";
import type { TokenizeOptions, TokenizeResult, XmlEvent } from "./tokenize.ts";

export type { XmlEvent };
export const encode = (s: string): Uint8Array => new TextEncoder().encode(s);

let shared: Promise<XsHost> | undefined;

/** The test file's XS worker, started on first use; close it with closeXs() in test.after.always. */
export function xs(options: Partial<XsHostOptions> = {}): Promise<XsHost> {
  shared ??= XsHost.start({ entry: "host-tests/xml/xs-entry.ts", ...options });
  return shared;
}

export async function closeXs(): Promise<void> {
  const running = shared;
  shared = undefined;
  if (running) await (await running).close();
}

/** Tokenizes on XS: a string is UTF-8 encoded; whole document in one chunk unless chunkSize is given. */
export async function read(doc: string | Uint8Array, chunkSize?: number | number[], options?: TokenizeOptions): Promise<TokenizeResult> {
  const bytes = typeof doc === "string" ? encode(doc) : doc;
  return (await xs()).call("tokenize", bytes, chunkSize ?? (bytes.length || 1), options);
}

/** The error code of a document (or "ok"). */
export async function outcome(doc: string | Uint8Array, options?: TokenizeOptions): Promise<string> {
  const r = await read(doc, undefined, options);
  return r.error ? r.error.code : "ok";
}

/** The text events of a document, in order. */
export async function texts(doc: string): Promise<string[]> {
  const r = await read(doc);
  if (r.error) throw new Error(`${doc}: ${r.error.message}`);
  return r.events.filter((e) => e[0] === "text").map((e) => e[1] as string);
}

/** The captured session's oadrDistributeEvent fixtures (absolute paths), largest first. */
export function distributeEventFixtures(): string[] {
  return fixtureFiles("session")
    .filter((f) => f.includes("DistributeEvent"))
    .sort((a, b) => readFileSync(b).length - readFileSync(a).length);
}
