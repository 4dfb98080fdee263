// Host `preference`: Moddable's Preference over the engine's file-backed NVS model (Node side:
// host/preferences.ts). Types and errors as Moddable's esp32/modPreference.c: boolean, int32,
// string, ArrayBuffer; "float unsupported", "unsupported type", "nvs set fail" (limits, full store).
import { host, nativeBegin, nativeEnd } from "../xs/runtime";

type Value = string | boolean | number | ArrayBuffer;

function check(domain: unknown, key: unknown): [string, string] {
  return [String(domain), String(key)];
}

// Native functions on the device: each counts its own frame on the stack, nothing below it (nativeBegin).
const Preference = Object.freeze({
  set(domain: string, key: string, value: Value): void {
    nativeBegin();
    try { setValue(domain, key, value); } finally { nativeEnd(); }
  },
  get(domain: string, key: string): Value | undefined {
    nativeBegin();
    try { return getValue(domain, key); } finally { nativeEnd(); }
  },
  delete(domain: string, key: string): void {
    nativeBegin();
    try {
      const [d, k] = check(domain, key);
      host("pref.delete", { domain: d, key: k });
    } finally { nativeEnd(); }
  },
  keys(domain: string): string[] {
    nativeBegin();
    try { return host("pref.keys", { domain: String(domain) }); } finally { nativeEnd(); }
  },
});

function setValue(domain: string, key: string, value: Value): void {
  const [d, k] = check(domain, key);
  let type: string;
  let v: unknown = value;
  switch (typeof value) {
    case "boolean": type = "boolean"; break;
    case "number":
      if (value !== (value | 0)) throw new Error("float unsupported");
      type = "integer";
      break;
    case "string": type = "string"; break;
    default:
      if (value instanceof ArrayBuffer) { type = "buffer"; v = new Uint8Array(value.slice(0)); break; }
      throw new Error("unsupported type");
  }
  host("pref.set", { domain: d, key: k, type, value: v });
}

function getValue(domain: string, key: string): Value | undefined {
  const [d, k] = check(domain, key);
  const r = host("pref.get", { domain: d, key: k });
  if (r === null || r === undefined) return undefined;
  if (r.type === "buffer") { const b: Uint8Array = r.value; return b.slice().buffer as ArrayBuffer; }
  return r.value;
}

export default Preference;
