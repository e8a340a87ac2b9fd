import type { Migration } from './index.js';

/**
 * A cancel asked for a running run: who asked (kept once the run ends, as `cancelled`) and how
 * many times, since a second request cuts off running tasks as a second Ctrl-C does.
 */
export const runCancel: Migration = {
  version: 4,
  name: 'run-cancel',
  sql: `
    ALTER TABLE runs ADD COLUMN cancelled_by TEXT;
    ALTER TABLE runs ADD COLUMN cancel_requests INTEGER NOT NULL DEFAULT 0;
  `,
};
