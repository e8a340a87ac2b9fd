import { UsageError } from '../errors.js';

/** Splits hosts into `serial` batches: a count, or a percentage of all hosts (at least one). */
export function batches<T>(hosts: readonly T[], serial: number | string | undefined): T[][] {
  if (serial === undefined || hosts.length === 0) return [hosts.slice()];
  let size: number;
  if (typeof serial === 'number') size = serial;
  else {
    const m = /^(\d+(?:\.\d+)?)%$/.exec(serial.trim());
    if (!m) throw new UsageError(`serial: expected a number or a percentage like "25%", got "${serial}"`);
    size = Math.floor((hosts.length * Number(m[1])) / 100);
  }
  size = Math.max(1, Math.floor(size));
  const out: T[][] = [];
  for (let i = 0; i < hosts.length; i += size) out.push(hosts.slice(i, i + size));
  return out;
}
