// For the host tsconfig only: main.ts here imports modules/platform/moddable/text-globals, which
// imports the SDK's "text/decoder" and "text/encoder" (mcconfig has their typings; the host has not).
/// <reference path="../../node_modules/@moddable/typings/text/decoder.d.ts" />
/// <reference path="../../node_modules/@moddable/typings/text/encoder.d.ts" />
export {};
