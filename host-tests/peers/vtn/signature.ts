// XML signatures on the Node side, written apart from the firmware's (it shares none of its code): a
// DOM over saxes, inclusive Canonical XML 1.0 of an element subtree done the textbook way (namespace
// nodes in scope on the apex, then only changes), node:crypto for SHA-256 and RSA-SHA256. Used by the
// VTN simulator (verify what a VEN sends when signatures are required; sign what it answers) and by
// tests as an independent verifier. Allocation-heavy on purpose; not for firmware.
// Leaves out: what OpenADR does not use (other algorithms, XPath transforms, KeyInfo other than one
// X509Certificate).
import { createHash, randomBytes, sign as rsaSign, verify as rsaVerify, X509Certificate } from "node:crypto";
import { SaxesParser } from "saxes";

export const DS = "http://www.w3.org/2000/09/xmldsig#";
export const DSP = "http://openadr.org/oadr-2.0b/2012/07/xmldsig-properties";
export const OADR = "http://openadr.org/oadr-2.0b/2012/07";
const XML_NS = "http://www.w3.org/XML/1998/namespace";
const C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
const RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";

type Child = DomElement | { text: string } | { pi: string; data: string };

export interface DomElement {
  name: string;
  prefix: string;
  local: string;
  uri: string;
  /** Own namespace declarations: prefix ("" = default) → URI. */
  declarations: Map<string, string>;
  /** Other attributes. */
  attributes: { name: string; prefix: string; local: string; uri: string; value: string }[];
  children: Child[];
  parent?: DomElement;
}

/** Parses a whole document into its root element (comments dropped, CDATA as text). */
export function parseDom(xml: string): DomElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: DomElement[] = [];
  let root: DomElement | undefined;
  let failure: Error | undefined;
  parser.on("error", (e) => { failure ??= e; });
  parser.on("opentag", (tag) => {
    const element: DomElement = { name: tag.name, prefix: tag.prefix, local: tag.local, uri: tag.uri, declarations: new Map(), attributes: [], children: [], parent: stack[stack.length - 1] };
    for (const a of Object.values(tag.attributes)) {
      if (a.name === "xmlns") element.declarations.set("", a.value);
      else if (a.prefix === "xmlns") element.declarations.set(a.local, a.value);
      else element.attributes.push({ name: a.name, prefix: a.prefix, local: a.local, uri: a.uri, value: a.value });
    }
    if (element.parent) element.parent.children.push(element);
    else root ??= element;
    stack.push(element);
  });
  const text = (t: string) => { const top = stack[stack.length - 1]; if (top) top.children.push({ text: t }); };
  parser.on("text", text);
  parser.on("cdata", text);
  parser.on("processinginstruction", (pi) => { const top = stack[stack.length - 1]; if (top) top.children.push({ pi: pi.target, data: pi.body }); });
  parser.on("closetag", () => { stack.pop(); });
  parser.write(xml).close();
  if (failure) throw failure;
  if (!root) throw new Error("no root element");
  return root;
}

/** Namespaces in scope on an element: prefix → URI (innermost wins; "" default, possibly undeclared as ""). */
function inScope(element: DomElement): Map<string, string> {
  const chain: DomElement[] = [];
  for (let e: DomElement | undefined = element; e; e = e.parent) chain.unshift(e);
  const scope = new Map<string, string>();
  for (const e of chain) for (const [p, u] of e.declarations) scope.set(p, u);
  return scope;
}

const escapeText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#xD;");
const escapeAttr = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;").replace(/\t/g, "&#x9;").replace(/\n/g, "&#xA;").replace(/\r/g, "&#xD;");
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Inclusive C14N 1.0 (without comments) of the subtree rooted at `element`, as a document subset apex. */
export function canonicalize(element: DomElement): string {
  const out: string[] = [];
  const walk = (e: DomElement, parentScope: Map<string, string> | undefined): void => {
    const scope = inScope(e);
    const rendered: [string, string][] = [];
    for (const [p, u] of scope) {
      if (p === "xml") continue;
      if (parentScope === undefined) {
        if (u !== "") rendered.push([p, u]);
      } else if ((parentScope.get(p) ?? "") !== u) rendered.push([p, u]);
    }
    rendered.sort((a, b) => byCodePoint(a[0], b[0]));
    const attributes = e.attributes.map((a) => ({ uri: a.uri ?? "", local: a.local, name: a.name, value: a.value }));
    if (parentScope === undefined) {
      // the apex carries its ancestors' xml:* attributes
      const own = new Set(attributes.filter((a) => a.uri === XML_NS).map((a) => a.local));
      for (let p = e.parent; p; p = p.parent) {
        for (const a of p.attributes) {
          if (a.uri === XML_NS && !own.has(a.local)) {
            own.add(a.local);
            attributes.push({ uri: XML_NS, local: a.local, name: a.name, value: a.value });
          }
        }
      }
    }
    attributes.sort((a, b) => byCodePoint(a.uri, b.uri) || byCodePoint(a.local, b.local));
    out.push("<", e.name);
    for (const [p, u] of rendered) out.push(p === "" ? " xmlns=\"" : ` xmlns:${p}="`, escapeAttr(u), "\"");
    for (const a of attributes) out.push(" ", a.name, "=\"", escapeAttr(a.value), "\"");
    out.push(">");
    for (const c of e.children) {
      if ("text" in c) out.push(escapeText(c.text));
      else if ("pi" in c) out.push("<?", c.pi, c.data ? " " + c.data : "", "?>");
      else walk(c, scope);
    }
    out.push("</", e.name, ">");
  };
  walk(element, undefined);
  return out.join("");
}

