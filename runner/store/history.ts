import type { Database, Statement } from 'better-sqlite3';
import type { Origin, Recap, TaskStatus } from '../events/types.js';
import { RunNotFoundError } from './errors.js';
import { parseJson } from './json.js';
import type { HostProgress, RunFilter, RunRecord, RunStatus, TaskResultRecord } from './types.js';
import { where } from './where.js';

export interface RunRow {
  id: string;
  playbook: string;
  params: string;
  actor: string;
  origin: Origin;
  check_mode: number;
  diff_mode: number;
  started_at: string;
  ended_at: string | null;
  status: RunStatus;
  exit_code: number | null;
  recap: string | null;
  hosts: string;
  error: string | null;
  pid: number | null;
  cancelled_by: string | null;
  ok: number;
  changed: number;
  failed: number;
  skipped: number;
  unreachable: number;
  ignored: number;
}

interface TaskRow {
  run_id: string;
  host: string;
  task: string;
  task_index: number;
  handler: number;
  status: TaskStatus;
  duration_ms: number;
  round_trips: number;
  ignored: number;
  message: string | null;
  diff: string | null;
  data: string | null;
  time: string;
}

/** The read side of run history: `vsa history`, `vsa history show` and the dashboard. */
export class History {
  private readonly byPrefix: Statement<[string], { id: string }>;
  private readonly byId: Statement<[string], RunRow>;
  private readonly running: Statement<[string], HostProgress>;

  constructor(private readonly db: Database) {
    // GLOB on a bound pattern keeps the primary-key index usable for the prefix search.
    this.byPrefix = db.prepare('SELECT id FROM runs WHERE id GLOB ? ORDER BY id LIMIT 6');
    this.byId = db.prepare('SELECT * FROM runs WHERE id = ?');
    this.running = db.prepare(`SELECT host, task, task_index AS taskIndex, task_started_at AS since FROM run_hosts
      WHERE run_id = ? AND task IS NOT NULL ORDER BY host`);
  }

  /** Newest first; walks the `started_at` index so the newest N come back without a sort. */
  list(f: RunFilter = {}): RunRecord[] {
    const q = select(f);
    return this.db.prepare<Record<string, unknown>, RunRow>(q.sql).all(q.args).map(toRun);
  }

  /** The SQL plan of `list` for a filter, so tests can prove it uses the indexes. */
  plan(f: RunFilter = {}): string[] {
    const q = select(f);
    return this.db
      .prepare<Record<string, unknown>, { detail: string }>(`EXPLAIN QUERY PLAN ${q.sql}`)
      .all(q.args)
      .map((r) => r.detail);
  }

  /** A run by its id or a unique prefix of it. */
  get(ref: string): RunRecord {
    if (!ref || /[*?[\]]/.test(ref)) throw new RunNotFoundError(ref);
    const ids = this.byPrefix.all(`${ref}*`).map((r) => r.id);
    const id = ids.includes(ref) ? ref : ids.length === 1 ? ids[0] : undefined;
    if (id === undefined) throw new RunNotFoundError(ref, ids);
    return toRun(this.byId.get(id)!);
  }

  /** The task each host of a run is on now (hosts between tasks or done have none). */
  progress(runId: string): HostProgress[] {
    return this.running.all(runId);
  }

  /** Task results of a run in the order they ran on each host. */
  tasks(runId: string, host?: string): TaskResultRecord[] {
    const rows = this.db
      .prepare<Record<string, unknown>, TaskRow>(
        `SELECT * FROM task_results WHERE run_id = @runId ${host ? 'AND host = @host' : ''}
         ORDER BY host, task_index, id`,
      )
      .all(host ? { runId, host } : { runId });
    return rows.map(toTask);
  }
}

/** The WHERE clause of each run filter, shared with the dashboard's richer filter. */
export const runClauses = {
  playbook: 'playbook = @playbook',
  status: 'status = @status',
  since: 'started_at >= @since',
  host: 'EXISTS (SELECT 1 FROM run_hosts h WHERE h.run_id = runs.id AND h.host = @host)',
};

function select(f: RunFilter): { sql: string; args: Record<string, unknown> } {
  const w = where(f, runClauses);
  return {
    sql: `SELECT * FROM runs ${w.sql} ORDER BY started_at DESC LIMIT @limit`,
    args: { ...w.args, limit: f.limit ?? 20 },
  };
}

export function toRun(r: RunRow): RunRecord {
  return {
    id: r.id,
    playbook: r.playbook,
    params: parseJson<Record<string, unknown>>(r.params) ?? {},
    actor: r.actor,
    origin: r.origin,
    check: r.check_mode === 1,
    diff: r.diff_mode === 1,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    status: r.status,
    exitCode: r.exit_code,
    recap: parseJson<Recap>(r.recap),
    hosts: parseJson<string[]>(r.hosts) ?? [],
    error: r.error,
    pid: r.pid,
    cancelledBy: r.cancelled_by,
    counts: {
      ok: r.ok,
      changed: r.changed,
      failed: r.failed,
      skipped: r.skipped,
      unreachable: r.unreachable,
      ignored: r.ignored,
    },
  };
}

function toTask(r: TaskRow): TaskResultRecord {
  return {
    runId: r.run_id,
    host: r.host,
    task: r.task,
    taskIndex: r.task_index,
    handler: r.handler === 1,
    status: r.status,
    durationMs: r.duration_ms,
    roundTrips: r.round_trips,
    ignored: r.ignored === 1,
    message: r.message,
    diff: r.diff,
    data: parseJson<Record<string, unknown>>(r.data),
    time: r.time,
  };
}
