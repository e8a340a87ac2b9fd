import type { Migration } from './index.js';

/** When the process writing a run last said it is alive; a run that stops beating was killed. */
export const runHeartbeat: Migration = {
  version: 3,
  name: 'run-heartbeat',
  sql: `ALTER TABLE runs ADD COLUMN heartbeat_at TEXT;`,
};
