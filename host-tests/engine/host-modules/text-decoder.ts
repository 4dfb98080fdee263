// Host `text/decoder` (Moddable's TextDecoder module): xsnap has TextDecoder as a global; firmware that
// imports the module (modules/platform/moddable/text-globals.ts, via main.ts) gets that same class.
const TextDecoderClass = (globalThis as { TextDecoder?: unknown }).TextDecoder;
export default TextDecoderClass;
