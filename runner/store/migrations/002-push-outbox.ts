import type { Migration } from './index.js';

/** Events the dashboard did not take yet; a row is claimed by the process sending it. */
export const pushOutbox: Migration = {
  version: 2,
  name: 'push-outbox',
  sql: `
    CREATE TABLE push_outbox (
      id INTEGER PRIMARY KEY,
      event TEXT NOT NULL,
      created_at TEXT NOT NULL,
      claimed_by INTEGER,
      claimed_at TEXT
    );
  `,
};
