// What a board file describes: pins, relay polarity and wiring, override button, status LED, CT
// channels with calibration, the ADC as the platform delivers it, mains voltage and frequency, and an
// optional voltage channel. Data only; board-check.ts checks a definition against its chip's pin rules.
// Adding a board is adding one file in boards/ that default-exports a BoardDefinition.

import type { AdcSpec, CtChannelConfig, VoltageChannelConfig } from "../modules/metering/types";

export type { AdcSpec, CtChannelConfig, VoltageChannelConfig };

/** Chip family: selects the pin rules (strapping pins, ADC1 pins, input-only pins). */
export type Chip = "esp32" | "sim";

export interface RelayDefinition {
  /** Id used by the control policy, logs and status ("relay1"). */
  readonly id: string;
  readonly pin: number;
  /** The relay module's coil is energised at pin level 0 (most opto-isolated modules) rather than 1. */
  readonly activeLow: boolean;
  /**
   * What the load does while the coil is de-energised, i.e. while the controller is dead, booting or
   * failed: "on" = load on the normally-closed contact (fail-normal wiring, the rule); "off" = on the
   * normally-open contact (only for loads that must not run unattended; the checker warns).
   */
  readonly loadWhenDeenergized: "on" | "off";
  /** OpenADR resource id of the load (events targeting other resources leave it alone). */
  readonly resourceID?: string;
  readonly label?: string;
}

export interface ButtonDefinition {
  readonly pin: number;
  /** Pull resistor to enable in the GPIO. */
  readonly pull: "up" | "down" | "none";
  /** Level read while the button is pressed. */
  readonly activeLevel: 0 | 1;
}

export interface LedDefinition {
  readonly pin: number;
  /** LED lit at pin level 0. */
  readonly activeLow: boolean;
}

export interface MainsDefinition {
  /** Nominal RMS volts (Japan 100 V; 200 V circuits exist). */
  readonly nominalVolts: number;
  /** 50 Hz (eastern Japan) or 60 Hz (western Japan). */
  readonly frequencyHz: 50 | 60;
}

export interface SamplingDefinition {
  /** Target samples per second per channel (default 2,000). */
  readonly sampleRate: number;
  /** Burst length, ms: a whole number of cycles at 50 and 60 Hz (200 ms = 10 and 12 cycles). */
  readonly windowMs: number;
}

export interface BoardDefinition {
  readonly name: string;
  readonly chip: Chip;
  readonly relays: readonly RelayDefinition[];
  readonly button?: ButtonDefinition;
  readonly statusLed?: LedDefinition;
  readonly adc: AdcSpec;
  readonly ct: readonly CtChannelConfig[];
  readonly voltage?: VoltageChannelConfig;
  readonly mains: MainsDefinition;
  readonly sampling: SamplingDefinition;
}
