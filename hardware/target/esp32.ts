// The ESP32 target (built as module "hardware/target/platform" for esp32 by the manifest): the board
// definition, ECMA-419 Digital and Analog from Moddable, the sampler's clock from Time.microseconds,
// and the network: Wi-Fi station with reconnect, then SNTP (again every 6 h; Time.set is a clock
// correction control reacts to). A network that is already up (Moddable's setup/network joined before
// main because the build passed ssid=…) is used as it is: no second join.
// Leaves out: Wi-Fi provisioning UI (credentials come from config/Preference), Ethernet.

import Analog from "embedded:io/analog";
import Digital from "embedded:io/digital";
import Net from "net";
import SNTP from "sntp";
import Time from "time";
import Timer from "timer";
import WiFi from "wifi";
import type { NetworkOptions, Target } from "../../modules/app/firmware";
import type { Clock, Scheduler } from "../../modules/platform/types";
import type { AnalogIo, DigitalIo } from "../drivers/io";
import board from "../boards/esp32-devkitc";

export interface TargetPlatform {
  readonly clock: Clock;
  readonly scheduler: Scheduler;
}

const RECONNECT_MS = 10_000;
const SNTP_RETRY_MS = 60_000;
const SNTP_RESYNC_MS = 6 * 3_600_000;

export default function createTarget(_platform: TargetPlatform): Target {
  return {
    name: "esp32",
    board,
    digital: Digital as unknown as DigitalIo,
    analog: Analog as unknown as AnalogIo,
    sampleClock: () => (Time.microseconds ?? Time.ticks * 1000) / 1000,
    network(options: NetworkOptions) {
      const { log } = options;
      let sntpTimer: ReturnType<typeof Timer.set> | undefined;
      const sync = () => {
        sntpTimer = undefined;
        if (!options.sntp) return;
        try {
          new SNTP({ host: options.sntp }, (message, value) => {
            if (message === SNTP.time && typeof value === "number") {
              Time.set(value);
              log("info", "net", "time set by SNTP", { host: options.sntp });
              options.onTime();
              sntpTimer = Timer.set(sync, SNTP_RESYNC_MS);
            } else if (message === SNTP.error) {
              log("warn", "net", "SNTP failed; retrying", { host: options.sntp });
              sntpTimer = Timer.set(sync, SNTP_RETRY_MS);
            }
          });
        } catch (error) {
          log("warn", "net", "SNTP could not start", { error: String(error) });
          sntpTimer = Timer.set(sync, SNTP_RETRY_MS);
        }
      };
      const online = () => {
        options.onOnline(true);
        if (sntpTimer === undefined) sync();
      };
      if (Net.get("IP")) {
        // already up: Moddable's setup/network joined before main (the build passed ssid=…)
        online();
        return;
      }
      if (!options.ssid) {
        log("warn", "net", "no Wi-Fi configured (config ssid) and no network up");
        return;
      }
      const credentials = options.password ? { ssid: options.ssid, password: options.password } : { ssid: options.ssid };
      log("info", "net", "Wi-Fi connecting", { ssid: options.ssid });
      new WiFi(credentials, (message) => {
        if (message === WiFi.gotIP) {
          log("info", "net", "Wi-Fi up", { ip: Net.get("IP") });
          online();
        } else if (message === WiFi.disconnected) {
          options.onOnline(false);
          log("warn", "net", "Wi-Fi lost; reconnecting", { inMs: RECONNECT_MS });
          Timer.set(() => WiFi.connect(credentials), RECONNECT_MS);
        }
      });
    },
  };
}
