// Test PKI for the VTN simulator and the VEN: a CA, a VTN server certificate for 127.0.0.1/localhost and
// VEN client certificates, generated with the openssl CLI into a temporary directory. RSA 2048 by
// default; "ecdsa" makes the CA and the VTN certificate ECDSA P-256 (the VEN key stays RSA unless asked,
// because Moddable's SecureSocket signs CertificateVerify with RSA only). Leaves out: CRLs, OCSP, expiry tests.
//
// Generated sets are cached per process and on disk under the OS temp dir (keyed by the options), so a
// test file pays the key generation once; `fresh: true` forces a new set.
import { execFileSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export type KeyAlgorithm = "rsa" | "ecdsa";

export interface PkiOptions {
  /** Algorithm of the CA and VTN server keys. Default "rsa". */
  server?: KeyAlgorithm;
  /** Algorithm of the VEN client keys. Default "rsa". */
  client?: KeyAlgorithm;
  /** Common names of the VEN client certificates to issue. Default ["ven-1", "ven-2"]. */
  vens?: string[];
  /** Directory to write into (kept). Default: a cached directory under the OS temp dir. */
  dir?: string;
  /** Generate even if a cached set exists. */
  fresh?: boolean;
}

export interface PkiParty {
  name: string;
  certPem: string;
  keyPem: string;
  /** DER certificate, and the key as unencrypted PKCS#8 DER (what Moddable's `secure` dictionary takes). */
  certDer: Uint8Array;
  keyDer: Uint8Array;
  certPath: string;
  keyPath: string;
  /** OpenADR fingerprint: last 10 bytes of SHA-256 of the DER certificate, upper-case hex with colons. */
  fingerprint: string;
}

export interface Pki {
  dir: string;
  server: KeyAlgorithm;
  client: KeyAlgorithm;
  ca: PkiParty;
  vtn: PkiParty;
  /** Client certificates by common name. */
  vens: Record<string, PkiParty>;
  /** A second, unrelated CA and a VTN certificate it signed (a VTN the VEN must refuse). */
  rogueVtn: PkiParty;
}

/** OpenADR 2.0b fingerprint of a DER certificate. */
export function openadrFingerprint(der: Uint8Array): string {
  const digest = createHash("sha256").update(der).digest();
  const tail = digest.subarray(digest.length - 10);
  return Array.from(tail, (b) => b.toString(16).toUpperCase().padStart(2, "0")).join(":");
}

const memo = new Map<string, Pki>();
const LAYOUT_VERSION = "v2";

export function makePki(options: PkiOptions = {}): Pki {
  const server = options.server ?? "rsa";
  const client = options.client ?? "rsa";
  const vens = options.vens ?? ["ven-1", "ven-2"];
  const key = `${LAYOUT_VERSION}-${server}-${client}-${vens.join("+")}`;
  if (!options.fresh && !options.dir && memo.has(key)) return memo.get(key)!;

  let dir = options.dir;
  if (!dir) {
    const cached = path.join(os.tmpdir(), `openadr-ven-pki-${createHash("sha1").update(key).digest("hex").slice(0, 12)}`);
    if (options.fresh || !existsSync(path.join(cached, "complete"))) {
      // Generate beside, then rename: parallel test processes never see a half-written set.
      const staging = mkdtempSync(cached + "-staging-");
      generate(staging, server, client, vens);
      writeFileSync(path.join(staging, "complete"), new Date().toISOString());
      if (options.fresh) rmSync(cached, { recursive: true, force: true });
      try {
        renameSync(staging, cached);
      } catch {
        rmSync(staging, { recursive: true, force: true }); // another process won the race
      }
    }
    dir = cached;
  } else if (options.fresh || !existsSync(path.join(dir, "complete"))) {
    mkdirSync(dir, { recursive: true });
    generate(dir, server, client, vens);
    writeFileSync(path.join(dir, "complete"), new Date().toISOString());
  }
  const pki = load(dir, server, client, vens);
  if (!options.dir) memo.set(key, pki);
  return pki;
}

/** Reads a PKI directory written by makePki (e.g. for `vtn/main.ts --pki-dir`). */
export function loadPki(dir: string): Pki {
  const meta = JSON.parse(readFileSync(path.join(dir, "pki.json"), "utf8")) as { server: KeyAlgorithm; client: KeyAlgorithm; vens: string[] };
  return load(dir, meta.server, meta.client, meta.vens);
}

function load(dir: string, server: KeyAlgorithm, client: KeyAlgorithm, vens: string[]): Pki {
  const party = (name: string): PkiParty => {
    const certPath = path.join(dir, `${name}.cert.pem`);
    const keyPath = path.join(dir, `${name}.key.pem`);
    const certDer = new Uint8Array(readFileSync(path.join(dir, `${name}.cert.der`)));
    return {
      name,
      certPem: readFileSync(certPath, "utf8"),
      keyPem: readFileSync(keyPath, "utf8"),
      certDer,
      keyDer: new Uint8Array(readFileSync(path.join(dir, `${name}.key.der`))),
      certPath,
      keyPath,
      fingerprint: openadrFingerprint(certDer),
    };
  };
  const venParties: Record<string, PkiParty> = {};
  for (const name of vens) venParties[name] = party(name);
  return { dir, server, client, ca: party("ca"), vtn: party("vtn"), vens: venParties, rogueVtn: party("rogue-vtn") };
}

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
}

