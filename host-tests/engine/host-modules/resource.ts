// Host `Resource`: the bytes of resources registered by the test (XsHostOptions.resources or
// xs.resources.set). A Resource is returned as an ArrayBuffer (on the device a read-only host buffer).
import { host } from "../xs/runtime";

function Resource(path: string): ArrayBuffer {
  const bytes: Uint8Array | null = host("resource.get", { path: String(path) });
  if (!bytes) throw new Error(`Resource "${path}" not found`);
  return bytes.slice().buffer as ArrayBuffer;
}
Resource.exists = function exists(path: string): boolean {
  return host("resource.exists", { path: String(path) }) === true;
};

export default Resource as unknown as { new (path: string): ArrayBuffer; exists(path: string): boolean };
