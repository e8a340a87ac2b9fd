import type { Outcome } from '../module/types.js';
import type { ReadKey } from './host-reads.js';
import type { HostContext } from './types.js';

export interface OutcomeHandle extends ReadKey<Outcome> {
  /** For a task's `keep` option: the task's outcome on each host. */
  keep(o: Outcome, h: HostContext): void;
  /** The kept outcome on this host; a `ReadMissingError` when the task did not run. */
  of(h: HostContext): Outcome;
}

/**
 * A task's outcome kept for later tasks' conditions, without a `register` name:
 * `task(m, 'vhost', args, { keep: vhost.keep })`, then `when: (h) => vhost.of(h).status === 'changed'`.
 */
export function defineOutcome(name: string): OutcomeHandle {
  const handle: OutcomeHandle = {
    name,
    keep: (o, h) => void h.reads.set(handle, o),
    of: (h) => h.reads.get(handle),
  };
  return handle;
}
