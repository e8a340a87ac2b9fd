import type { TaskStatus } from '../../../runner/events/types.js';
import type { TaskResultRecord } from '../../../runner/store/index.js';
import type { Store } from '../../../runner/store/open.js';
import { parseJson } from '../../../runner/store/json.js';

/** A cell of the host × task grid: no diff or data, which load on demand. */
export interface ResultSummary {
  id: number;
  host: string;
  task: string;
  taskIndex: number;
  handler: boolean;
  status: TaskStatus;
  ignored: boolean;
  durationMs: number;
  /** The first 300 characters; the whole message comes with the result. */
  message: string | null;
  hasDiff: boolean;
  time: string;
}

interface SummaryRow {
  id: number;
  host: string;
  task: string;
  task_index: number;
  handler: number;
  status: TaskStatus;
  ignored: number;
  duration_ms: number;
  message: string | null;
  has_diff: number;
  time: string;
}

const SUMMARY = `SELECT id, host, task, task_index, handler, status, ignored, duration_ms,
  substr(message, 1, 300) AS message, diff IS NOT NULL AS has_diff, time FROM task_results`;

/** The run's results in the order they were written, after `afterId` (a stream's last event id). */
export function resultSummaries(store: Store, runId: string, afterId = 0, host?: string): ResultSummary[] {
  const rows = store.db
    .prepare(`${SUMMARY} WHERE run_id = @runId AND id > @afterId ${host ? 'AND host = @host' : ''} ORDER BY id`)
    .all({ runId, afterId, ...(host ? { host } : {}) }) as SummaryRow[];
  return rows.map(toSummary);
}

export function toSummary(r: SummaryRow): ResultSummary {
  return {
    id: r.id,
    host: r.host,
    task: r.task,
    taskIndex: r.task_index,
    handler: r.handler === 1,
    status: r.status,
    ignored: r.ignored === 1,
    durationMs: r.duration_ms,
    message: r.message,
    hasDiff: r.has_diff === 1,
    time: r.time,
  };
}

/** One result in full (diff, data, whole message), or undefined when it is not in that run. */
export function resultDetail(store: Store, runId: string, id: number): (TaskResultRecord & { id: number }) | undefined {
  const r = store.db.prepare('SELECT * FROM task_results WHERE run_id = ? AND id = ?').get(runId, id) as
    | (SummaryRow & { run_id: string; round_trips: number; diff: string | null; data: string | null })
    | undefined;
  if (!r) return undefined;
  return {
    ...toSummary({ ...r, has_diff: r.diff === null ? 0 : 1 }),
    runId: r.run_id,
    roundTrips: r.round_trips,
    diff: r.diff,
    data: parseJson<Record<string, unknown>>(r.data),
  };
}
