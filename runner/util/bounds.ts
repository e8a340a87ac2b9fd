import { UsageError } from '../errors.js';

/** Node's timers hold at most 2^31-1 ms (about 24.8 days); a longer delay fires after 1 ms instead. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface Range {
  min: number;
  max: number;
  /** Said after the range, e.g. `seconds`. */
  unit?: string;
}

/** How a number's range reads in a message: `from 1 to 3600 (seconds)`. */
export const describeRange = (r: Range): string => `from ${r.min} to ${r.max}${r.unit ? ` (${r.unit})` : ''}`;

/** A whole number from outside (a flag, an inventory setting) inside its range, else exit 5 naming both. */
export function wholeNumberIn(value: string, name: string, range: Range): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isInteger(n) || n < range.min || n > range.max) {
    throw new UsageError(`${name} must be a whole number ${describeRange(range)}, got "${value}"`);
  }
  return n;
}
