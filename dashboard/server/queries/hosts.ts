import { diskUsageSchema, loadSchema } from '../../../runner/store/host-status.js';
import type { Store } from '../../../runner/store/open.js';
import type { RunStatus } from '../../../runner/store/types.js';

export type HostHealth = 'ok' | 'changed' | 'failed' | 'unreachable' | 'unknown';

export interface HostSummary {
  host: string;
  runs: number;
  health: HostHealth;
  lastRun: { id: string; playbook: string; startedAt: string; status: RunStatus } | null;
  collectedAt: string | null;
  /** Load averages when the snapshot was taken (as of `collectedAt`). */
  load: { one: number; five: number; fifteen: number } | null;
  /** The fullest filesystem of the snapshot: the one that fills up first. */
  disk: { mount: string; usePercent: number; availKb: number } | null;
}

/** The parts of a snapshot the hosts list shows, read leniently: what does not parse is left out. */
function gauges(state: unknown): Pick<HostSummary, 'load' | 'disk'> {
  const s = (state ?? {}) as Record<string, unknown>;
  const load = loadSchema.safeParse(s.load);
  const disks = (Array.isArray(s.disk) ? s.disk : []).flatMap((d) => {
    const r = diskUsageSchema.safeParse(d);
    return r.success ? [r.data] : [];
  });
  const fullest = disks.sort((a, b) => b.usePercent - a.usePercent)[0];
  return {
    load: load.success ? load.data : null,
    disk: fullest ? { mount: fullest.mount, usePercent: fullest.usePercent, availKb: fullest.availKb } : null,
  };
}

interface Counts {
  failed: number;
  unreachable: number;
  changed: number;
}

/** How a run went for one host, from its own results: the worst of them. */
const hostHealth = (c: Counts): Exclude<HostHealth, 'unknown'> =>
  c.unreachable > 0 ? 'unreachable' : c.failed > 0 ? 'failed' : c.changed > 0 ? 'changed' : 'ok';

/**
 * A host's status in one run, which is not the run's: a run fails when any host fails. A host the
 * run is still on is running; one with no result in a run that ended was never reached.
 */
export type HostOutcome = Exclude<HostHealth, 'unknown'> | 'running' | 'not run';
function hostOutcome(c: Counts & { ok: number; skipped: number }, runStatus: RunStatus): HostOutcome {
  if (c.unreachable > 0 || c.failed > 0) return hostHealth(c);
  if (runStatus === 'running') return 'running';
  return c.ok + c.changed + c.skipped === 0 ? 'not run' : hostHealth(c);
}

interface Row {
  host: string;
  runs: number;
  run_id: string;
  playbook: string;
  started_at: string;
  status: RunStatus;
  failed: number;
  unreachable: number;
  changed: number;
}

/** Every host seen in a run or a snapshot, with how its latest run went for it. */
export function listHosts(store: Store): HostSummary[] {
  const rows = store.db
    .prepare(
      `WITH latest AS (
         SELECT h.host, count(*) AS runs,
           (SELECT r2.id FROM run_hosts h2 JOIN runs r2 ON r2.id = h2.run_id
            WHERE h2.host = h.host ORDER BY r2.started_at DESC LIMIT 1) AS run_id
         FROM run_hosts h GROUP BY h.host)
       SELECT l.host, l.runs, l.run_id, r.playbook, r.started_at, r.status,
         (SELECT count(*) FROM task_results t WHERE t.run_id = l.run_id AND t.host = l.host AND t.status = 'failed' AND t.ignored = 0) AS failed,
         (SELECT count(*) FROM task_results t WHERE t.run_id = l.run_id AND t.host = l.host AND t.status = 'unreachable') AS unreachable,
         (SELECT count(*) FROM task_results t WHERE t.run_id = l.run_id AND t.host = l.host AND t.status = 'changed') AS changed
       FROM latest l JOIN runs r ON r.id = l.run_id`,
    )
    .all() as Row[];
  const byHost = new Map<string, HostSummary>(
    rows.map((r) => [
      r.host,
      {
        host: r.host,
        runs: r.runs,
        health: hostHealth(r),
        lastRun: { id: r.run_id, playbook: r.playbook, startedAt: r.started_at, status: r.status },
        collectedAt: null,
        load: null,
        disk: null,
      },
    ]),
  );
  for (const s of store.hostState.list()) {
    const h = byHost.get(s.host) ?? { host: s.host, runs: 0, health: 'unknown' as const, lastRun: null, collectedAt: null, load: null, disk: null };
    byHost.set(s.host, { ...h, collectedAt: s.collectedAt, ...gauges(s.state) });
  }
  return [...byHost.values()].sort((a, b) => a.host.localeCompare(b.host));
}

export interface TimelineEntry {
  runId: string;
  playbook: string;
  startedAt: string;
  runStatus: RunStatus;
  /** How the run went for this host (its own results), which the timeline shows. */
  hostStatus: HostOutcome;
  actor: string;
  counts: { ok: number; changed: number; failed: number; skipped: number; unreachable: number };
  /** The tasks that changed or failed on this host in that run. */
  notable: { id: number; task: string; status: string; message: string | null }[];
}

/** A host's own results across runs, newest first. */
export function hostTimeline(store: Store, host: string, limit: number): TimelineEntry[] {
  const runs = store.db
    .prepare(
      `SELECT r.id, r.playbook, r.started_at, r.status, r.actor,
         coalesce(sum(t.status = 'ok'), 0) AS ok, coalesce(sum(t.status = 'changed'), 0) AS changed,
         coalesce(sum(t.status = 'failed' AND t.ignored = 0), 0) AS failed, coalesce(sum(t.status = 'skipped'), 0) AS skipped,
         coalesce(sum(t.status = 'unreachable'), 0) AS unreachable
       FROM run_hosts h JOIN runs r ON r.id = h.run_id
       LEFT JOIN task_results t ON t.run_id = r.id AND t.host = h.host
       WHERE h.host = ? GROUP BY r.id ORDER BY r.started_at DESC LIMIT ?`,
    )
    .all(host, limit) as (Omit<Row, 'host' | 'runs' | 'run_id'> & { id: string; actor: string; ok: number; skipped: number })[];
  const notable = store.db.prepare(
    `SELECT id, task, status, substr(message, 1, 300) AS message FROM task_results
     WHERE run_id = ? AND host = ? AND status IN ('changed', 'failed', 'unreachable') ORDER BY task_index, id`,
  );
  return runs.map((r) => ({
    runId: r.id,
    playbook: r.playbook,
    startedAt: r.started_at,
    runStatus: r.status,
    hostStatus: hostOutcome(r, r.status),
    actor: r.actor,
    counts: { ok: r.ok, changed: r.changed, failed: r.failed, skipped: r.skipped, unreachable: r.unreachable },
    notable: notable.all(r.id, host) as TimelineEntry['notable'],
  }));
}
