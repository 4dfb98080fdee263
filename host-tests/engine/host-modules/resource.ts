// Host `Resource`: the bytes of resources registered by the test (XsHostOptions.resources or
// xs.resources.set). A Resource is returned as an ArrayBuffer (on the device a read-only host buffer).
// The resources registered when the bundle loads are read then, so they sit in the memory that exists
// before the firmware runs (the fixed heap's baseline), as a device's resources sit in flash: reading
// one costs the firmware no heap, as on the device (the set is the one at boot, as a flash image is; one
// added later is copied into the heap when read).
// Callers must treat the bytes as read-only (they are on the device).
import { host } from "../xs/runtime";

const loaded = new Map<string, ArrayBuffer>();
{
  const all: Record<string, Uint8Array> = host("resource.all") ?? {};
  for (const [path, bytes] of Object.entries(all)) loaded.set(path, bytes.slice().buffer as ArrayBuffer);
}

function Resource(path: string): ArrayBuffer {
  const key = String(path);
  const early = loaded.get(key);
  if (early) return early;
  const bytes: Uint8Array | null = host("resource.get", { path: key });
  if (!bytes) throw new Error(`Resource "${path}" not found`);
  return bytes.slice().buffer as ArrayBuffer;
}
Resource.exists = function exists(path: string): boolean {
  return loaded.has(String(path)) || host("resource.exists", { path: String(path) }) === true;
};

export default Resource as unknown as { new (path: string): ArrayBuffer; exists(path: string): boolean };
