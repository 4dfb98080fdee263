// ISO-8601 date-times and durations as OpenADR 2.0b writes them ↔ numbers (ms since the epoch, ms).
// Pure arithmetic: no Date parsing of strings, no Intl, no RegExp. Leaves out: week dates, ordinal
// dates, reduced precision ("2026-11"), and calendar-exact years/months in durations (see below).
//
// Date-times: `[+-]YYYY[Y…]-MM-DDThh:mm:ss[.f…][Z|±hh:mm]`, any number of fractional digits (kept to
// the millisecond, truncated), "24:00:00" as the end of the day, surrounding XML whitespace ignored.
// A date-time without a zone (seen in the wild; the 2.0b XSD makes `Z` optional) is read as UTC.
// Durations: `[+-]P[nY][nM][nW][nD][T[nH][nM][nS]]` (weeks may combine with other units, as ISO
// 8601-2 allows), a decimal fraction on any component, and the bare `nW` the XSD pattern admits.
// Years and months have no fixed length: they count as 365 and 30 days (nominal), which is what a VEN
// needs for report back-durations and never appears in events.
//
// Units (MS_PER_*) and character codes (C_*) are literals with their name in a comment: on XS every
// module constant a function uses costs it a stack slot, and these parsers run under the XML reader.

// `code.call(s, i)`: a string's char code without boxing the string (on XS, `s.charCodeAt(i)` and
// `s.length` wrap the primitive in a String object, 64 bytes of garbage per access on a host). Past
// the end it is NaN, which every test below rejects, so the parsers scan forward and never need
// the length.
const code: (this: string, index: number) => number = String.prototype.charCodeAt;

/** Days from 1970-01-01 to the given proleptic Gregorian date (month 1–12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function isDigit(c: number): boolean {
  return c >= 48 /* C_0 */ && c <= 57 /* C_9 */; // false for NaN (past the end)
}

/** Reads exactly two digits at `i`; -1 when either is not a digit. */
function two(s: string, i: number): number {
  const a = code.call(s, i), b = code.call(s, i + 1);
  if (!isDigit(a) || !isDigit(b)) return -1;
  return (a - 48 /* C_0 */) * 10 + (b - 48 /* C_0 */);
}

/** True when nothing but XML whitespace follows index `i`. */
function atEnd(s: string, i: number): boolean {
  for (;;) {
    const c = code.call(s, i);
    if (c !== c) return true;
    if (!isSpace(c)) return false;
    i++;
  }
}

/**
 * Date-time text → ms since the epoch (UTC), or NaN when it is not a valid date-time.
 * The decoder uses this form (no exception per value); `parseDateTime` throws.
 */
export function dateTimeOrNaN(text: string): number {
  // leading whitespace inline, as in durationOrNaN
  let i = 0;
  let c = code.call(text, 0);
  while (c === 32 || c === 9 || c === 10 || c === 13) c = code.call(text, ++i);
  let sign = 1;
  if (c === 45 /* C_MINUS */ || c === 43 /* C_PLUS */) { if (c === 45 /* C_MINUS */) sign = -1; i++; }
  // year: four to nine digits
  let year = 0;
  let n = 0;
  for (;;) {
    c = code.call(text, i);
    if (!(c >= 48 && c <= 57)) break;
    year = year * 10 + (c - 48 /* C_0 */);
    i++; n++;
  }
  if (n < 4 || n > 9 || c !== 45 /* C_MINUS */) return NaN;
  year *= sign;
  const month = two(text, i + 1);
  if (month < 1 || month > 12 || code.call(text, i + 3) !== 45 /* C_MINUS */) return NaN;
  const day = two(text, i + 4);
  if (day < 1 || day > daysInMonth(year, month)) return NaN;
  c = code.call(text, i + 6);
  if (c !== 84 && c !== 116) return NaN; // T t
  const hour = two(text, i + 7);
  if (hour < 0 || hour > 24 || code.call(text, i + 9) !== 58 /* C_COLON */) return NaN;
  const minute = two(text, i + 10);
  if (minute < 0 || minute > 59 || code.call(text, i + 12) !== 58 /* C_COLON */) return NaN;
  const second = two(text, i + 13);
  if (second < 0 || second > 59) return NaN;
  i += 15;
  let ms = 0;
  c = code.call(text, i);
  if (c === 46 /* C_DOT */) {
    i++;
    let scale = 100;
    for (;;) {
      c = code.call(text, i);
      if (!(c >= 48 && c <= 57)) break;
      if (scale >= 1) ms += (c - 48 /* C_0 */) * scale; // digits past the millisecond are dropped (truncation)
      scale = scale / 10;
      i++;
    }
  }
  if (hour === 24 && (minute !== 0 || second !== 0 || ms !== 0)) return NaN;
  let offset = 0;
  if (c === 90 || c === 122) { // Z z
    i++;
  } else if (c === 43 /* C_PLUS */ || c === 45 /* C_MINUS */) {
    const oh = two(text, i + 1);
    const om = two(text, i + 4);
    if (oh < 0 || oh > 14 || code.call(text, i + 3) !== 58 /* C_COLON */ || om < 0 || om > 59) return NaN;
    offset = (oh * 60 + om) * (c === 45 /* C_MINUS */ ? -1 : 1);
    i += 6;
  }
  if (!atEnd(text, i)) return NaN;
  return daysFromCivil(year, month, day) * 86_400_000 /* MS_PER_DAY */ + hour * 3_600_000 /* MS_PER_HOUR */ + minute * 60_000 /* MS_PER_MINUTE */ +
    second * 1000 /* MS_PER_SECOND */ + ms - offset * 60_000 /* MS_PER_MINUTE */;
}

