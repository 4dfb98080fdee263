// Checks a BoardDefinition before anything is built from it: pin numbers valid for the chip, no pin
// used twice, relays and LED off the ESP32 strapping pins (0, 2, 5, 12, 15), the flash pins (6–11) and
// the input-only pins (34–39), analog inputs on ADC1 (GPIO32–39; ADC2 fails while Wi-Fi runs), bias
// inside the ADC's usable window, whole mains cycles per window. Also derives each CT's measuring range
// (clip current, amps per code). main.ts calls assertBoard() at boot; tests run it on every board file.

import type { BoardDefinition, CtChannelConfig } from "./board";

export interface BoardIssue {
  readonly severity: "error" | "warning";
  /** Where in the definition, e.g. "relays[1].pin". */
  readonly path: string;
  readonly message: string;
}

interface ChipRules {
  readonly validPins: (pin: number) => boolean;
  /** Pins that must not drive a relay or LED, with the reason. */
  readonly noOutput: Readonly<Record<number, string>>;
  readonly analogPins: readonly number[] | undefined;
}

const ESP32_NO_OUTPUT: Readonly<Record<number, string>> = Object.freeze({
  0: "strapping pin (boot mode)", 2: "strapping pin (boot mode)", 5: "strapping pin (SDIO timing)",
  12: "strapping pin (flash voltage)", 15: "strapping pin (boot log)",
  6: "SPI flash", 7: "SPI flash", 8: "SPI flash", 9: "SPI flash", 10: "SPI flash", 11: "SPI flash",
  34: "input only", 35: "input only", 36: "input only", 37: "input only", 38: "input only", 39: "input only",
});

const ESP32_PINS: ReadonlySet<number> = new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 23, 25, 26, 27, 32, 33, 34, 35, 36, 37, 38, 39]);

const RULES: Readonly<Record<BoardDefinition["chip"], ChipRules>> = Object.freeze({
  esp32: Object.freeze({
    validPins: (pin: number) => ESP32_PINS.has(pin),
    noOutput: ESP32_NO_OUTPUT,
    analogPins: Object.freeze([32, 33, 34, 35, 36, 37, 38, 39]),
  }),
  sim: Object.freeze({
    validPins: (pin: number) => Number.isInteger(pin) && pin >= 0 && pin < 256,
    noOutput: Object.freeze({}),
    analogPins: undefined,
  }),
});

/** Measuring range of a CT channel on this board's ADC. */
export interface CtRange {
  /** Largest RMS current (sinusoidal) before the ADC clips. */
  readonly clipAmps: number;
  /** Amps per ADC code (quantisation step at the primary). */
  readonly ampsPerCode: number;
  /** ICAL = turns / burden. */
  readonly ical: number;
}

export function ctRange(board: BoardDefinition, ct: CtChannelConfig): CtRange {
  const { adc } = board;
  const ical = (ct.turns / ct.burdenOhms) * (ct.gainTrim ?? 1);
  const headroom = Math.min(ct.biasVolts - adc.minVolts, adc.maxVolts - ct.biasVolts);
  return {
    clipAmps: (Math.max(0, headroom) / Math.SQRT2) * ical,
    ampsPerCode: (adc.referenceVolts / 2 ** adc.resolution) * ical,
    ical,
  };
}

