// TLS server certificate verification: the SDK's CertificateManager (chain to the configured CA,
// validity at the device clock, subjectAltName against the host) plus one extension — a
// `verifyPeer(certificate: Uint8Array) => boolean` callback in SecureSocket's `secure` dictionary,
// called with the server's DER certificate once the SDK's checks pass, inside the handshake and before
// any application data is sent; anything but `true` fails the handshake ("certificate: auth err").
// The VEN's transport uses it for the optional OpenADR fingerprint pin (modules/platform/moddable/
// http-transport.ts); the host engine implements the same callback.
// This module takes the SDK's class (mapped as `ssl/cert-sdk`) and extends it, so no SDK code is copied;
// manifest.json (this folder) maps it over `ssl/cert`, which ssl/session imports. SecureSocket spreads
// `secure` into the session's options, so the callback reaches `verify(certs, options)` as is.
// Leaves out: resumed sessions (no certificate is exchanged: nothing to check; they resume only what a
// full, checked handshake established) and the server side.
/// <reference path="./ssl.d.ts" />
import CertificateManager from "ssl/cert-sdk";

export default class PeerCheckingCertificateManager extends CertificateManager {
  override verify(certs: Uint8Array[], options: Record<string, unknown>): boolean {
    if (!super.verify(certs, options)) return false;
    const check = options.verifyPeer;
    if (typeof check !== "function") return true;
    if (certs.length === 0) return false;
    return (check as (certificate: Uint8Array) => unknown)(certs[0]!) === true;
  }
}
