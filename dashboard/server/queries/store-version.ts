import type { Store } from '../../../runner/store/open.js';

/**
 * A value that changes whenever what the lists and the overview show changes: a run started or
 * ended, a result recorded (counts), a host collected. Cheap enough to ask every poll: aggregates
 * over the run table and the two newest ids.
 */
export function storeVersion(store: Store): string {
  const row = store.db
    .prepare(
      `SELECT (SELECT count(*) FROM runs) AS runs,
         (SELECT count(*) FROM runs WHERE status = 'running') AS running,
         (SELECT max(ended_at) FROM runs) AS ended,
         (SELECT max(id) FROM task_results) AS result,
         (SELECT max(collected_at) FROM host_state) AS collected`,
    )
    .get() as Record<string, unknown>;
  return JSON.stringify(row);
}
