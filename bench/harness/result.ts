import type { Totals } from './checks.js';

/** One line of the printed table. */
export interface Row {
  scenario: string;
  system: string;
  figure: string;
  value: number;
  /** How the value is shown: ms, msgs/s, KiB, bytes… */
  unit: string;
  /** Shown instead of the value when one number is not the whole figure (p50 / p99 / p99.9). */
  display?: string;
  /** Value ÷ the raw relay's and ÷ the Socket.IO relay's, on the same figure. */
  vsRaw?: number;
  vsSocketIo?: number;
  target?: string;
  met?: boolean;
  /** Where the limit was: generator CPU, server CPU. */
  note?: string;
}

/** The lost/duplicated bookkeeping of one system in one scenario. */
export interface Check {
  scenario: string;
  system: string;
  totals?: Totals;
  /** False when nobody was there to receive (sustained inserts): only acks and echoes count. */
  deliveries?: boolean;
  problems: string[];
}

export interface ScenarioResult {
  name: string;
  rows: Row[];
  checks: Check[];
  /** Everything else worth keeping in the JSON file (parameters, raw figures). */
  details: Record<string, unknown>;
}

/** A scenario that could not run (a service missing, no network) says so instead of failing. */
export interface Skipped {
  name: string;
  reason: string;
}

export function ratio(value: number, base: number | undefined): number | undefined {
  if (base === undefined || !Number.isFinite(base) || base === 0 || !Number.isFinite(value)) return undefined;
  return value / base;
}
