// Node-side helpers of the codec tests: the XS worker running the firmware codec (xs-entry.ts), the
// fixture lists, and the schema check. Tests run the codec on XS; the XS run is the one that counts.
import { readFileSync } from "node:fs";
import path from "node:path";
import { XsHost } from "../../engine/index.ts";
import { fixtureFiles, fixturesDir, haveFixtures } from "../../support/shared.ts";

export const ENTRY = "host-tests/openadr/codec/xs-entry.ts";
export const FIXTURE_FOLDERS = ["session", "signed", "openleadr-docs", "openleadr-generated", "avob"] as const;

/** Starts XS with the codec entry (host heap unless told otherwise). */
export function startCodec(options: { heap?: "host" | "esp32" } = {}): Promise<XsHost> {
  return XsHost.start({ entry: ENTRY, heap: options.heap ?? "host" });
}

export interface Fixture { folder: string; name: string; file: string }

/** Every fixture file of every folder. */
export function allFixtures(): Fixture[] {
  if (!haveFixtures) return [];
  return FIXTURE_FOLDERS.flatMap((folder) => fixtureFiles(folder).map((file) => ({ folder, name: path.basename(file), file })));
}

export function fixture(folder: string, name: string): Uint8Array {
  return readFileSync(path.join(fixturesDir, folder, name));
}

/** Files listed in avob/XSD-INVALID.txt (may be rejected). */
export function xsdInvalidNames(): Set<string> {
  if (!haveFixtures) return new Set();
  const text = readFileSync(path.join(fixturesDir, "avob/XSD-INVALID.txt"), "utf8");
  return new Set(text.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#")));
}

export const utf8 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("utf8");
