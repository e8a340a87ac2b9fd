import type { Migration } from './index.js';

/**
 * The dashboard's own tables: users (bcrypt hashes), login sessions and API tokens. Sessions and
 * tokens are kept as SHA-256 hashes of random 32-byte secrets, so a copy of the database lets
 * nobody in. Numbered from 101 so the store's own sequence never collides with it; the dashboard
 * applies it (with the later ones of `dashboard.ts`) when it opens the store.
 */
export const dashboardAuth: Migration = {
  version: 101,
  name: 'dashboard-auth',
  sql: `
    CREATE TABLE dashboard_users (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      password_hash TEXT NOT NULL,
      created_at TEXT NOT NULL
    );

    CREATE TABLE dashboard_sessions (
      id_hash TEXT PRIMARY KEY,
      user_id INTEGER NOT NULL REFERENCES dashboard_users(id) ON DELETE CASCADE,
      csrf_token TEXT NOT NULL,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX dashboard_sessions_expiry ON dashboard_sessions(expires_at);

    CREATE TABLE dashboard_tokens (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      scope TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL,
      last_used_at TEXT,
      revoked_at TEXT
    );
  `,
};
