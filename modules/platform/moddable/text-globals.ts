// Installs Moddable's TextDecoder and TextEncoder (modules, not globals, in the SDK) as globals, so
// firmware modules see the same globals as in the XS host engine (xsnap has both). main.ts imports it
// first. Only the constructors are installed; nothing is constructed here, so it is safe to preload.
import TextDecoder from "text/decoder";
import TextEncoder from "text/encoder";

const g = globalThis as Record<string, unknown>;
g.TextDecoder ??= TextDecoder;
g.TextEncoder ??= TextEncoder;

export {};
