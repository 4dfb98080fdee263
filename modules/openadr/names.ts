// Namespace URIs and prefixes of OpenADR 2.0b, shared by the decoder (interned names for the XML
// reader) and the encoder (the fixed declarations on the signed object).

export const NS_OADR = "http://openadr.org/oadr-2.0b/2012/07";
export const NS_EI = "http://docs.oasis-open.org/ns/energyinterop/201110";
export const NS_PYLD = "http://docs.oasis-open.org/ns/energyinterop/201110/payloads";
export const NS_EMIX = "http://docs.oasis-open.org/ns/emix/2011/06";
export const NS_POWER = "http://docs.oasis-open.org/ns/emix/2011/06/power";
export const NS_SCALE = "http://docs.oasis-open.org/ns/emix/2011/06/siscale";
export const NS_XCAL = "urn:ietf:params:xml:ns:icalendar-2.0";
export const NS_STRM = "urn:ietf:params:xml:ns:icalendar-2.0:stream";
export const NS_DS = "http://www.w3.org/2000/09/xmldsig#";
export const NS_DSP = "http://openadr.org/oadr-2.0b/2012/07/xmldsig-properties";
/** 2.0a's namespace: recognised only to say "wrong namespace" instead of "wrong root". */
export const NS_OADR_20A = "http://openadr.org/oadr-2.0a/2012/07";

/**
 * Prefix → URI in the order inclusive C14N renders namespace declarations (sorted by prefix), so the
 * encoder's declarations on `oadr:oadrSignedObject` are already canonical.
 */
export const PREFIXES: readonly (readonly [string, string])[] = Object.freeze([
  Object.freeze(["ei", NS_EI] as const),
  Object.freeze(["emix", NS_EMIX] as const),
  Object.freeze(["oadr", NS_OADR] as const),
  Object.freeze(["power", NS_POWER] as const),
  Object.freeze(["pyld", NS_PYLD] as const),
  Object.freeze(["scale", NS_SCALE] as const),
  Object.freeze(["strm", NS_STRM] as const),
  Object.freeze(["xcal", NS_XCAL] as const),
]);

export const NAMESPACES = Object.freeze([NS_OADR, NS_EI, NS_PYLD, NS_EMIX, NS_POWER, NS_SCALE, NS_XCAL, NS_STRM, NS_DS, NS_DSP]);
