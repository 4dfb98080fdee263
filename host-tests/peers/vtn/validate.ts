// XSD validation of OpenADR 2.0b documents against ../shared/openadr-2.0b-schema/oadr_20b.xsd with
// xmllint-wasm. One xmllint run costs ≈200 ms (instantiation + schema compile) but validates many
// documents at once, so the simulator validates in batches; `validateOne` exists for the "answer 400 to
// a schema-invalid body" mode. When the shared schema is absent, everything is reported as skipped.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { validateXML, type XMLFileInfo } from "xmllint-wasm";
import { haveSchema, schemaDir } from "../../support/shared.ts";

export interface ValidationOutcome {
  /** undefined = not validated (schema absent). */
  valid: boolean | undefined;
  errors: string[];
}

let schemaFiles: { main: XMLFileInfo; others: XMLFileInfo[] } | undefined;

function schema(): { main: XMLFileInfo; others: XMLFileInfo[] } {
  if (!schemaFiles) {
    const files = readdirSync(schemaDir).filter((f) => f.endsWith(".xsd"))
      .map((f) => ({ fileName: f, contents: readFileSync(path.join(schemaDir, f), "utf8") }));
    const main = files.find((f) => f.fileName === "oadr_20b.xsd")!;
    schemaFiles = { main, others: files.filter((f) => f !== main) };
  }
  return schemaFiles;
}

export const schemaAvailable = haveSchema;

/** Validates documents together; the result array matches the input order. */
export async function validateMany(documents: readonly string[]): Promise<ValidationOutcome[]> {
  if (!haveSchema) return documents.map(() => ({ valid: undefined, errors: [] }));
  if (documents.length === 0) return [];
  const { main, others } = schema();
  const xml = documents.map((contents, i) => ({ fileName: `doc${i}.xml`, contents }));
  const result = await validateXML({ xml, schema: main, preload: others, maxMemoryPages: 2048 });
  const outcomes: ValidationOutcome[] = documents.map(() => ({ valid: true, errors: [] }));
  for (const error of result.errors) {
    const match = /^doc(\d+)\.xml$/.exec(error.loc?.fileName ?? "");
    const index = match ? Number(match[1]) : -1;
    if (index >= 0) {
      outcomes[index]!.valid = false;
      outcomes[index]!.errors.push(error.message);
    }
  }
  // "docN.xml fails to validate" lines carry no location; catch them from the raw output.
  for (const line of result.rawOutput.split("\n")) {
    const failed = /^doc(\d+)\.xml fails to validate/.exec(line);
    if (failed) outcomes[Number(failed[1])]!.valid = false;
  }
  return outcomes;
}

export async function validateOne(document: string): Promise<ValidationOutcome> {
  return (await validateMany([document]))[0]!;
}
