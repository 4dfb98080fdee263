// Where the project's shared material (OpenADR fixtures and XSDs) lives, and a test helper that
// skips with a clear message when it is absent. Never copy fixtures into the project.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const sharedDir = process.env.SHARED_DIR ?? path.resolve(repoRoot, "../shared");
export const fixturesDir = path.join(sharedDir, "fixtures/openadr");
export const schemaDir = path.join(sharedDir, "openadr-2.0b-schema");

export const haveFixtures = existsSync(fixturesDir);
export const haveSchema = existsSync(path.join(schemaDir, "oadr_20b.xsd"));

export const MISSING_SHARED = `shared material not found at ${sharedDir}: fixture and schema tests skipped (set SHARED_DIR or place shared/ beside the project)`;

/** Fixture files (absolute paths) in a fixtures sub-folder, sorted; [] when absent. */
export function fixtureFiles(folder: string, suffix = ".xml"): string[] {
  const dir = path.join(fixturesDir, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith(suffix)).sort().map((f) => path.join(dir, f));
}
