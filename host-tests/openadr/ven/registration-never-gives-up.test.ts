// Registration is never given up: with the VTN unreachable at boot for longer than the registration
// job's attempts last (5 × back-off ≈ 2.5 min), or answering registration with an unusable reply, the
// VEN starts registering again after a back-off and registers once the VTN is back. Before the fix the
// dropped job left the VEN in "registering" until a reboot (found by npm run faults: SNTP late at boot).
import test from "ava";
import { MINUTE, openSession } from "./support/session.ts";

test("VTN unreachable for 20 min at boot: the VEN keeps trying and registers when it is back", async (t) => {
  const s = await openSession(t, { noStart: true });
  s.sim.setOffline(true);
  await s.xs.call("start", s.config);
  await s.xs.advance(20 * MINUTE);
  t.is((await s.xs.call("status")).state, "registering");
  s.sim.setOffline(false);
  await s.until(() => s.sim.received("oadrPoll").length >= 1, 15 * MINUTE);
  t.is((await s.xs.call("status")).state, "registered");
});

test("an unusable reply to registration: registration starts again", async (t) => {
  const s = await openSession(t, { noStart: true });
  s.sim.overrides.push({ endpoint: "EiRegisterParty", status: 200, body: "<html>proxy error</html>" });
  await s.xs.call("start", s.config);
  await s.until(() => s.sim.received("oadrPoll").length >= 1, 15 * MINUTE);
  t.is((await s.xs.call("status")).state, "registered");
});
