// Node-side support for the XML reader tests: one XS worker per test file running xs-entry.ts, and
// small document helpers.
import { XsHost, type XsHostOptions } from "../engine/index.ts";

export const encode = (s: string): Uint8Array => new TextEncoder().encode(s);

let shared: Promise<XsHost> | undefined;

/** The test file's XS worker (started once; closed by `closeXs`, call it in test.after.always). */
export function xs(options: Partial<XsHostOptions> = {}): Promise<XsHost> {
  shared ??= XsHost.start({ entry: "host-tests/xml/xs-entry.ts", ...options });
  return shared;
}

export async function closeXs(): Promise<void> {
  if (shared) await (await shared).close();
  shared = undefined;
}
