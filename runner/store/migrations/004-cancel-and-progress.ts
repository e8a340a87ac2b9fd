import type { Migration } from './index.js';

/**
 * A cancel asked for a running run: who asked (kept once the run ends, as `cancelled`) and how
 * many times, since a second request cuts off running tasks as a second Ctrl-C does. And what each
 * host of a run is doing now: the task it started and when, until that task's result.
 */
export const cancelAndProgress: Migration = {
  version: 4,
  name: 'run-cancel-and-progress',
  sql: `
    ALTER TABLE runs ADD COLUMN cancelled_by TEXT;
    ALTER TABLE runs ADD COLUMN cancel_requests INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE run_hosts ADD COLUMN task TEXT;
    ALTER TABLE run_hosts ADD COLUMN task_index INTEGER;
    ALTER TABLE run_hosts ADD COLUMN task_started_at TEXT;
  `,
};
