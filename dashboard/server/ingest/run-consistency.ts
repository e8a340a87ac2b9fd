import type { AnyEvent } from '../../../runner/events/types.js';
import { isLiteralHostName } from '../../../runner/inventory/pattern.js';
import type { Store } from '../../../runner/store/open.js';
import { HttpError } from '../errors.js';

interface StoredRun {
  playbook: string;
  startedAt: string;
  hosts: Set<string>;
}

/**
 * A pushed batch must describe runs as a runner makes them, whatever token sent it: a run names its
 * hosts at its start, each a name `--limit` reads as exactly that host (a re-run names them so);
 * every host an event or a recap names is one of its run's hosts; and a run id already stored is
 * that same run (same playbook, start and hosts), never another one taken over by its id.
 * Throws 400 or 409 naming the first event that is not; nothing of the batch is stored then.
 * Returns every host the batch names or whose run it touches (a stored run's hosts included),
 * which a token's scope must cover.
 */
export function checkRuns(store: Store, events: AnyEvent[]): Set<string> {
  const runRow = store.db.prepare<[string], { playbook: string; started_at: string }>('SELECT playbook, started_at FROM runs WHERE id = ?');
  const hostRows = store.db.prepare<[string], { host: string }>('SELECT host FROM run_hosts WHERE run_id = ?');
  const known = new Map<string, StoredRun | undefined>();
  const stored = (runId: string): StoredRun | undefined => {
    if (!known.has(runId)) {
      const r = runRow.get(runId);
      known.set(runId, r && { playbook: r.playbook, startedAt: r.started_at, hosts: new Set(hostRows.all(runId).map((x) => x.host)) });
    }
    return known.get(runId);
  };
  const started = new Map<string, Set<string>>();
  const touched = new Set<string>();
  events.forEach((e, i) => {
    const at = `events.${i} (${e.type} of run ${e.runId})`;
    if (e.type === 'run:start') {
      if (e.hosts.length === 0) throw new HttpError(400, `${at}: a run names the hosts it runs on`);
      const odd = e.hosts.find((h) => !isLiteralHostName(h));
      if (odd !== undefined) throw new HttpError(400, `${at}: host name ${JSON.stringify(odd)} is not one --limit can name`);
      for (const h of e.hosts) touched.add(h);
      const before = stored(e.runId);
      const same = (a: Set<string>, b: string[]) => a.size === new Set(b).size && b.every((h) => a.has(h));
      if (before && (before.playbook !== e.playbook || before.startedAt !== e.startedAt || !same(before.hosts, e.hosts)))
        throw new HttpError(409, `${at}: run id ${e.runId} is already another run (${before.playbook}, started ${before.startedAt})`);
      started.set(e.runId, new Set(e.hosts));
      return;
    }
    const named = [...('host' in e ? [e.host] : []), ...(e.type === 'run:end' ? Object.keys(e.recap) : [])];
    for (const h of named) touched.add(h);
    for (const h of stored(e.runId)?.hosts ?? []) touched.add(h);
    const hosts = started.get(e.runId) ?? stored(e.runId)?.hosts;
    // A run this dashboard never saw start: its events are counted as orphaned, not stored.
    if (!hosts) return;
    const stranger = named.find((h) => !hosts.has(h));
    if (stranger !== undefined) throw new HttpError(400, `${at}: host ${JSON.stringify(stranger)} is not one of the run's hosts`);
  });
  return touched;
}
