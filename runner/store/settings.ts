import type { Database } from 'better-sqlite3';

/** Keys the store itself reads; others may add their own. */
export const RETENTION_DAYS = 'retention_days';

/** Small key/value settings kept with the history (e.g. the retention the dashboard shows). */
export class Settings {
  constructor(private readonly db: Database) {}

  get(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  set(key: string, value: string): void {
    this.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }
}
