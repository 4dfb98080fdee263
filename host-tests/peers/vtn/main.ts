// The VTN simulator as its own process (the simulator's "external VTN" mode, or a VEN on a board):
//
//   npx tsx host-tests/peers/vtn/main.ts --port 8443 --pki-dir /tmp/pki [--plain] [--vtn-id TEST_VTN]
//        [--poll-freq 10] [--telemetry 10,60] [--validation batch|each|off]
//
// --pki-dir reads a PKI written by `tsx host-tests/peers/pki.ts <dir>` (generated there if missing).
// Listens on 127.0.0.1 only. Prints one JSON line when listening ({"listening", "vtnFingerprint", …})
// and one per exchange. Commands are JSON lines on stdin:
//   {"cmd":"event","event":{…SimEvent…}}   add or replace an event (dtstart/durations in ms)
//   {"cmd":"distribute"}                    queue an oadrDistributeEvent for the VEN's next poll
//   {"cmd":"cancel","eventID":"…"} / {"cmd":"remove","eventID":"…"}
//   {"cmd":"reregister"} / {"cmd":"cancelRegistration"} / {"cmd":"registerReport"}
//   {"cmd":"createReport","requests":[…SimReportRequest…]} / {"cmd":"cancelReport","ids":[…],"reportToFollow":true}
//   {"cmd":"offline","value":true|false} / {"cmd":"validate"} / {"cmd":"quit"}
import { existsSync } from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { loadPki, makePki, type Pki } from "../pki.ts";
import type { SimEvent, SimReportRequest } from "./messages.ts";
import { VtnSimulator, type VtnOptions } from "./server.ts";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const out = (value: unknown) => process.stdout.write(JSON.stringify(value) + "\n");

async function main(): Promise<void> {
  const plain = process.argv.includes("--plain");
  let pki: Pki | undefined;
  if (!plain) {
    const dir = arg("--pki-dir");
    if (dir) pki = existsSync(path.join(dir, "pki.json")) ? loadPki(path.resolve(dir)) : makePki({ dir: path.resolve(dir) });
    else pki = makePki();
  }
  const telemetry = arg("--telemetry")?.split(",").map((x) => Number(x) * 1000);
  const options: VtnOptions = {
    port: Number(arg("--port") ?? 0),
    vtnID: arg("--vtn-id") ?? "TEST_VTN",
    pollFreq: Number(arg("--poll-freq") ?? 10) * 1000,
    validation: (arg("--validation") as VtnOptions["validation"]) ?? "batch",
  };
  if (pki) options.pki = pki;
  if (telemetry) {
    options.reportRequests = (metadata) => {
      const usage = metadata.find((m) => m.reportName === "METADATA_TELEMETRY_USAGE");
      return usage ? [{ reportRequestID: "RR-TELEMETRY_USAGE", reportSpecifierID: usage.reportSpecifierID, granularity: telemetry[0]!, reportBackDuration: telemetry[1] ?? telemetry[0]!, rIDs: usage.descriptions.map((d) => d.rID) }] : [];
    };
  }
  const sim = await VtnSimulator.start(options);
  let reported = 0;
  const flush = () => {
    for (; reported < sim.exchanges.length; reported++) {
      const e = sim.exchanges[reported]!;
      out({ seq: e.seq, at: new Date(e.at).toISOString(), endpoint: e.endpoint, type: e.type, venID: e.venID, status: e.status, reply: e.responseType, problem: e.problem });
    }
  };
  const timer = setInterval(flush, 200);
  out({ listening: sim.url, vtnID: sim.vtnID, vtnFingerprint: pki?.vtn.fingerprint, pkiDir: pki?.dir, ca: pki?.ca.certPath });

  const quit = async () => {
    clearInterval(timer);
    flush();
    await sim.close();
    process.exit(0);
  };
  process.on("SIGINT", quit);
  process.on("SIGTERM", quit);
  const lines = readline.createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    if (!line.trim()) return;
    try {
      const c = JSON.parse(line) as { cmd: string; event?: SimEvent; eventID?: string; requests?: SimReportRequest[]; ids?: string[]; reportToFollow?: boolean; value?: boolean };
      switch (c.cmd) {
        case "event": sim.putEvent(c.event!); break;
        case "distribute": sim.distribute(); break;
        case "cancel": sim.cancelEvent(c.eventID!); break;
        case "remove": sim.removeEvent(c.eventID!); break;
        case "reregister": sim.requestReregistration(); break;
        case "cancelRegistration": sim.cancelPartyRegistration(); break;
        case "registerReport": sim.registerReport(); break;
        case "createReport": sim.createReport(c.requests!); break;
        case "cancelReport": sim.cancelReport(c.ids!, c.reportToFollow ?? false); break;
        case "offline": sim.setOffline(c.value !== false); break;
        case "validate":
          void sim.validate().then((invalid) => out({ validated: sim.exchanges.length, invalid: invalid.map((e) => ({ seq: e.seq, type: e.type, errors: e.validation?.errors })) }));
          break;
        case "quit": void quit(); break;
        default: out({ error: `unknown command ${c.cmd}` });
      }
    } catch (error) {
      out({ error: (error as Error).message });
    }
  });
  lines.on("close", () => undefined); // keep serving without stdin
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
