import { hostMatcher } from '../../../runner/inventory/select.js';

/** The hosts a batch touches (from `checkRuns`) that none of an ingest token's patterns match; none when it may report on any host. */
export function hostsOutside(touched: Iterable<string>, patterns: string[] | null): string[] {
  if (patterns === null) return [];
  const tests = patterns.map(hostMatcher);
  return [...touched].filter((h) => !tests.some((t) => t(h)));
}
