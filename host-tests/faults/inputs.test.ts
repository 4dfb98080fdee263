// Hardening: bad configuration and provisioning inputs, as a site could store them in Preference
// ("config" overrides, "prov" identity blobs), on the firmware as main.ts boots it on XS. Each bad
// input gets one specific log line naming it (never its secret value), is set aside, and the rest of the
// firmware runs: the VEN registers with the build's value, metering and control run. Nothing here may
// end in an exception at boot or a device that keeps rebooting.
import test from "ava";
import { XsHost, type PrefEntry } from "../engine/index.ts";
import { deviceConfig, KEY } from "../ciof/site.ts";
import { CiofTerminal } from "../peers/ciof-terminal.ts";
import { makePki } from "../peers/pki.ts";
import { VtnSimulator } from "../peers/vtn/server.ts";
import { terminalContracts, terminalData, terminalServices } from "../ciof/site.ts";
import { ENTRY } from "./runner.ts";
import { FIRMWARE, MINUTE, workloadStart } from "./workload.ts";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Booted { xs: XsHost; vtn: VtnSimulator; terminal: CiofTerminal; log: string[]; booted: boolean }

async function boot(t: import("ava").ExecutionContext, prefs: Record<string, Record<string, PrefEntry>>, config: Record<string, unknown> = {}): Promise<Booted> {
  const pki = makePki();
  let xs: XsHost | undefined;
  const S = workloadStart();
  const vtn = await VtnSimulator.start({ pki, clock: () => xs?.now ?? S, pollFreq: 2 * MINUTE, validation: "off" });
  t.teardown(() => vtn.close());
  const terminal = new CiofTerminal({ authorizationKey: KEY, services: terminalServices(), data: terminalData(), contracts: terminalContracts(), now: () => xs?.now ?? S });
  const { port } = await terminal.listen();
  t.teardown(() => terminal.close());
  const log: string[] = [];
  xs = await XsHost.start({
    entry: ENTRY, clock: { start: S },
    config: { ...structuredClone(FIRMWARE), ciof: deviceConfig(), vtnURL: vtn.url, ciofURL: `http://127.0.0.1:${port}`, ciofKey: KEY, ...config },
    resources: { "vtn-ca.der": pki.ca.certDer, "ven-cert.der": pki.vens["ven-1"]!.certDer, "ven-key.der": pki.vens["ven-1"]!.keyDer },
    onPrint: (line) => { if (!line.startsWith("#F ")) log.push(line); },
  });
  t.teardown(() => xs!.close());
  for (const [domain, keys] of Object.entries(prefs)) for (const [key, entry] of Object.entries(keys)) xs.preferences.write(domain, key, entry);
  const booted = await xs.call<boolean>("boot");
  await xs.advance(5 * MINUTE);
  return { xs, vtn, terminal, log, booted };
}

const str = (value: string): PrefEntry => ({ type: "string", value });

async function runs(t: import("ava").ExecutionContext, b: Booted): Promise<void> {
  t.true(b.booted, "the firmware started");
  const ven = await b.xs.call<Any>("venStatus");
  t.is(ven.state, "registered", b.log.filter((l) => / [EW] /.test(l)).join("\n"));
  t.true(b.terminal.messages.length + b.terminal.log.length > 0, "the CIOF controller runs");
  t.deepEqual(b.xs.errors, []);
}

function said(t: import("ava").ExecutionContext, b: Booted, re: RegExp, secret?: string): void {
  t.true(b.log.some((l) => re.test(l)), `a log line matching ${re}:\n${b.log.slice(0, 12).join("\n")}`);
  if (secret) t.false(b.log.some((l) => l.includes(secret)), "the refused value is not logged");
}

test("a site override that is not a number: refused by name, the build's value used", async (t) => {
  const b = await boot(t, { config: { pollInterval: str("soon") } });
  said(t, b, /config\.pollInterval/);
  await runs(t, b);
});

test("an http:// VTN override without development mode: refused, the build's https:// VTN used", async (t) => {
  const b = await boot(t, { config: { vtnURL: str("http://127.0.0.1:9") } });
  said(t, b, /config\.vtnURL.*http:\/\//);
  await runs(t, b);
});

test("a VTN URL with credentials in it: refused without logging them", async (t) => {
  const b = await boot(t, { config: { vtnURL: str("https://admin:s3cr3t-pw@127.0.0.1:9") } });
  said(t, b, /config\.vtnURL/, "s3cr3t-pw");
  await runs(t, b);
});

test("a CIOF key with a line break (header injection): refused without logging it", async (t) => {
  const b = await boot(t, { config: { ciofKey: str("k3y\r\nX-Injected: yes") } });
  said(t, b, /config\.ciofKey/, "k3y");
  await runs(t, b);
  t.false(b.terminal.log.some((l) => l.status === 401), "the build's key is used");
});

test("a control override that is not JSON, and a value of the wrong type: each refused by name", async (t) => {
  const b = await boot(t, { config: { control: str("{relays: oops"), venName: { type: "integer", value: 7 } } });
  said(t, b, /config\.control/);
  said(t, b, /config\.venName/);
  await runs(t, b);
});

test("a CIOF device configuration the controller refuses: the CIOF controller is off, the rest runs", async (t) => {
  const b = await boot(t, {}, { ciof: { services: [], data: [], trades: [{ data: "missing", source: "energy" }] } });
  said(t, b, /ciof.*(not started|off)/i);
  t.true(b.booted);
  t.is((await b.xs.call<Any>("venStatus")).state, "registered");
});

test("provisioned identity blobs that are not DER: ignored by name, the build's identity used", async (t) => {
  const garbage = new Uint8Array(300).map((_, i) => (i * 37) & 0xff);
  const b = await boot(t, { prov: { key: { type: "buffer", value: garbage }, cert: { type: "buffer", value: new Uint8Array([0x30, 0x82, 0xff, 0xff, 1, 2]) } } });
  said(t, b, /prov.*key/);
  said(t, b, /prov.*cert/);
  await runs(t, b);
});
