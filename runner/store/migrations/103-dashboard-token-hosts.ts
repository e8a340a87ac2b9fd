import type { Migration } from './index.js';

/**
 * The hosts an ingest token may report on: a JSON list of host patterns. Tokens made before
 * this keep working for any host (NULL), and `token list` says so.
 */
export const dashboardTokenHosts: Migration = {
  version: 103,
  name: 'dashboard-token-hosts',
  sql: `ALTER TABLE dashboard_tokens ADD COLUMN hosts TEXT;`,
};
