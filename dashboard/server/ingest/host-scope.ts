import type { AnyEvent } from '../../../runner/events/types.js';
import { hostMatcher } from '../../../runner/inventory/select.js';
import type { Store } from '../../../runner/store/open.js';

/**
 * Every host a batch of events names or touches: a run's hosts at its start, each event's own
 * host, a recap's hosts, and every host of a run already stored that an event of the batch would
 * change (its end, a result), so a token cannot end or add to a run on hosts it may not report on.
 */
function hostsTouched(store: Store, events: AnyEvent[]): Set<string> {
  const named = new Set<string>();
  const stored = store.db.prepare<[string], { host: string }>('SELECT host FROM run_hosts WHERE run_id = ?');
  const runs = new Set<string>();
  for (const e of events) {
    runs.add(e.runId);
    if (e.type === 'run:start') for (const h of e.hosts) named.add(h);
    if (e.type === 'run:end') for (const h of Object.keys(e.recap)) named.add(h);
    if ('host' in e) named.add(e.host);
  }
  for (const id of runs) for (const { host } of stored.all(id)) named.add(host);
  return named;
}

/** The hosts `events` touch that none of an ingest token's patterns match (none when it may report on any host). */
export function hostsOutside(store: Store, events: AnyEvent[], patterns: string[] | null): string[] {
  if (patterns === null) return [];
  const tests = patterns.map(hostMatcher);
  return [...hostsTouched(store, events)].filter((h) => !tests.some((t) => t(h)));
}
