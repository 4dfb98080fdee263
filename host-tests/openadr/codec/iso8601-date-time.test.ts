// ISO-8601 date-times on XS: any number of fractional digits, Z / ±hh:mm / no zone, whitespace,
// leap years, 24:00, signed and long years, invalid forms → null; formatting canonical and with an
// offset; format → parse is the identity (fast-check over ±10,000 years).
import test from "ava";
import fc from "fast-check";
import type { XsHost } from "../../engine/index.ts";
import { startCodec } from "./support.ts";

let xs: XsHost;
test.before(async () => { xs = await startCodec(); });
test.after.always(async () => { await xs?.close(); });

const U = Date.UTC;
const CASES: [string, number | null][] = [
  ["2026-11-22T02:09:00.000000Z", U(2026, 10, 22, 2, 9, 0)],
  ["2026-11-22T02:08:35.911493Z", U(2026, 10, 22, 2, 8, 35, 911)],
  ["2026-11-22T02:08:35.9999999Z", U(2026, 10, 22, 2, 8, 35, 999)],
  ["2026-11-22T02:08:35.5Z", U(2026, 10, 22, 2, 8, 35, 500)],
  ["2026-11-22T02:08:35.Z", U(2026, 10, 22, 2, 8, 35)],
  ["2026-11-22T02:08:35Z", U(2026, 10, 22, 2, 8, 35)],
  ["2026-11-22T02:08:35", U(2026, 10, 22, 2, 8, 35)],
  ["2026-11-22t02:08:35z", U(2026, 10, 22, 2, 8, 35)],
  ["2026-11-22T11:08:35+09:00", U(2026, 10, 22, 2, 8, 35)],
  ["2026-11-21T20:38:35.250-05:30", U(2026, 10, 22, 2, 8, 35, 250)],
  ["2026-11-22T02:08:35+00:00", U(2026, 10, 22, 2, 8, 35)],
  ["2026-11-22T02:08:35-00:00", U(2026, 10, 22, 2, 8, 35)],
  ["\n\t 2001-12-17T09:30:47.000Z \n\t", U(2001, 11, 17, 9, 30, 47)],
  ["2024-02-29T00:00:00Z", U(2024, 1, 29)],
  ["2000-02-29T00:00:00Z", U(2000, 1, 29)],
  ["2026-12-31T24:00:00Z", U(2027, 0, 1)],
  ["1970-01-01T00:00:00Z", 0],
  ["1969-12-31T23:59:59.999Z", -1],
  ["0001-01-01T00:00:00Z", -62135596800000],
  ["-0001-01-01T00:00:00Z", -62198755200000],
  ["12026-01-01T00:00:00Z", 317336745600000],
  // invalid
  ["", null], ["   ", null], ["2026-11-22", null], ["2026-11-22T02:08Z", null], ["26-11-22T02:08:35Z", null],
  ["2026-13-01T00:00:00Z", null], ["2026-00-01T00:00:00Z", null], ["2026-02-29T00:00:00Z", null], ["1900-02-29T00:00:00Z", null],
  ["2026-04-31T00:00:00Z", null], ["2026-11-22T25:00:00Z", null], ["2026-11-22T24:00:01Z", null], ["2026-11-22T12:60:00Z", null],
  ["2026-11-22T12:00:60Z", null], ["2026-11-22 12:00:00Z", null], ["2026-11-22T12:00:00ZZ", null], ["2026-11-22T12:00:00+0900", null],
  ["2026-11-22T12:00:00+15:00", null], ["2026-11-22T12:00:00 x", null], ["2026/11/22T12:00:00Z", null], ["2026-11-22T1:00:00Z", null],
];

test("parsing: edge cases and invalid forms", async (t) => {
  const got = await xs.call<(number | null)[]>("parseDateTimes", CASES.map((c) => c[0]));
  for (const [i, [text, expected]] of CASES.entries()) t.is(got[i], expected, JSON.stringify(text));
});

test("formatting: canonical UTC, milliseconds only when present, and with an offset", async (t) => {
  const got = await xs.call<string[]>("formatDateTimes", [
    [U(2026, 10, 22, 2, 9, 0), null], [U(2026, 10, 22, 2, 8, 35, 911), null], [U(2026, 10, 22, 2, 8, 35, 5), null],
    [U(2026, 10, 22, 2, 8, 35), 540], [U(2026, 10, 22, 2, 8, 35), 0], [U(2026, 10, 22, 2, 8, 35, 250), -330], [-1, null],
    [-62198755200000, null], [317336745600000, null],
  ]);
  t.deepEqual(got, [
    "2026-11-22T02:09:00Z", "2026-11-22T02:08:35.911Z", "2026-11-22T02:08:35.005Z",
    "2026-11-22T11:08:35+09:00", "2026-11-22T02:08:35+00:00", "2026-11-21T20:38:35.250-05:30", "1969-12-31T23:59:59.999Z",
    "-0001-01-01T00:00:00Z", "+12026-01-01T00:00:00Z",
  ]);
});

test("format then parse is the identity (property, ±10,000 years, with and without offsets)", async (t) => {
  const samples = fc.sample(fc.tuple(fc.integer({ min: -377_705_116_800_000, max: 253_402_300_799_999 }), fc.option(fc.integer({ min: -840, max: 840 }), { nil: null })), { numRuns: 400, seed: 20261122 });
  const texts = await xs.call<string[]>("formatDateTimes", samples);
  const back = await xs.call<(number | null)[]>("parseDateTimes", texts);
  t.deepEqual(back, samples.map(([ms]) => ms));
  // and Node's Date agrees on the UTC texts it can read (years 0…9999)
  for (const [i, [ms, offset]] of samples.entries()) {
    if (offset === null && ms >= -62167219200000 && ms <= 253402300799999) t.is(Date.parse(texts[i]), ms, texts[i]);
  }
});
