// Node side of the frame codec shared with xs/runtime.ts: JSON plus binary blobs.
// frame: u32 jsonLength, u32 blobCount, blobCount × (u32 offset, u32 length), JSON bytes, blob bytes;
// in JSON a blob is {"$u8": i} (Uint8Array, Buffer) or {"$ab": i} (ArrayBuffer).

export function encodeFrame(value: unknown): Buffer {
  const blobs: Uint8Array[] = [];
  const json = JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key]; // before toJSON (Buffer has one)
    if (raw instanceof Uint8Array) { blobs.push(raw); return { $u8: blobs.length - 1 }; }
    if (raw instanceof ArrayBuffer) { blobs.push(new Uint8Array(raw)); return { $ab: blobs.length - 1 }; }
    return v;
  }) ?? "null";
  const jsonBytes = Buffer.from(json, "utf8");
  const header = Buffer.alloc(8 + blobs.length * 8);
  header.writeUInt32LE(jsonBytes.length, 0);
  header.writeUInt32LE(blobs.length, 4);
  let offset = 0;
  blobs.forEach((b, i) => {
    header.writeUInt32LE(offset, 8 + i * 8);
    header.writeUInt32LE(b.byteLength, 12 + i * 8);
    offset += b.byteLength;
  });
  return Buffer.concat([header, jsonBytes, ...blobs]);
}

export function decodeFrame(frame: Buffer): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  const jsonLength = frame.readUInt32LE(0);
  const count = frame.readUInt32LE(4);
  const jsonStart = 8 + count * 8;
  const dataStart = jsonStart + jsonLength;
  const text = frame.toString("utf8", jsonStart, dataStart);
  if (count === 0) return JSON.parse(text);
  const blobs: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const offset = frame.readUInt32LE(8 + i * 8);
    const length = frame.readUInt32LE(12 + i * 8);
    // copy: the frame buffer belongs to the stream
    blobs.push(new Uint8Array(frame.subarray(dataStart + offset, dataStart + offset + length)));
  }
  return JSON.parse(text, (_k, v) => {
    if (v !== null && typeof v === "object") {
      if (typeof v.$u8 === "number") return blobs[v.$u8];
      if (typeof v.$ab === "number") return blobs[v.$ab].slice().buffer;
    }
    return v;
  });
}
