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
import { resolveConfig, OVERRIDABLE, type AppConfig } from "./modules/app/config";
import { Firmware, type FirmwarePlatform } from "./modules/app/firmware";
import { createLog } from "./modules/app/log";
import { createOadrWire } from "./modules/openadr/wire-oadr";
import type { VenTls } from "./modules/openadr/ven";
import { ModdableClock } from "./modules/platform/moddable/clock";
import { ModdableHttpTransport } from "./modules/platform/moddable/http-transport";
import { ModdableScheduler } from "./modules/platform/moddable/scheduler";
import { PreferenceStore } from "./modules/platform/moddable/store";
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

/** DER bytes: a provisioned Preference blob, else the resource the manifest embedded. */
function der(key: string, resource: string): Uint8Array | undefined {
  const stored = Preference.get(IDENTITY_DOMAIN, key);
  if (stored instanceof ArrayBuffer) return new Uint8Array(stored);
  if (!Resource.exists(resource)) return undefined;
  return new Uint8Array(new Resource(resource) as unknown as ArrayBuffer);
}

function identity(c: AppConfig): VenTls | undefined {
  const ca = der("ca", c.certificates.ca);
  const certificate = der("cert", c.certificates.client);
  const key = der("key", c.certificates.key);
  return ca && certificate && key ? { ca, certificate, key } : undefined;
}

export default function main(): Firmware | undefined {
  const clock = new ModdableClock();
  const scheduler = new ModdableScheduler();
  const write = (line: string) => trace(line + "\n");
  let log = createLog({ level: "info", clock, write });
  let resolved: AppConfig;
  try {
    resolved = resolveConfig(config as Record<string, unknown>, overrides());
  } catch (error) {
    log("error", "app", "configuration unusable: not starting (loads stay on)", { error: String((error as Error)?.message ?? error) });
    return undefined;
  }
  log = createLog({ level: resolved.logLevel, clock, write });
  const tls = identity(resolved);
  if (resolved.vtnURL.startsWith("https://") && !tls) {
    log("error", "app", "no TLS identity (provisioning/ or Preference \"prov\"): the VEN cannot connect", { ca: resolved.certificates.ca, client: resolved.certificates.client });
  }
  const platform: FirmwarePlatform = {
    clock, scheduler, log, random: Math.random,
    store: (domain) => new PreferenceStore({ domain }),
    transport: (o) => new ModdableHttpTransport(o),
    wire: createOadrWire({ limits: resolved.xmlLimits }),
    tls,
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
