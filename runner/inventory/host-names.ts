import { parseAddress } from './address.js';
import { failAt, type Origin } from './draft.js';
import { expandHostRange, hasRange, HostRangeError } from './host-range.js';

/** A host key as every inventory format writes it: a name or range, and an optional `:port`. */
export function hostNames(key: string, at: Origin): { names: string[]; port?: number } {
  if (!key.trim()) failAt('a host needs a name', at);
  const addr = parseAddress(key);
  const name = addr?.host ?? key;
  try {
    return { names: hasRange(name) ? expandHostRange(name) : [name], port: addr?.port };
  } catch (e) {
    if (e instanceof HostRangeError) return failAt(e.message, at);
    throw e;
  }
}
