import type { AnyEvent } from '../../../runner/events/types.js';
import { hostMatcher } from '../../../runner/inventory/select.js';

/** Every host a batch of events names: a run's hosts at its start, and each event's own host. */
function hostsNamed(events: AnyEvent[]): Set<string> {
  const named = new Set<string>();
  for (const e of events) {
    if (e.type === 'run:start') for (const h of e.hosts) named.add(h);
    else if ('host' in e) named.add(e.host);
  }
  return named;
}

/** The hosts of `events` that none of an ingest token's patterns match (none when it may report on any host). */
export function hostsOutside(events: AnyEvent[], patterns: string[] | null): string[] {
  if (patterns === null) return [];
  const tests = patterns.map(hostMatcher);
  return [...hostsNamed(events)].filter((h) => !tests.some((t) => t(h)));
}
