// Signature wrapping: a verifier that only checks "some element with Id=oadrSignedObject was signed" can be
// fooled into approving a message while the decoder acts on another. These variants of a valid message
// keep the signed bytes intact and add what would be decoded instead; each is invalid with a reason.
import test from "ava";
import type { XsHost } from "../../engine/index.ts";
import { MISSING_SHARED } from "../../support/shared.ts";
import { haveFixtures, signedFixture, startSignature, utf8, VTN_FINGERPRINT } from "./support.ts";
import type { VerifyOutcome } from "./xs-entry.ts";

let xs: XsHost;
test.before(async () => { xs = await startSignature(); });
test.after.always(async () => { await xs?.close(); });

const EVIL = `<oadr:oadrSignedObject xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07"><oadr:oadrResponse ei:schemaVersion="2.0b" xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110"><ei:eiResponse><ei:responseCode>200</ei:responseCode><requestID xmlns="http://docs.oasis-open.org/ns/energyinterop/201110/payloads">evil</requestID></ei:eiResponse></oadr:oadrResponse></oadr:oadrSignedObject>`;

test("moved, doubled or duplicated signed objects are refused", async (t) => {
  if (!haveFixtures) return t.log(MISSING_SHARED), t.pass();
  const original = utf8(signedFixture("0006_ven-openleadr_OadrPoll_oadrResponse.resp.xml"));
  const verify = async (xml: string) => (await xs.call<VerifyOutcome>("verify", new Uint8Array(Buffer.from(xml)), { fingerprint: VTN_FINGERPRINT }));
  t.is((await verify(original)).result?.status, "valid");

  // a second oadrSignedObject after the signed one (the decoder would take the last)
  const appended = original.replace("</oadr:oadrPayload>", `${EVIL}</oadr:oadrPayload>`);
  t.regex((await verify(appended)).result?.reason ?? "", /^oadrPayload must hold ds:Signature then oadrSignedObject and nothing else/);

  // the signed object hidden inside the Signature's ds:Object, an unsigned one in its place
  const signedObject = original.slice(original.indexOf("<oadr:oadrSignedObject"), original.indexOf("</oadr:oadrPayload>"));
  const hidden = original.replace(signedObject, EVIL).replace("</ds:Object>", `${signedObject.trim()}</ds:Object>`);
  t.not((await verify(hidden)).result?.status, "valid");

  // an Id="oadrSignedObject" copy placed in the Signature (duplicate Id)
  const duplicate = original.replace("</ds:Object>", `</ds:Object><ds:Object><x oadr:Id="oadrSignedObject" xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07"/></ds:Object>`);
  t.regex((await verify(duplicate)).result?.reason ?? "", /Id "oadrSignedObject" occurs 2 times/);

  // two Signatures
  const signature = original.slice(original.indexOf("<ds:Signature"), original.indexOf("</ds:Signature>") + 15);
  const twice = original.replace(signature, signature + signature);
  t.not((await verify(twice)).result?.status, "valid");
});
