import type { Database, Statement } from 'better-sqlite3';
import type { HostStateRecord } from './types.js';

interface Row {
  host: string;
  collected_at: string;
  state: string;
}

/** Each host's last snapshot from `collect-status` (containers, certificates, disk), one row a host. */
export class HostStates {
  private readonly upsert: Statement;

  constructor(private readonly db: Database) {
    this.upsert = db.prepare(`INSERT INTO host_state (host, collected_at, state) VALUES (?, ?, ?)
      ON CONFLICT (host) DO UPDATE SET collected_at = excluded.collected_at, state = excluded.state`);
  }

  saveHostState(host: string, state: unknown, collectedAt: string = new Date().toISOString()): void {
    this.upsert.run(host, collectedAt, JSON.stringify(state));
  }

  get<T = unknown>(host: string): HostStateRecord<T> | undefined {
    const row = this.db.prepare<[string], Row>('SELECT * FROM host_state WHERE host = ?').get(host);
    return row && toRecord<T>(row);
  }

  list<T = unknown>(): HostStateRecord<T>[] {
    return this.db.prepare<[], Row>('SELECT * FROM host_state ORDER BY host').all().map((r) => toRecord<T>(r));
  }
}

function toRecord<T>(r: Row): HostStateRecord<T> {
  return { host: r.host, collectedAt: r.collected_at, state: JSON.parse(r.state) as T };
}
