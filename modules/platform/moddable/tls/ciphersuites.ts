// The TLS cipher suites the VEN offers: the SDK's list with TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256
// (0xC023), one of the two OpenADR 2.0b suites, put first. The SDK leaves 0xC023 out; this module
// takes the SDK's own table (mapped as `ssl/ciphersuites-sdk`) and adds one entry, so no SDK code is
// copied. manifest.json (this folder) maps it over `ssl/ciphersuites`, which ssl/handshake imports.
// Leaves out: anything but TLS 1.2 suites the SDK can already run (0xC023 uses the SDK's ECDHE key
// exchange and its ECDSA ServerKeyExchange verification, as the SDK's own 0xC02B entry does).
/// <reference path="./ssl.d.ts" />
import sdkSuites from "ssl/ciphersuites-sdk";
import { AES, CBC, ECDHE_RSA, SHA256 } from "ssl/constants";
import type { CipherSuite } from "ssl/ciphersuites-sdk";

const TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256: CipherSuite = {
  value: [0xc0, 0x23],
  isExportable: false,
  // The SDK names its ECDHE key exchange ECDHE_RSA; the signature algorithm of the server's key
  // exchange message (RSA or ECDSA) is read from the message itself.
  keyExchangeAlgorithm: ECDHE_RSA,
  cipherAlgorithm: AES,
  cipherKeySize: 16,
  cipherBlockSize: 16,
  hashAlgorithm: SHA256,
  hashSize: 32,
  encryptionMode: CBC,
};

const suites: readonly CipherSuite[] = [
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
  ...sdkSuites.filter((suite) => !(suite.value[0] === 0xc0 && suite.value[1] === 0x23)),
];

export default Object.freeze(suites, true);
