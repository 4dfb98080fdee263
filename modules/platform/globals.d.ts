// Globals every firmware module may use, on the device and in the XS host engine alike: UTF-8
// TextDecoder/TextEncoder (xsnap has them built in; on Moddable, moddable/text-globals.ts installs them).
// Listed in the manifest's typescript "types" so mcconfig's tsc sees them; tsconfig.json includes it.
declare global {
  interface TextDecodeOptions { stream?: boolean }
  interface TextDecoderOptions { fatal?: boolean; ignoreBOM?: boolean }
  interface TextDecoder {
    readonly encoding: string;
    readonly fatal: boolean;
    readonly ignoreBOM: boolean;
    decode(input?: Uint8Array | ArrayBufferLike, options?: TextDecodeOptions): string;
  }
  var TextDecoder: { prototype: TextDecoder; new (label?: "utf-8", options?: TextDecoderOptions): TextDecoder };
  interface TextEncoderEncodeIntoResult { read: number; written: number }
  interface TextEncoder {
    encode(input?: string): Uint8Array;
    encodeInto(source: string, destination: Uint8Array): TextEncoderEncodeIntoResult;
  }
  var TextEncoder: { prototype: TextEncoder; new (): TextEncoder };
}
export {};
