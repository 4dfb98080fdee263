// Server certificates for the TLS fault rows, issued next to a test PKI (host-tests/peers/pki.ts) with
// the openssl CLI: one signed by the right CA but expired, one for another host name, and a second
// valid VTN certificate (right CA, right host: only a fingerprint pin tells it apart). The client-CA
// fault uses the PKI's rogue CA. Cached in the PKI's directory. Node only.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { openadrFingerprint, type Pki } from "../peers/pki.ts";

export interface Identity { certPem: string; keyPem: string; fingerprint: string }

export interface FaultPki {
  expired: Identity;
  wrongHost: Identity;
  /** Right CA and host, another key: what a pinned VEN must refuse. */
  otherVtn: Identity;
  /** A CA that did not issue the VEN's client certificate (the VTN then rejects the client). */
  foreignClientCaPem: string;
}

const SERVER_EXT = (san: string) => `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`;

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
}

/** `openssl ca` with explicit start and end dates (OpenSSL 3.0's x509 -req cannot backdate). */
function issue(caDir: string, dir: string, name: string, cn: string, san: string, dates?: { start: string; end: string }): Identity {
  const cert = path.join(dir, `${name}.cert.pem`);
  const key = path.join(dir, `${name}.key.pem`);
  if (!existsSync(cert)) {
    openssl(dir, ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", `${name}.key.pem`]);
    openssl(dir, ["req", "-new", "-key", `${name}.key.pem`, "-subj", `/O=openadr-ven-esp32 tests/CN=${cn}`, "-out", `${name}.csr`]);
    const db = path.join(dir, `${name}-db`);
    mkdirSync(db, { recursive: true });
    writeFileSync(path.join(db, "index.txt"), "");
    writeFileSync(path.join(db, "serial"), "1000\n");
    writeFileSync(path.join(dir, `${name}.ext`), SERVER_EXT(san));
    writeFileSync(path.join(dir, `${name}.cnf`), [
      "[ca]", "default_ca = test", "[test]", `dir = ${db}`, "database = $dir/index.txt", "new_certs_dir = $dir", "serial = $dir/serial",
      `certificate = ${path.join(caDir, "ca.cert.pem")}`, `private_key = ${path.join(caDir, "ca.key.pem")}`,
      "default_md = sha256", "policy = any", "email_in_dn = no", "unique_subject = no", "copy_extensions = none",
      "[any]", "O = optional", "CN = supplied", "",
    ].join("\n"));
    const validity = dates ? ["-startdate", dates.start, "-enddate", dates.end] : ["-days", "3650"];
    openssl(dir, ["ca", "-batch", "-config", `${name}.cnf`, "-in", `${name}.csr`, "-out", `${name}.cert.pem`, "-notext",
      "-extfile", `${name}.ext`, ...validity]);
  }
  const certPem = readFileSync(cert, "utf8");
  const der = Buffer.from(certPem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
  return { certPem, keyPem: readFileSync(key, "utf8"), fingerprint: openadrFingerprint(new Uint8Array(der)) };
}

const memo = new Map<string, FaultPki>();

export function faultPki(pki: Pki): FaultPki {
  const cached = memo.get(pki.dir);
  if (cached) return cached;
  const dir = path.join(pki.dir, "faults");
  mkdirSync(dir, { recursive: true });
  const out: FaultPki = {
    expired: issue(pki.dir, dir, "expired-vtn", "TEST_VTN", "IP:127.0.0.1,DNS:localhost", { start: "20200101000000Z", end: "20210101000000Z" }),
    wrongHost: issue(pki.dir, dir, "wronghost-vtn", "vtn.example.org", "DNS:vtn.example.org"),
    otherVtn: issue(pki.dir, dir, "other-vtn", "TEST_VTN", "IP:127.0.0.1,DNS:localhost"),
    foreignClientCaPem: readFileSync(path.join(pki.dir, "rogue-ca.cert.pem"), "utf8"),
  };
  memo.set(pki.dir, out);
  return out;
}