function newKey(dir: string, name: string, algorithm: KeyAlgorithm): void {
  const file = `${name}.key.pem`;
  if (algorithm === "rsa") openssl(dir, ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", file]);
  else openssl(dir, ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-pkeyopt", "ec_param_enc:named_curve", "-out", file]);
  openssl(dir, ["pkcs8", "-topk8", "-nocrypt", "-in", file, "-outform", "DER", "-out", `${name}.key.der`]);
}

function derOf(dir: string, name: string): void {
  openssl(dir, ["x509", "-in", `${name}.cert.pem`, "-outform", "DER", "-out", `${name}.cert.der`]);
}

function selfSignedCa(dir: string, name: string, cn: string, algorithm: KeyAlgorithm): void {
  newKey(dir, name, algorithm);
  writeFileSync(path.join(dir, `${name}.ext`), "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n");
  openssl(dir, ["req", "-new", "-x509", "-key", `${name}.key.pem`, "-sha256", "-days", "3650", "-subj", `/O=openadr-ven-esp32 tests/CN=${cn}`,
    "-set_serial", "1", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    "-out", `${name}.cert.pem`]);
  derOf(dir, name);
}

function issue(dir: string, name: string, cn: string, algorithm: KeyAlgorithm, ca: string, ext: string, serial: number): void {
  newKey(dir, name, algorithm);
  openssl(dir, ["req", "-new", "-key", `${name}.key.pem`, "-subj", `/O=openadr-ven-esp32 tests/CN=${cn}`, "-out", `${name}.csr`]);
  writeFileSync(path.join(dir, `${name}.ext`), ext);
  openssl(dir, ["x509", "-req", "-in", `${name}.csr`, "-CA", `${ca}.cert.pem`, "-CAkey", `${ca}.key.pem`, "-set_serial", String(serial),
    "-days", "3650", "-sha256", "-extfile", `${name}.ext`, "-out", `${name}.cert.pem`]);
  derOf(dir, name);
}

const SERVER_EXT = "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n";
const CLIENT_EXT = "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n";

function generate(dir: string, server: KeyAlgorithm, client: KeyAlgorithm, vens: string[]): void {
  selfSignedCa(dir, "ca", "Test OpenADR CA", server);
  issue(dir, "vtn", "TEST_VTN", server, "ca", SERVER_EXT, 2);
  vens.forEach((name, i) => issue(dir, name, name, client, "ca", CLIENT_EXT, 10 + i));
  selfSignedCa(dir, "rogue-ca", "Rogue CA", server);
  issue(dir, "rogue-vtn", "ROGUE_VTN", server, "rogue-ca", SERVER_EXT, 3);
  writeFileSync(path.join(dir, "pki.json"), JSON.stringify({ server, client, vens }, null, 2));
  // Sanity: the chain verifies (a broken openssl config fails here, not in a TLS test).
  const ca = new X509Certificate(readFileSync(path.join(dir, "ca.cert.pem")));
  const vtn = new X509Certificate(readFileSync(path.join(dir, "vtn.cert.pem")));
  if (!vtn.verify(ca.publicKey)) throw new Error(`pki: VTN certificate does not verify against the CA in ${dir}`);
}

/** CLI: `tsx host-tests/peers/pki.ts <dir> [rsa|ecdsa]` writes a PKI for `vtn/main.ts --pki-dir`. */
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error("usage: tsx host-tests/peers/pki.ts <dir> [rsa|ecdsa]");
    process.exit(2);
  }
  const algorithm = (process.argv[3] ?? "rsa") as KeyAlgorithm;
  const pki = makePki({ dir: path.resolve(dir), server: algorithm, fresh: true });
  console.log(JSON.stringify({ dir: pki.dir, vtnFingerprint: pki.vtn.fingerprint, vens: Object.fromEntries(Object.values(pki.vens).map((v) => [v.name, v.fingerprint])) }, null, 2));
}
