// ISO-8601 durations on XS: hours/minutes/seconds, days, weeks (P1W and the XSD's bare 1W), nominal
// months and years, fractions, signs, whitespace; invalid forms → null; the canonical form reads back.
import test from "ava";
import fc from "fast-check";
import type { XsHost } from "../../engine/index.ts";
import { startCodec } from "./support.ts";

let xs: XsHost;
test.before(async () => { xs = await startCodec(); });
test.after.always(async () => { await xs?.close(); });

const S = 1000, M = 60 * S, H = 60 * M, D = 24 * H;
const CASES: [string, number | null][] = [
  ["PT1H30M", H + 30 * M], ["PT15M", 15 * M], ["PT0S", 0], ["PT10S", 10 * S], ["P1D", D], ["P1DT2H", D + 2 * H],
  ["-PT5M", -5 * M], ["+PT5M", 5 * M], ["PT0.5S", 500], ["PT1.25S", 1250], ["PT0,5S", 500], ["PT1.0005S", 1001],
  ["P1W", 7 * D], ["P2W", 14 * D], ["P1W2D", 9 * D], ["2W", 14 * D], ["P1M", 30 * D], ["P1Y", 365 * D], ["P1Y2M3DT4H5M6S", 365 * D + 60 * D + 3 * D + 4 * H + 5 * M + 6 * S],
  ["PT60M", H], ["PT3600S", H], ["PT1.5H", 90 * M], ["P0D", 0], ["-PT0S", 0], [" \n PT1H \t", H], ["PT24H", D],
  // invalid
  ["", null], ["P", null], ["PT", null], ["P1DT", null], ["1H", null], ["PT1X", null], ["P1H", null], ["PT1D", null],
  ["PT1M1H", null], ["P1D1Y", null], ["PT1.S", null], ["PT.5S", null], ["P-1D", null], ["--PT1H", null], ["PT1H 30M", null],
  ["pt1h", null], ["PT1H-", null], ["P1D1W", null],
];

test("parsing: edge cases and invalid forms", async (t) => {
  const got = await xs.call<(number | null)[]>("parseDurations", CASES.map((c) => c[0]));
  for (const [i, [text, expected]] of CASES.entries()) t.is(got[i], expected, JSON.stringify(text));
});

test("formatting is canonical: days, then T hours minutes seconds, fractions without trailing zeros", async (t) => {
  const got = await xs.call<string[]>("formatDurations", [0, H + 30 * M, 15 * M, D, D + 2 * H, -5 * M, 500, 1250, 7 * D, 90061001, -1]);
  t.deepEqual(got, ["PT0S", "PT1H30M", "PT15M", "P1D", "P1DT2H", "-PT5M", "PT0.5S", "PT1.25S", "P7D", "P1DT1H1M1.001S", "-PT0.001S"]);
});

test("format then parse is the identity (property)", async (t) => {
  const samples = fc.sample(fc.integer({ min: -400 * D, max: 400 * D }), { numRuns: 500, seed: 7 });
  const texts = await xs.call<string[]>("formatDurations", samples);
  t.deepEqual(await xs.call<(number | null)[]>("parseDurations", texts), samples);
});
