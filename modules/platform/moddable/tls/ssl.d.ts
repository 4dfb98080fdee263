// Types for the two SDK TLS modules ciphersuites.ts imports (the SDK ships them without typings).
declare module "ssl/ciphersuites-sdk" {
  export interface CipherSuite {
    readonly value: readonly [number, number];
    readonly isExportable: boolean;
    readonly keyExchangeAlgorithm: number;
    readonly cipherAlgorithm: number;
    readonly cipherKeySize: number;
    readonly cipherBlockSize: number;
    readonly hashAlgorithm: number;
    readonly hashSize: number;
    readonly encryptionMode: number;
    readonly ivSize?: number;
    readonly saltSize?: number;
  }
  const suites: readonly CipherSuite[];
  export default suites;
}

declare module "ssl/constants" {
  export const RSA: number;
  export const ECDHE_RSA: number;
  export const AES: number;
  export const CBC: number;
  export const GCM: number;
  export const SHA1: number;
  export const SHA256: number;
}

declare module "ssl/cert-sdk" {
  /** The SDK's modules/crypt/ssl/ssl_cert.js (untyped upstream). */
  export default class CertificateManager {
    constructor(options: Record<string, unknown>);
    /** Chain, validity and subjectAltName checks of the server's certificates (DER, leaf first). */
    verify(certs: Uint8Array[], options: Record<string, unknown>): boolean;
    register(certificate: ArrayBuffer): void;
    static register(certificate: ArrayBuffer): void;
  }
}