export function checkBoard(board: BoardDefinition): BoardIssue[] {
  const issues: BoardIssue[] = [];
  const error = (path: string, message: string) => issues.push({ severity: "error", path, message });
  const warn = (path: string, message: string) => issues.push({ severity: "warning", path, message });
  const rules = RULES[board.chip];
  if (!rules) {
    error("chip", `unknown chip "${board.chip}"`);
    return issues;
  }
  if (!board.name) error("name", "name is required");
  const used = new Map<number, string>();
  const pin = (path: string, value: number, output: boolean, analog: boolean) => {
    if (!Number.isInteger(value) || !rules.validPins(value)) {
      error(path, `GPIO${value} does not exist on ${board.chip}`);
      return;
    }
    const other = used.get(value);
    if (other) error(path, `GPIO${value} already used by ${other}`);
    used.set(value, path);
    const reason = rules.noOutput[value];
    if (output && reason) error(path, `GPIO${value} cannot drive an output: ${reason}`);
    if (analog && rules.analogPins && !rules.analogPins.includes(value)) error(path, `GPIO${value} is not an ADC1 pin (GPIO32–39); ADC2 fails while Wi-Fi runs`);
  };

  const ids = new Set<string>();
  board.relays.forEach((r, i) => {
    const at = `relays[${i}]`;
    if (!r.id) error(`${at}.id`, "id is required");
    else if (ids.has(r.id)) error(`${at}.id`, `duplicate relay id "${r.id}"`);
    ids.add(r.id);
    pin(`${at}.pin`, r.pin, true, false);
    if (typeof r.activeLow !== "boolean") error(`${at}.activeLow`, "activeLow must be true or false");
    if (r.loadWhenDeenergized !== "on" && r.loadWhenDeenergized !== "off") error(`${at}.loadWhenDeenergized`, `must be "on" or "off"`);
    else if (r.loadWhenDeenergized === "off") warn(`${at}.loadWhenDeenergized`, "load on the normally-open contact: a dead controller leaves it off (not fail-normal)");
  });
  if (board.button) {
    pin("button.pin", board.button.pin, false, false);
    if (board.button.activeLevel !== 0 && board.button.activeLevel !== 1) error("button.activeLevel", "must be 0 or 1");
    if (board.button.pull === "none") warn("button.pull", "no pull resistor: an external one is required");
    if (board.button.pull === "up" && board.button.activeLevel === 1) warn("button.pull", "pull-up with an active-high button");
    if (board.chip === "esp32" && board.button.pin >= 34 && board.button.pin <= 39 && board.button.pull !== "none") error("button.pull", `GPIO${board.button.pin} has no internal pull resistors`);
  }
  if (board.statusLed) pin("statusLed.pin", board.statusLed.pin, true, false);

  const { adc } = board;
  if (!(adc.referenceVolts > 0)) error("adc.referenceVolts", "must be > 0");
  if (!Number.isInteger(adc.resolution) || adc.resolution < 6 || adc.resolution > 16) error("adc.resolution", "must be an integer 6–16");
  if (!(adc.minVolts >= 0 && adc.maxVolts > adc.minVolts && adc.maxVolts <= adc.referenceVolts)) error("adc", "need 0 ≤ minVolts < maxVolts ≤ referenceVolts");

  if (board.ct.length === 0) error("ct", "at least one CT channel");
  const ctIds = new Set<string>();
  board.ct.forEach((c, i) => {
    const at = `ct[${i}]`;
    if (!c.id || ctIds.has(c.id)) error(`${at}.id`, `ids must be unique and non-empty (${c.id})`);
    ctIds.add(c.id);
    pin(`${at}.pin`, c.pin, false, true);
    if (!(c.turns > 0)) error(`${at}.turns`, "must be > 0");
    if (!(c.burdenOhms > 0)) error(`${at}.burdenOhms`, "must be > 0");
    if (!(c.biasVolts > adc.minVolts && c.biasVolts < adc.maxVolts)) error(`${at}.biasVolts`, `must lie inside the ADC window ${adc.minVolts}–${adc.maxVolts} V`);
    if (c.gainTrim !== undefined && !(c.gainTrim > 0.5 && c.gainTrim < 2)) error(`${at}.gainTrim`, "must be within 0.5–2");
    if (c.relay !== undefined && !ids.has(c.relay)) error(`${at}.relay`, `no relay "${c.relay}"`);
    const middle = (adc.minVolts + adc.maxVolts) / 2;
    if (Math.abs(c.biasVolts - middle) > 0.2) warn(`${at}.biasVolts`, `bias ${c.biasVolts} V is off the window centre ${middle.toFixed(2)} V: clipping is asymmetric`);
  });
  if (board.voltage) {
    pin("voltage.pin", board.voltage.pin, false, true);
    if (!(board.voltage.ratio > 0)) error("voltage.ratio", "must be > 0");
    if (!(board.voltage.biasVolts > adc.minVolts && board.voltage.biasVolts < adc.maxVolts)) error("voltage.biasVolts", "must lie inside the ADC window");
    const peak = board.mains.nominalVolts * Math.SQRT2 * 1.1 / board.voltage.ratio;
    const headroom = Math.min(board.voltage.biasVolts - adc.minVolts, adc.maxVolts - board.voltage.biasVolts);
    if (peak > headroom) error("voltage.ratio", `mains +10 % peaks at ${peak.toFixed(2)} V at the ADC, beyond the ${headroom.toFixed(2)} V headroom`);
  }

  const { mains, sampling } = board;
  if (mains.frequencyHz !== 50 && mains.frequencyHz !== 60) error("mains.frequencyHz", "must be 50 or 60");
  if (!(mains.nominalVolts >= 50 && mains.nominalVolts <= 480)) error("mains.nominalVolts", "must be 50–480 V");
  if (!(sampling.sampleRate >= 500 && sampling.sampleRate <= 20_000)) error("sampling.sampleRate", "must be 500–20,000 samples/s");
  for (const hz of [50, 60]) {
    const cycles = (sampling.windowMs * hz) / 1000;
    if (Math.abs(cycles - Math.round(cycles)) > 1e-9) error("sampling.windowMs", `${sampling.windowMs} ms is not a whole number of ${hz} Hz cycles`);
  }
  if (!Number.isInteger((sampling.sampleRate * sampling.windowMs) / 1000)) error("sampling", "sampleRate × windowMs must be a whole number of samples");
  const perCycle = sampling.sampleRate / mains.frequencyHz;
  if (perCycle < 20) warn("sampling.sampleRate", `${perCycle.toFixed(1)} samples per cycle: harmonics above the ${Math.floor(perCycle / 2)}th alias`);
  return issues;
}

/** Throws a RangeError listing every error; returns the warnings. */
export function assertBoard(board: BoardDefinition): BoardIssue[] {
  const issues = checkBoard(board);
  const errors = issues.filter((i) => i.severity === "error");
  if (errors.length) throw new RangeError(`board "${board.name}": ` + errors.map((e) => `${e.path}: ${e.message}`).join("; "));
  return issues.filter((i) => i.severity === "warning");
}
