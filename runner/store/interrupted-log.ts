import type { Database } from 'better-sqlite3';
import type { RunEndEvent } from '../events/types.js';
import { toWireEvent } from '../events/wire.js';
import { openAuditLog } from './audit-log.js';

/**
 * The `run:end` line of `audit.jsonl` for runs the store just marked interrupted: their process
 * was killed before it could write one, and the log must say how each run ended as SQLite does.
 */
export function logInterrupted(db: Database, dir: string, runIds: readonly string[]): void {
  if (runIds.length === 0) return;
  const row = db.prepare<[string], { started_at: string; ended_at: string; error: string | null }>(
    'SELECT started_at, ended_at, error FROM runs WHERE id = ?',
  );
  const log = openAuditLog(dir);
  try {
    for (const runId of runIds) {
      const r = row.get(runId);
      if (!r) continue;
      const end: RunEndEvent = {
        runId,
        reason: 'interrupted',
        exitCode: 130,
        recap: {},
        durationMs: Math.max(0, Date.parse(r.ended_at) - Date.parse(r.started_at)),
        endedAt: r.ended_at,
        ...(r.error ? { error: r.error } : {}),
      };
      log.append(toWireEvent('run:end', end, { now: () => r.ended_at, runTimes: true }));
    }
  } finally {
    log.close();
  }
}
