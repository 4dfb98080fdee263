// Moddable module typings for XS-side code checked by the host tsconfig (test entries, host modules).
// `http` is left out: @types/node declares an ambient "http" that wins over any other declaration,
// so XS-side code in host-tests imports the host `Request` from "../host-modules/http" instead.
/// <reference path="../../../node_modules/@moddable/typings/timer.d.ts" />
/// <reference path="../../../node_modules/@moddable/typings/time.d.ts" />
/// <reference path="../../../node_modules/@moddable/typings/preference.d.ts" />
/// <reference path="../../../node_modules/@moddable/typings/Resource.d.ts" />
/// <reference path="../../../node_modules/@moddable/typings/instrumentation.d.ts" />
/// <reference path="../../../node_modules/@moddable/typings/mc/config.d.ts" />
/// <reference path="../../../node_modules/@moddable/typings/embedded_io/_common.d.ts" />
/// <reference path="../../../node_modules/@moddable/typings/embedded_io/digital.d.ts" />
/// <reference path="../../../node_modules/@moddable/typings/embedded_io/analog.d.ts" />
declare module "securesocket" {
  const SecureSocket: unknown;
  export default SecureSocket;
}
