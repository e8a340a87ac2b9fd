import type { Database } from 'better-sqlite3';
import { migrations as all, type Migration } from './migrations/index.js';

/**
 * Applies the migrations the database lacks, each in its own IMMEDIATE transaction so two
 * processes opening a fresh store at once never apply one twice. Returns the versions applied.
 */
export function migrate(db: Database, migrations: Migration[] = all): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const has = db.prepare<[number], { version: number }>('SELECT version FROM schema_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: number[] = [];
  for (const m of migrations) {
    db.transaction(() => {
      if (has.get(m.version)) return;
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
      applied.push(m.version);
    }).immediate();
  }
  return applied;
}

export function schemaVersion(db: Database): number {
  const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}
