// One flipped bit anywhere in the signed parts of a message — oadrSignedObject, SignedInfo, the ds:Object
// holding ReplayProtect — never leaves it valid, and the reason says which part: a decodable message whose
// signed object changed fails its digest, a changed ReplayProtect fails the #prop digest, a changed
// SignedInfo fails the signature (or names the algorithm, URI or DigestValue it broke). Flips that break
// the XML fail the decoder instead. Every byte of the signed object of a request and of a response, and
// of SignedInfo and the ds:Object of the request (the response's are shaped the same).
import test from "ava";
import type { XsHost } from "../../engine/index.ts";
import { MISSING_SHARED } from "../../support/shared.ts";
import { elementRange, haveFixtures, signedFixture, startSignature, VEN_FINGERPRINT, VTN_FINGERPRINT } from "./support.ts";
import type { VerifyOutcome } from "./xs-entry.ts";

let xs: XsHost;
test.before(async () => { xs = await startSignature(); });
test.after.always(async () => { await xs?.close(); });

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

async function flips(bytes: Uint8Array, from: number, to: number, fingerprint: string): Promise<VerifyOutcome[]> {
  const out: VerifyOutcome[] = [];
  const positions = range(from, to);
  for (let i = 0; i < positions.length; i += 200) {
    out.push(...await xs.call<VerifyOutcome[]>("verifyFlips", bytes, positions.slice(i, i + 200), 0x01, { fingerprint, chunk: 512 }));
  }
  return out;
}

function tally(outcomes: VerifyOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    // the reason without what varies (the mangled URI or Id)
    const key = o.decodeError ? "decoder: " + o.decodeError.split(":")[0] : (o.result?.reason ?? o.result?.status ?? "?").replace(/ (in Reference )?#\S+| \S*\/\/\S*| \(none\)|"[^"]*"|:.*$/g, "").trim();
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

for (const [name, fingerprint, whole] of [["0007_ven-openleadr_OadrPoll_oadrPoll.req.xml", VEN_FINGERPRINT, true], ["0005_ven-openleadr_EiEvent_oadrDistributeEvent.resp.xml", VTN_FINGERPRINT, false]] as const) {
  test(`${name}: every flipped byte of the signed parts is caught, with the right reason`, async (t) => {
    if (!haveFixtures) return t.log(MISSING_SHARED), t.pass();
    const bytes = signedFixture(name);
    const [objectFrom, objectTo] = elementRange(bytes, "oadr:oadrSignedObject");
    const [infoFrom, infoTo] = elementRange(bytes, "ds:SignedInfo");
    const [propFrom, propTo] = elementRange(bytes, "ds:Object");

    const object = await flips(bytes, objectFrom, objectTo, fingerprint);
    t.false(object.some((o) => o.result?.status === "valid"), "signed object");
    // what still decodes is caught by the digest (or, when the flip hit its Id, by the reference)
    for (const o of object) if (o.result) t.regex(o.result.reason!, /^digest mismatch for Reference #oadrSignedObject$|^Reference #oadrSignedObject: no element with that Id/);
    const digest = object.filter((o) => o.result?.reason === "digest mismatch for Reference #oadrSignedObject").length;
    t.true(digest > 20, JSON.stringify(tally(object)));
    t.log(name, "signed object", JSON.stringify(tally(object)));
    if (!whole) return;

    const prop = await flips(bytes, propFrom, propTo, fingerprint);
    t.false(prop.some((o) => o.result?.status === "valid"), "ReplayProtect");
    for (const o of prop) if (o.result) t.regex(o.result.reason!, /^digest mismatch for Reference #prop$|^Reference #prop: no element with that Id|^no dsp:ReplayProtect|^dsp:ReplayProtect is not covered/);
    t.true(prop.filter((o) => o.result?.reason === "digest mismatch for Reference #prop").length > 20, JSON.stringify(tally(prop)));

    const info = await flips(bytes, infoFrom, infoTo, fingerprint);
    t.false(info.some((o) => o.result?.status === "valid"), "SignedInfo");
    const reasons = tally(info);
    t.true((reasons["SignatureValue does not verify with the certificate's key"] ?? 0) >= 10, JSON.stringify(reasons));
    for (const key of Object.keys(reasons)) {
      t.regex(key, /^(SignatureValue does not verify|digest mismatch|DigestValue of Reference|unsupported|Reference|no Reference covers|dsp:ReplayProtect is not covered|decoder: )/, key);
    }
    t.log(name, "SignedInfo", JSON.stringify(reasons));
    t.log(name, "ds:Object", JSON.stringify(tally(prop)));
  });
}