function descendants(e: DomElement, out: DomElement[] = []): DomElement[] {
  for (const c of e.children) if ("name" in c) { out.push(c); descendants(c, out); }
  return out;
}

const textOf = (e: DomElement | undefined): string => (e ? e.children.map((c) => ("text" in c ? c.text : "")).join("") : "");
const childNamed = (e: DomElement | undefined, uri: string, local: string): DomElement | undefined =>
  e?.children.find((c): c is DomElement => "name" in c && c.uri === uri && c.local === local);

/** OpenADR fingerprint of a DER certificate. */
export function fingerprint(der: Uint8Array): string {
  const digest = createHash("sha256").update(der).digest();
  return Array.from(digest.subarray(22), (b) => b.toString(16).toUpperCase().padStart(2, "0")).join(":");
}

export interface NodeVerifyResult { valid: boolean; reason?: string; fingerprint?: string; timestamp?: number; nonce?: string }

/**
 * Verifies an OpenADR payload's enveloped signature as a signing VTN does: fingerprint of the KeyInfo
 * certificate (when `expected` is given), each Reference's digest, RSA-SHA256 over SignedInfo, the
 * ReplayProtect window against `now` (`maxAgeMs`, default 5 s).
 */
export function verifyPayload(xml: string, options: { fingerprint?: string; now?: number; maxAgeMs?: number } = {}): NodeVerifyResult {
  let root: DomElement;
  try {
    root = parseDom(xml);
  } catch (error) {
    return { valid: false, reason: `not well-formed: ${(error as Error).message}` };
  }
  const signature = childNamed(root, DS, "Signature");
  if (!signature) return { valid: false, reason: "unsigned" };
  const info = childNamed(signature, DS, "SignedInfo");
  if (!info) return { valid: false, reason: "no SignedInfo" };
  if (childNamed(info, DS, "CanonicalizationMethod")?.attributes.find((a) => a.local === "Algorithm")?.value !== C14N) return { valid: false, reason: "CanonicalizationMethod" };
  if (childNamed(info, DS, "SignatureMethod")?.attributes.find((a) => a.local === "Algorithm")?.value !== RSA_SHA256) return { valid: false, reason: "SignatureMethod" };
  const certText = textOf(childNamed(childNamed(childNamed(signature, DS, "KeyInfo"), DS, "X509Data"), DS, "X509Certificate"));
  if (!certText) return { valid: false, reason: "no certificate" };
  const der = Buffer.from(certText.replace(/\s+/g, ""), "base64");
  const result: NodeVerifyResult = { valid: false, fingerprint: fingerprint(der) };
  if (options.fingerprint && result.fingerprint !== options.fingerprint) return { ...result, reason: "fingerprint mismatch" };
  const all = [root, ...descendants(root)];
  let replayCovered = false;
  for (const reference of info.children.filter((c): c is DomElement => "name" in c && c.local === "Reference")) {
    const uri = reference.attributes.find((a) => a.local === "URI")?.value ?? "";
    const targets = all.filter((e) => e.attributes.some((a) => /^(Id|ID|id)$/.test(a.local) && a.value === uri.slice(1)));
    if (!uri.startsWith("#") || targets.length !== 1) return { ...result, reason: `reference ${uri} resolves to ${targets.length} elements` };
    const transforms = descendants(reference).filter((e) => e.local === "Transform").map((e) => e.attributes.find((a) => a.local === "Algorithm")?.value);
    if (transforms.some((t) => t !== C14N)) return { ...result, reason: "Transform" };
    if (childNamed(reference, DS, "DigestMethod")?.attributes.find((a) => a.local === "Algorithm")?.value !== SHA256) return { ...result, reason: "DigestMethod" };
    const digest = createHash("sha256").update(canonicalize(targets[0]), "utf8").digest("base64");
    if (digest !== textOf(childNamed(reference, DS, "DigestValue")).trim()) return { ...result, reason: `digest mismatch for ${uri}` };
    if (descendants(targets[0]).some((e) => e.uri === DSP && e.local === "ReplayProtect")) replayCovered = true;
  }
  const value = Buffer.from(textOf(childNamed(signature, DS, "SignatureValue")).replace(/\s+/g, ""), "base64");
  const publicKey = new X509Certificate(der).publicKey;
  if (!rsaVerify("sha256", Buffer.from(canonicalize(info), "utf8"), publicKey, value)) return { ...result, reason: "bad signature" };
  if (!replayCovered) return { ...result, reason: "ReplayProtect not signed" };
  const replay = descendants(signature).find((e) => e.uri === DSP && e.local === "ReplayProtect");
  const timestamp = Date.parse(textOf(childNamed(replay, DSP, "timestamp")).trim().replace(/\.(\d{3})\d*Z$/, ".$1Z"));
  const nonce = textOf(childNamed(replay, DSP, "nonce")).trim();
  if (Number.isNaN(timestamp) || !nonce) return { ...result, reason: "ReplayProtect malformed" };
  if (options.now !== undefined && options.now - timestamp > (options.maxAgeMs ?? 5000)) return { ...result, timestamp, nonce, reason: "stale" };
  return { ...result, valid: true, timestamp, nonce };
}

