/**
 * Host ranges as Ansible expands them (`expand_hostname_range`): `web[01:20]` keeps the zero
 * padding, `db-[a:c]` walks letters, `[1:10:2]` steps, and several ranges in one name multiply.
 */
import { UsageError } from '../errors.js';

const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A range Ansible would refuse: bad inventory (exit 5); the loader adds the file and line. */
export class HostRangeError extends UsageError {
  constructor(
    /** The range as written: `web[1:x]`'s `1:x`, or the whole name when it is not closed. */
    readonly range: string,
    message: string,
  ) {
    super(message);
  }
}

export function hasRange(name: string): boolean {
  return name.includes('[');
}

export function expandHostRange(name: string): string[] {
  const open = name.indexOf('[');
  const close = name.indexOf(']', open);
  if (open < 0) return [name];
  if (close < 0) throw new HostRangeError(name, `host range in '${name}' has no closing ']'`);
  const head = name.slice(0, open);
  const tail = name.slice(close + 1);
  return rangeValues(name.slice(open + 1, close)).flatMap((v) => expandHostRange(head + v + tail));
}

function rangeValues(spec: string): string[] {
  const bounds = spec.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) {
    throw new HostRangeError(spec, `host range [${spec}] must be begin:end or begin:end:step`);
  }
  const beg = bounds[0] || '0';
  const end = bounds[1]!;
  const step = bounds.length === 3 ? toInt(bounds[2]!, spec) : 1;
  if (!end) throw new HostRangeError(spec, `host range [${spec}] must specify an end value`);
  if (step < 1) throw new HostRangeError(spec, `host range [${spec}] needs a step of at least 1`);

  const iBeg = letters.indexOf(beg);
  const iEnd = letters.indexOf(end);
  if (beg.length === 1 && end.length === 1 && iBeg >= 0 && iEnd >= 0) {
    if (iBeg > iEnd) throw new HostRangeError(spec, `host range [${spec}] must have begin <= end`);
    return [...letters.slice(iBeg, iEnd + 1)].filter((_, i) => i % step === 0);
  }

  const padded = beg.length > 1 && beg.startsWith('0');
  if (padded && beg.length !== end.length) {
    throw new HostRangeError(spec, `host range [${spec}] must use equal-length begin and end`);
  }
  const out: string[] = [];
  for (let n = toInt(beg, spec); n <= toInt(end, spec); n += step) {
    out.push(padded ? String(n).padStart(beg.length, '0') : String(n));
  }
  return out;
}

function toInt(s: string, spec: string): number {
  if (!/^[0-9]+$/.test(s)) throw new HostRangeError(spec, `host range [${spec}] has a bad bound '${s}'`);
  return Number(s);
}
