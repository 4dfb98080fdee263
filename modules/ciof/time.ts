// ISO-8601 datetimes for CIOF: formatting with an explicit UTC offset (CIOF v2.2 "Local Time", sent as
// e.g. 2026-11-22T09:00:00.000+09:00) and strict parsing of what the terminal sends ("Z", an offset, or
// no offset = local time at the configured offset). No Intl, no RegExp, no Date.parse quirks.

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** Japan Standard Time, the default offset of the site's local time. */
export const JST_OFFSET_MINUTES = 540;

function pad2(n: number): string { return n < 10 ? "0" + n : "" + n; }
function pad3(n: number): string { return n < 10 ? "00" + n : n < 100 ? "0" + n : "" + n; }

/** `ms` (epoch) as local time at `offsetMinutes` east of UTC, with milliseconds and the offset. */
export function formatDateTime(ms: number, offsetMinutes: number = JST_OFFSET_MINUTES): string {
  if (!Number.isFinite(ms)) throw new RangeError("formatDateTime: time is not finite");
  const d = new Date(Math.round(ms) + offsetMinutes * MINUTE);
  const year = d.getUTCFullYear();
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return (year < 1000 ? ("000" + year).slice(-4) : "" + year) + "-" + pad2(d.getUTCMonth() + 1) + "-" + pad2(d.getUTCDate()) +
    "T" + pad2(d.getUTCHours()) + ":" + pad2(d.getUTCMinutes()) + ":" + pad2(d.getUTCSeconds()) + "." + pad3(d.getUTCMilliseconds()) +
    (abs === 0 && offsetMinutes === 0 ? "+00:00" : sign + pad2(Math.floor(abs / 60)) + ":" + pad2(abs % 60));
}

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff…]][Z|±HH:MM|±HHMM]` (a space is accepted for `T`).
 * Without a zone the time is local at `localOffsetMinutes`. Returns ms since epoch, or undefined.
 */
export function parseDateTime(s: unknown, localOffsetMinutes: number = JST_OFFSET_MINUTES): number | undefined {
  if (typeof s !== "string" || s.length < 10 || s.length > 40) return undefined;
  const year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || s[4] !== "-" || s[7] !== "-") return undefined;
  let hour = 0, minute = 0, second = 0, ms = 0, offset = localOffsetMinutes;
  let i = 10;
  if (i < s.length) {
    if (s[i] !== "T" && s[i] !== " ") return undefined;
    hour = digits(s, 11, 2); minute = digits(s, 14, 2);
    if (hour < 0 || hour > 24 || minute < 0 || minute > 59 || s[13] !== ":") return undefined;
    i = 16;
    if (s[i] === ":") {
      second = digits(s, 17, 2);
      if (second < 0 || second > 60) return undefined;
      i = 19;
      if (s[i] === "." || s[i] === ",") {
        i++;
        let scale = 100, count = 0;
        while (i < s.length) {
          const c = s.charCodeAt(i) - 48;
          if (!(c >= 0 && c <= 9)) break;
          ms += c * scale; scale /= 10; i++; count++;
        }
        if (count === 0) return undefined;
        ms = Math.floor(ms);
      }
    }
    if (i < s.length) {
      const z = s[i];
      if (z === "Z" || z === "z") { offset = 0; i++; }
      else if (z === "+" || z === "-") {
        const oh = digits(s, i + 1, 2);
        let om: number;
        let end: number;
        if (s[i + 3] === ":") { om = digits(s, i + 4, 2); end = i + 6; }
        else if (i + 3 === s.length) { om = 0; end = i + 3; }
        else { om = digits(s, i + 3, 2); end = i + 5; }
        if (oh < 0 || oh > 14 || om < 0 || om > 59) return undefined;
        offset = (z === "-" ? -1 : 1) * (oh * 60 + om);
        i = end;
      } else return undefined;
    }
    if (i !== s.length) return undefined;
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCDate() !== day) return undefined; // 2026-02-30 and the like
  return utc - offset * MINUTE;
}
