import { UsageError } from '../errors.js';
import { wholeNumberIn } from '../util/bounds.js';

const units: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `--since`: a span back from now (`30m`, `12h`, `7d`, `2w`) or an ISO date/time; returns ISO. */
export function parseSince(value: string, now = new Date()): string {
  const span = /^(\d+)\s*([mhdw])$/.exec(value.trim());
  if (span) {
    const since = new Date(now.getTime() - Number(span[1]) * units[span[2]!]!);
    if (Number.isNaN(since.getTime())) throw new UsageError(`--since: "${value}" reaches back before any date`);
    return since.toISOString();
  }
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new UsageError(`--since: "${value}" is neither a span like 7d/12h/30m nor an ISO date`);
  return new Date(t).toISOString();
}

/** `--limit`, `--keep-days`: a whole number from 1 to `max`. */
export const parsePositive = (value: string, flag: string, max: number): number =>
  wholeNumberIn(value, flag, { min: 1, max });