/** Date-time text → ms since the epoch (UTC). Throws RangeError on invalid text. */
export function parseDateTime(text: string): number {
  const v = dateTimeOrNaN(text);
  if (v !== v) throw new RangeError(`invalid date-time "${text}"`);
  return v;
}

function pad(value: number, width: number): string {
  let s = String(value);
  while (s.length < width) s = "0" + s;
  return s;
}

/**
 * ms since the epoch → `YYYY-MM-DDThh:mm:ss[.sss]Z` (milliseconds only when not zero), or with
 * `offsetMinutes` the local time at that offset with `±hh:mm` (e.g. 540 → `+09:00`; 0 → `+00:00`).
 */
export function formatDateTime(ms: number, offsetMinutes?: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`formatDateTime: not a finite time (${ms})`);
  const offset = offsetMinutes ?? 0;
  if (!Number.isInteger(offset) || offset < -14 * 60 || offset > 14 * 60) throw new RangeError(`formatDateTime: bad offset ${offsetMinutes}`);
  const t = Math.floor(ms) + offset * 60_000 /* MS_PER_MINUTE */;
  let days = Math.floor(t / 86_400_000 /* MS_PER_DAY */);
  let rest = t - days * 86_400_000 /* MS_PER_DAY */;
  // civil from days (H. Hinnant)
  days += 719468;
  const era = Math.floor(days / 146097);
  const doe = days - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(rest / 3_600_000 /* MS_PER_HOUR */); rest -= hour * 3_600_000 /* MS_PER_HOUR */;
  const minute = Math.floor(rest / 60_000 /* MS_PER_MINUTE */); rest -= minute * 60_000 /* MS_PER_MINUTE */;
  const second = Math.floor(rest / 1000 /* MS_PER_SECOND */); rest -= second * 1000 /* MS_PER_SECOND */;
  let out = (year < 0 ? "-" + pad(-year, 4) : year > 9999 ? "+" + String(year) : pad(year, 4)) +
    "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2);
  if (rest !== 0) out += "." + pad(rest, 3);
  if (offsetMinutes === undefined) return out + "Z";
  const a = offset < 0 ? -offset : offset;
  return out + (offset < 0 ? "-" : "+") + pad(Math.floor(a / 60), 2) + ":" + pad(a % 60, 2);
}

/**
 * Duration text → ms (negative for `-P…`), or NaN when it is not a valid duration.
 * The decoder uses this form; `parseDuration` throws.
 */
