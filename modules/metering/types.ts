// Metering's data types: ADC description, CT and voltage channel calibration, the sample window the
// burst sampler hands over, readings and 30-minute slot records. Types only; no behaviour.

/** The ADC as the firmware sees it after the platform's scaling (Moddable on ESP32: 10 bits over 3.3 V). */
export interface AdcSpec {
  /** Bits per code as delivered by `embedded:io/analog` (codes 0 … 2^resolution − 1). */
  readonly resolution: number;
  /** Volts that correspond to 2^resolution codes. */
  readonly referenceVolts: number;
  /** Attenuation the platform configures (ESP32: 11 dB). Documentation only; the usable window is below. */
  readonly attenuationDb?: number;
  /** Usable input window in volts: codes outside it are clipped by the ADC (ESP32 at 11 dB: 0.15–2.45 V). */
  readonly minVolts: number;
  readonly maxVolts: number;
}

/** One current transformer with its burden resistor and bias network (EmonLib method). */
export interface CtChannelConfig {
  /** Short id used in readings and logs ("ct1"). */
  readonly id: string;
  /** ADC input pin (ESP32: an ADC1 pin, GPIO32–39). */
  readonly pin: number;
  /** CT secondary turns (SCT-013-000: 2000). */
  readonly turns: number;
  /** Burden resistor in ohms (SCT-013-000 on 3.3 V: 22 Ω; voltage-output SCT-013-0xx: the built-in one). */
  readonly burdenOhms: number;
  /** Nominal DC bias of the input in volts (≈1.3 V on ESP32 at 11 dB). The tracking filter starts here. */
  readonly biasVolts: number;
  /** Per-channel gain correction found by calibration against a reference meter (1 = none). */
  readonly gainTrim?: number;
  /**
   * RMS amps the input reads with no current (ADC noise + quantisation), measured at commissioning;
   * subtracted in quadrature (√(I² − noise²)) so small loads are not read high. Default 0.
   */
  readonly noiseAmps?: number;
  /** Currents below this many amps RMS (after the noise subtraction) read as 0. Default 0.15 A. */
  readonly deadbandAmps?: number;
  /** Relay (board relay id) whose load this CT measures, if any: for status and tests only. */
  readonly relay?: string;
}

/** A mains voltage sensor (ZMPT101B-style transformer module) on one ADC input. */
export interface VoltageChannelConfig {
  readonly pin: number;
  /** Mains volts per volt at the ADC input. */
  readonly ratio: number;
  readonly biasVolts: number;
  readonly gainTrim?: number;
  /**
   * Time one `Analog.read()` takes, ms: the sampler reads the CTs, then the voltage, one after the
   * other, so the voltage sample lags CT j by (inputs − 1 − j) reads. Default: a sample period divided
   * by the number of inputs (reads back to back fill the period: the ESP32 with Wi-Fi on, the sim).
   */
  readonly readTimeMs?: number;
  /** Phase lead of the voltage sensor itself (degrees, found by calibration with a resistive load). Default 0. */
  readonly phaseDegrees?: number;
}

/**
 * A burst of samples: one buffer per sampled input (CT channels in board order, then the voltage
 * channel if any), all filled at the same instants. Only [0, count) is valid. The sampler reuses the
 * object and its buffers: consume it before the next burst.
 */
export interface SampleWindow {
  readonly channels: readonly Uint16Array[];
  count: number;
  /** Monotonic ms at the first sample and span of the burst (first to last + one period). */
  startTicks: number;
  durationMs: number;
}

/** Anything that produces sample windows (the ECMA-419 burst sampler on a device, a model in tests). */
export interface WindowSource {
  sample(): SampleWindow;
}

export type ChannelHealth =
  | "ok"
  | "starting"   // no window processed yet
  | "overrange"  // samples at the ADC's clip codes: the reading is low, marked invalid
  | "rail"       // the input sits at a rail: open bias network, shorted or disconnected input
  | "bias"       // mean far from the configured bias: divider fault or disconnected input
  | "stuck";     // identical codes for several windows: ADC or input stuck

export interface ChannelReading {
  readonly id: string;
  /** RMS current in amps after calibration and dead-band. */
  amps: number;
  /** Apparent power (VA): nominal or measured volts × amps. */
  voltAmps: number;
  /** Real power (W) when a voltage channel exists; otherwise equal to voltAmps (an estimate). */
  watts: number;
  valid: boolean;
  health: ChannelHealth;
  /** Mean input code of the last window (diagnostics, bias check). */
  meanCode: number;
}

export interface MeterReading {
  /** Monotonic ms at the start of the window. */
  ticks: number;
  /** Sum over valid channels. W when a voltage channel exists, else VA. */
  watts: number;
  voltAmps: number;
  /** Mains volts: measured RMS, or the nominal value when estimated. */
  volts: number;
  /** True when power is estimated from the nominal voltage (OpenADR readingType "Estimated"). */
  estimated: boolean;
  /** False when any channel is faulty (its power is then left out of the sums). */
  valid: boolean;
  readonly channels: readonly ChannelReading[];
}

/** One 30-minute slot of energy (HISTORY_USAGE interval, CIOF trade record). */
export interface SlotRecord {
  /** Slot start, ms since epoch (UTC instant of local :00 or :30). */
  readonly start: number;
  /** Slot start as ISO-8601 local time with the configured offset, e.g. "2026-11-22T09:30:00+09:00". */
  readonly startLocal: string;
  readonly durationMs: number;
  /** Energy in the slot (Wh; VAh when estimated). */
  readonly wh: number;
  /** Average power over the slot (kW) = wh / slot hours. */
  readonly averageKw: number;
  /** Highest window power seen in the slot (kW). */
  readonly peakKw: number;
  /** Energy from nominal voltage × current (no voltage sensing). */
  readonly estimated: boolean;
  /** Fraction of the slot covered by valid measurements (0–1). */
  readonly coverage: number;
  /** The wall clock was corrected while this slot was open: its energy is complete but the boundary may be off by the correction. */
  readonly clockCorrected: boolean;
  /** A channel fault was seen during the slot. */
  readonly fault: boolean;
  /** coverage ≥ the configured minimum, no fault and no correction. */
  readonly valid: boolean;
}
