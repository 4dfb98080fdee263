// Placeholder entry (device-build bring-up): proves the manifest builds and the protocol modules load
// on the device and in mcsim. The wiring colleague replaces this file. No top-level await here: on
// lin an app whose main module awaits at top level aborts before its first trace.
import "./modules/platform/moddable/text-globals";
import config from "mc/config";
import { XmlReader } from "./modules/xml/reader";
import { decodeOadr } from "./modules/openadr/decode";
import { formatDateTime } from "./modules/openadr/iso8601";

trace(`openadr-ven: board ${String(config.board)}, modules ${typeof XmlReader}/${typeof decodeOadr}, ${formatDateTime(Date.now(), 540)}\n`);
trace("started\n");