export function durationOrNaN(text: string): number {
  // leading whitespace skipped inline: a call here would stack two more frames (the function and
  // Function.prototype.call) at the bottom of the decoder's call chain, the firmware's deepest
  let i = 0;
  let c = code.call(text, 0);
  while (c === 32 || c === 9 || c === 10 || c === 13) c = code.call(text, ++i);
  let sign = 1;
  if (c === 45 /* C_MINUS */ || c === 43 /* C_PLUS */) { if (c === 45 /* C_MINUS */) sign = -1; i++; c = code.call(text, i); }
  const bare = (c >= 48 && c <= 57); // the XSD's "nW" alternative
  if (!bare) {
    if (c !== 80) return NaN; // P
    i++;
  }
  let total = 0;
  let inTime = false;
  let components = 0;
  let timeComponents = 0;
  let rank = 0; // order of designators: Y M W D | T H M S
  for (;;) {
    c = code.call(text, i);
    if (c !== c || c === 32 || c === 9 || c === 10 || c === 13) break;
    if (c === 84) { // T
      if (inTime || bare) return NaN;
      inTime = true;
      i++;
      c = code.call(text, i);
    }
    let whole = 0;
    let n = 0;
    while ((c >= 48 && c <= 57)) {
      whole = whole * 10 + (c - 48 /* C_0 */);
      i++; n++;
      c = code.call(text, i);
    }
    let fraction = 0;
    if (c === 46 /* C_DOT */ || c === 44 /* C_COMMA */) {
      i++;
      c = code.call(text, i);
      let scale = 0.1;
      let f = 0;
      while ((c >= 48 && c <= 57)) {
        fraction += (c - 48 /* C_0 */) * scale;
        scale /= 10;
        i++; f++;
        c = code.call(text, i);
      }
      if (f === 0) return NaN;
    }
    if (n === 0) return NaN;
    let unit = 0;
    let r = 0;
    if (!inTime) {
      if (c === 89) { unit = 31_536_000_000 /* MS_PER_YEAR */; r = 1; }        // Y
      else if (c === 77) { unit = 2_592_000_000 /* MS_PER_MONTH */; r = 2; }  // M
      else if (c === 87) { unit = 604_800_000 /* MS_PER_WEEK */; r = 3; }   // W
      else if (c === 68) { unit = 86_400_000 /* MS_PER_DAY */; r = 4; }    // D
    } else {
      if (c === 72) { unit = 3_600_000 /* MS_PER_HOUR */; r = 5; }        // H
      else if (c === 77) { unit = 60_000 /* MS_PER_MINUTE */; r = 6; } // M
      else if (c === 83) { unit = 1000 /* MS_PER_SECOND */; r = 7; } // S
    }
    if (unit === 0 || r <= rank || (bare && r !== 3)) return NaN;
    rank = r;
    total += (whole + fraction) * unit;
    components++;
    if (inTime) timeComponents++;
    i++;
  }
  // trailing whitespace, then the end (NaN past it), inline for the same reason as the leading
  c = code.call(text, i);
  while (c === 32 || c === 9 || c === 10 || c === 13) c = code.call(text, ++i);
  if (components === 0 || (inTime && timeComponents === 0) || c === c) return NaN;
  return total === 0 ? 0 : sign * Math.round(total);
}

/** Duration text → ms. Throws RangeError on invalid text. */
export function parseDuration(text: string): number {
  const v = durationOrNaN(text);
  if (v !== v) throw new RangeError(`invalid duration "${text}"`);
  return v;
}

/**
 * ms → canonical duration: `[-]P[nD][T[nH][nM][n[.fff]S]]`, `PT0S` for zero. Days are the largest
 * unit written (never weeks, months or years), so the text reads back to the same ms.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`formatDuration: not a finite duration (${ms})`);
  let rest = Math.round(ms < 0 ? -ms : ms);
  if (rest === 0) return "PT0S";
  let out = ms < 0 ? "-P" : "P";
  const days = Math.floor(rest / 86_400_000 /* MS_PER_DAY */); rest -= days * 86_400_000 /* MS_PER_DAY */;
  if (days > 0) out += String(days) + "D";
  if (rest === 0) return out;
  out += "T";
  const hours = Math.floor(rest / 3_600_000 /* MS_PER_HOUR */); rest -= hours * 3_600_000 /* MS_PER_HOUR */;
  const minutes = Math.floor(rest / 60_000 /* MS_PER_MINUTE */); rest -= minutes * 60_000 /* MS_PER_MINUTE */;
  const seconds = Math.floor(rest / 1000 /* MS_PER_SECOND */); rest -= seconds * 1000 /* MS_PER_SECOND */;
  if (hours > 0) out += String(hours) + "H";
  if (minutes > 0) out += String(minutes) + "M";
  if (seconds > 0 || rest > 0) {
    out += String(seconds);
    if (rest > 0) {
      let f = pad(rest, 3);
      while (f.charCodeAt(f.length - 1) === 48 /* C_0 */) f = f.slice(0, -1);
      out += "." + f;
    }
    out += "S";
  }
  return out;
}
