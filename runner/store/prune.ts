import type { Database } from 'better-sqlite3';
import { RETENTION_DAYS, type Settings } from './settings.js';

export interface PruneResult {
  cutoff: string;
  runs: number;
  auditEvents: number;
}

/**
 * Deletes finished runs (their task results follow by cascade) and audit events older than
 * `keepDays`, and records the setting. A run still going is never pruned, however old.
 */
export function prune(db: Database, settings: Settings, keepDays: number, now = new Date()): PruneResult {
  const cutoff = new Date(now.getTime() - keepDays * 86_400_000).toISOString();
  return db.transaction(() => {
    const runs = db.prepare("DELETE FROM runs WHERE started_at < ? AND status != 'running'").run(cutoff).changes;
    const auditEvents = db.prepare('DELETE FROM audit_events WHERE time < ?').run(cutoff).changes;
    settings.set(RETENTION_DAYS, String(keepDays));
    return { cutoff, runs, auditEvents };
  }).immediate();
}
