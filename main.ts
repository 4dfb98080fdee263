// Entry point. The Moddable runtime calls the default export once the modules are loaded; the host
// tools (npm run sim, the XS host tests) import and call the same function. It does wiring only:
// configuration (manifest `config` defaults, then the site's Preference overrides), the TLS identity
// (provisioned Preference blobs, else the DER resources the manifest embeds), the Moddable-backed
// platform pieces, and the target the manifest chose (ESP32 board or the simulated board) → Firmware.
// If the configuration or the board is unusable the firmware does not start: relays stay de-energised,
// which the fail-normal wiring turns into "loads on", and the reason is logged.
// No top-level await (on lin an app whose main module awaits at top level aborts).
import "./modules/platform/moddable/text-globals";
import config from "mc/config";
import Preference from "preference";
import Resource from "Resource";
import { ConfigError, resolveConfig, OVERRIDABLE, type AppConfig } from "./modules/app/config";
import { Firmware, type FirmwarePlatform } from "./modules/app/firmware";
import { createLog } from "./modules/app/log";
import { createOadrWire } from "./modules/openadr/wire-oadr";
import type { VenTls } from "./modules/openadr/ven";
import type { Log } from "./modules/platform/types";
import { ModdableClock } from "./modules/platform/moddable/clock";
import { ModdableHttpTransport } from "./modules/platform/moddable/http-transport";
import { ModdableScheduler } from "./modules/platform/moddable/scheduler";
import { PreferenceStore } from "./modules/platform/moddable/store";
import { createModdableCrypto } from "./modules/platform/moddable/crypto";
import createTarget from "./hardware/target/platform";

/** Preference domains: the site's configuration overrides and its provisioned identity. */
const CONFIG_DOMAIN = "config";
const IDENTITY_DOMAIN = "prov";

function overrides(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of OVERRIDABLE) {
    const value = Preference.get(CONFIG_DOMAIN, key);
    if (value !== undefined && !(value instanceof ArrayBuffer)) out[key] = value;
  }
  return out;
}

/** Largest identity blob accepted (an RSA-2048 PKCS#8 key is ≈1.2 KB, a certificate ≈1–2 KB). */
const DER_MAX = 4096;

/** One whole DER SEQUENCE (what certificates and PKCS#8 keys are), nothing before or after it. */
function isDerSequence(bytes: Uint8Array): boolean {
  if (bytes.length < 2 || bytes.length > DER_MAX || bytes[0] !== 0x30) return false;
  let length = bytes[1]!;
  let header = 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n < 1 || n > 2 || bytes.length < 2 + n) return false;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + bytes[2 + i]!;
    header += n;
  }
  return header + length === bytes.length;
}

/** DER bytes: a provisioned Preference blob, else the resource the manifest embedded. A blob that is
 *  not one DER structure is set aside with a log line (the resource is used). */
function der(key: string, resource: string, log: Log): Uint8Array | undefined {
  const stored = Preference.get(IDENTITY_DOMAIN, key);
  if (stored instanceof ArrayBuffer) {
    const bytes = new Uint8Array(stored);
    if (isDerSequence(bytes)) return bytes;
    log("error", "app", `provisioned ${key} (Preference ${IDENTITY_DOMAIN}/${key}) is not one DER structure: ignored, the build's resource is used`, { bytes: bytes.length, resource });
  } else if (stored !== undefined) {
    log("error", "app", `provisioned ${key} (Preference ${IDENTITY_DOMAIN}/${key}) is not binary: ignored, the build's resource is used`, { type: typeof stored });
  }
  if (!Resource.exists(resource)) return undefined;
  return new Uint8Array(new Resource(resource) as unknown as ArrayBuffer);
}

function identity(c: AppConfig, log: Log): VenTls | undefined {
  const ca = der("ca", c.certificates.ca, log);
  const certificate = der("cert", c.certificates.client, log);
  const key = der("key", c.certificates.key, log);
  return ca && certificate && key ? { ca, certificate, key } : undefined;
}

/** The configuration in force. A site override the checks refuse is logged by name (never its value)
 *  and left out, so one bad Preference key cannot keep the device from starting; an unusable build
 *  configuration throws. */
function configure(log: Log): AppConfig {
  const site = overrides();
  for (;;) {
    try {
      return resolveConfig(config as Record<string, unknown>, site);
    } catch (error) {
      const key = error instanceof ConfigError ? error.key.split(/[.[]/)[0]! : "";
      if (!(key in site)) throw error;
      log("error", "app", `site override ${CONFIG_DOMAIN}/${key} refused: the build's value is used`, { error: (error as Error).message });
      delete site[key];
    }
  }
}

export default function main(): Firmware | undefined {
  const clock = new ModdableClock();
  const scheduler = new ModdableScheduler();
  const write = (line: string) => trace(line + "\n");
  let log = createLog({ level: "info", clock, write });
  let resolved: AppConfig;
  try {
    resolved = configure(log);
  } catch (error) {
    log("error", "app", "configuration unusable: not starting (loads stay on)", { error: String((error as Error)?.message ?? error) });
    return undefined;
  }
  log = createLog({ level: resolved.logLevel, clock, write });
  const tls = identity(resolved, log);
  if (resolved.vtnURL.startsWith("https://") && !tls) {
    log("error", "app", "no TLS identity (provisioning/ or Preference \"prov\"): the VEN cannot connect", { ca: resolved.certificates.ca, client: resolved.certificates.client });
  }
  const platform: FirmwarePlatform = {
    clock, scheduler, log, random: Math.random,
    store: (domain) => new PreferenceStore({ domain }),
    transport: (o) => new ModdableHttpTransport(o),
    wire: createOadrWire({ limits: resolved.xmlLimits }),
    tls,
    ...(resolved.signMessages || resolved.verifySignature ? { crypto: createModdableCrypto() } : {}),
  };
  try {
    const firmware = new Firmware({ config: resolved, platform, target: createTarget({ clock, scheduler }) });
    firmware.start();
    return firmware;
  } catch (error) {
    log("error", "app", "firmware failed to start (loads stay on)", { error: String((error as Error)?.message ?? error) });
    return undefined;
  }
}
