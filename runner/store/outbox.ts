import type { Database } from 'better-sqlite3';
import type { AnyEvent } from '../events/types.js';

export interface OutboxItem {
  id: number;
  event: AnyEvent;
}

/** A claim older than this belongs to a sender that died; another may take the rows over. */
const STALE_CLAIM_MS = 60_000;

/**
 * Events the dashboard has not taken yet. A sender claims a batch (so two runs draining at once
 * do not both send it), then acks it once posted or releases it on failure.
 */
export class Outbox {
  constructor(private readonly db: Database) {}

  add(events: AnyEvent[], now: string = new Date().toISOString()): void {
    if (events.length === 0) return;
    const insert = this.db.prepare('INSERT INTO push_outbox (event, created_at) VALUES (?, ?)');
    this.db.transaction(() => {
      for (const e of events) insert.run(JSON.stringify(e), now);
    }).immediate();
  }

  /** Oldest first. */
  claim(limit: number, pid: number = process.pid, now = new Date()): OutboxItem[] {
    const stale = new Date(now.getTime() - STALE_CLAIM_MS).toISOString();
    const rows = this.db
      .prepare(
        `UPDATE push_outbox SET claimed_by = @pid, claimed_at = @now
         WHERE id IN (SELECT id FROM push_outbox WHERE claimed_at IS NULL OR claimed_at < @stale ORDER BY id LIMIT @limit)
         RETURNING id, event`,
      )
      .all({ pid, now: now.toISOString(), stale, limit }) as { id: number; event: string }[];
    return rows.sort((a, b) => a.id - b.id).map((r) => ({ id: r.id, event: JSON.parse(r.event) as AnyEvent }));
  }

  ack(ids: number[]): void {
    this.forEach(ids, 'DELETE FROM push_outbox WHERE id = ?');
  }

  release(ids: number[]): void {
    this.forEach(ids, 'UPDATE push_outbox SET claimed_by = NULL, claimed_at = NULL WHERE id = ?');
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM push_outbox').get() as { n: number }).n;
  }

  private forEach(ids: number[], sql: string): void {
    const stmt = this.db.prepare(sql);
    this.db.transaction(() => {
      for (const id of ids) stmt.run(id);
    }).immediate();
  }
}
