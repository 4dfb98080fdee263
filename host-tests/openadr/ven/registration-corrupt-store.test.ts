// A corrupt registration record (flash damage, an old firmware's format) falls back to safe defaults:
// logged, deleted, and the VEN registers again; corrupt event parts are dropped the same way.
import test from "ava";
import { openSession } from "./support/session.ts";

test("corrupt registration record: logged, discarded, registered anew", async (t) => {
  const s = await openSession(t);
  await s.until(() => s.sim.received("oadrPoll").length >= 1);
  await s.xs.call("stop");
  s.xs.preferences.write("ven", "oaReg", { type: "string", value: "{\"v\":1,\"d\":{\"venID\":" });
  s.xs.preferences.write("ven", "oaEvIa", { type: "string", value: "not json" });
  const marker = s.sim.exchanges.length;
  await s.reboot();
  await s.until(() => s.sim.exchanges.slice(marker).some((e) => e.type === "oadrPoll"));
  t.deepEqual(s.sim.exchanges.slice(marker, marker + 2).map((e) => e.type), ["oadrQueryRegistration", "oadrCreatePartyRegistration"]);
  const warnings = (await s.xs.call("logs", "warn")).map((l: { message: string; fields: { key?: string } }) => `${l.message} ${l.fields.key ?? ""}`);
  t.true(warnings.includes("discarding unreadable record oaReg"));
  t.true(warnings.includes("discarding unreadable collection index oaEvIa"));
  t.is((await s.xs.call("status")).state, "registered");
});
