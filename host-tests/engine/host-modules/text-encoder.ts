// Host `text/encoder` (Moddable's TextEncoder module): xsnap's global TextEncoder, as for text/decoder.
const TextEncoderClass = (globalThis as { TextEncoder?: unknown }).TextEncoder;
export default TextEncoderClass;
