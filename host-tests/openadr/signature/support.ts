// Node-side helpers of the signature tests: the XS worker running the firmware's verifier, canonicaliser
// and signer (xs-entry.ts), the signed fixtures and their certificates' fingerprints, and xmlsec1.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { XsHost } from "../../engine/index.ts";
import { fixtureFiles, fixturesDir, haveFixtures } from "../../support/shared.ts";

export const ENTRY = "host-tests/openadr/signature/xs-entry.ts";
/** Fingerprints of the certificates in fixtures/openadr/signed/ (README). */
export const VTN_FINGERPRINT = "5D:3A:04:1E:FD:97:92:DB:2F:3B";
export const VEN_FINGERPRINT = "31:28:49:36:CE:E0:F7:7D:47:20";

export function startSignature(options: { heap?: "host" | "esp32" } = {}): Promise<XsHost> {
  return XsHost.start({ entry: ENTRY, heap: options.heap ?? "host" });
}

export { haveFixtures };

/** The signed fixtures: name, bytes, and the fingerprint of whoever signed it (req: the VEN, resp: the VTN). */
export function signedFixtures(): { name: string; bytes: Uint8Array; fingerprint: string }[] {
  return fixtureFiles("signed").map((file) => ({
    name: path.basename(file),
    bytes: new Uint8Array(readFileSync(file)),
    fingerprint: file.endsWith(".resp.xml") ? VTN_FINGERPRINT : VEN_FINGERPRINT,
  }));
}

export function signedFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(fixturesDir, "signed", name)));
}

/** Byte range [start, end) of the first `<tag …>…</tag>` (by qualified name) in a document. */
export function elementRange(bytes: Uint8Array, qname: string): [number, number] {
  const text = Buffer.from(bytes).toString("latin1");
  const start = text.indexOf(`<${qname}`);
  const close = `</${qname}>`;
  const end = text.indexOf(close, start) + close.length;
  if (start < 0 || end < close.length) throw new Error(`no ${qname}`);
  return [start, end];
}

export const utf8 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("utf8");

/** xmlsec1 from Debian (.ci/run installs it), or undefined when absent. */
export const xmlsec1: string | undefined = (() => {
  try {
    execFileSync("xmlsec1", ["--version"], { stdio: "ignore" });
    return "xmlsec1";
  } catch {
    return undefined;
  }
})();
export const NO_XMLSEC1 = "xmlsec1 not installed (apt-get install xmlsec1; .ci/run does it): independent verification by xmlsec1 skipped";
