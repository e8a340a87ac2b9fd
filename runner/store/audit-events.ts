import type { Database, Statement } from 'better-sqlite3';
import { parseJson } from './json.js';
import type { AuditEvent, AuditFilter } from './types.js';
import { where } from './where.js';

export interface AuditRow {
  time: string;
  actor: string;
  action: string;
  target: string;
  result: string;
  details: string;
  run_id: string | null;
}

/** The audit trail: runs and the changes and failures they made, plus whatever else is audited. */
export class AuditEvents {
  private readonly insert: Statement;

  constructor(private readonly db: Database) {
    this.insert = db.prepare(`INSERT INTO audit_events (time, actor, action, target, result, details, run_id)
      VALUES (@time, @actor, @action, @target, @result, @details, @runId)`);
  }

  add(e: AuditEvent): void {
    this.insert.run({ ...e, details: JSON.stringify(e.details), runId: e.runId ?? null });
  }

  /** Newest first. */
  list(f: AuditFilter = {}): AuditEvent[] {
    const w = where(f, auditClauses);
    const sql = `SELECT time, actor, action, target, result, details, run_id FROM audit_events
      ${w.sql} ORDER BY time DESC, id DESC LIMIT @limit`;
    return (this.db.prepare(sql).all({ ...w.args, limit: f.limit ?? 100 }) as AuditRow[]).map(toAuditEvent);
  }
}

/** The WHERE clause of each audit filter, shared with the dashboard's richer filter. */
export const auditClauses = {
  since: 'time >= @since',
  action: 'action = @action',
  target: 'target = @target',
  runId: 'run_id = @runId',
};

export function toAuditEvent(r: AuditRow): AuditEvent {
  return {
    time: r.time,
    actor: r.actor,
    action: r.action,
    target: r.target,
    result: r.result,
    details: parseJson<Record<string, unknown>>(r.details) ?? {},
    runId: r.run_id,
  };
}