/**
 * Signs an unsigned OpenADR payload (`<?xml…?>` optional, oadrPayload > oadrSignedObject) as OpenLEADR
 * does: a ds:Signature before the signed object, References #oadrSignedObject and #prop (ReplayProtect).
 */
export function signPayload(xml: string, keyPem: string, certPem: string, now: number): string {
  const root = parseDom(xml);
  const object = childNamed(root, OADR, "oadrSignedObject");
  if (!object) throw new Error("signPayload: no oadrSignedObject");
  const objectDigest = createHash("sha256").update(canonicalize(object), "utf8").digest("base64");
  const timestamp = new Date(now).toISOString().replace(/Z$/, "000Z");
  const nonce = randomBytes(16).toString("hex");
  const objectXml = `<ds:Object Id="prop"><ds:SignatureProperties><ds:SignatureProperty Id="myid" Target="#mytarget"><dsp:ReplayProtect xmlns:dsp="${DSP}"><dsp:timestamp>${timestamp}</dsp:timestamp><dsp:nonce>${nonce}</dsp:nonce></dsp:ReplayProtect></ds:SignatureProperty></ds:SignatureProperties></ds:Object>`;
  const reference = (uri: string, digest: string) =>
    `<ds:Reference URI="${uri}"><ds:Transforms><ds:Transform Algorithm="${C14N}"/></ds:Transforms><ds:DigestMethod Algorithm="${SHA256}"/><ds:DigestValue>${digest}</ds:DigestValue></ds:Reference>`;
  // canonical forms are taken from a parsed draft of the Signature placed where it will sit
  const draftInfo = (propDigest: string) => `<ds:SignedInfo><ds:CanonicalizationMethod Algorithm="${C14N}"/><ds:SignatureMethod Algorithm="${RSA_SHA256}"/>${reference("#oadrSignedObject", objectDigest)}${reference("#prop", propDigest)}</ds:SignedInfo>`;
  const open = `<ds:Signature xmlns:ds="${DS}">`;
  const inPayload = (signature: string) => {
    const at = xml.indexOf("<oadr:oadrSignedObject");
    if (at < 0) throw new Error("signPayload: the signed object must be written oadr:oadrSignedObject");
    return xml.slice(0, at) + signature + xml.slice(at);
  };
  const draft1 = parseDom(inPayload(`${open}${draftInfo("")}${objectXml}</ds:Signature>`));
  const propDigest = createHash("sha256").update(canonicalize(childNamed(childNamed(draft1, DS, "Signature"), DS, "Object")!), "utf8").digest("base64");
  const infoXml = draftInfo(propDigest);
  const draft2 = parseDom(inPayload(`${open}${infoXml}${objectXml}</ds:Signature>`));
  const value = rsaSign("sha256", Buffer.from(canonicalize(childNamed(childNamed(draft2, DS, "Signature"), DS, "SignedInfo")!), "utf8"), keyPem).toString("base64");
  const cert = new X509Certificate(certPem).raw.toString("base64");
  return inPayload(`${open}${infoXml}<ds:SignatureValue>${value}</ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>${objectXml}</ds:Signature>`);
}
