import type { Database } from 'better-sqlite3';
import { hashSecret, randomSecret } from './secrets.js';
import type { User } from './users.js';

export interface Session {
  user: User;
  csrfToken: string;
  expiresAt: string;
}

const TTL_MS = 12 * 3600_000;

/**
 * Login sessions. The id lives only in the HttpOnly cookie; the table keeps its hash. A session
 * is only ever created here at login, never from an id the client chose (no fixation).
 */
export class Sessions {
  constructor(
    private readonly db: Database,
    private readonly ttlMs = TTL_MS,
  ) {}

  create(user: User, now = new Date()): { id: string; session: Session } {
    const id = randomSecret();
    const session = { user, csrfToken: randomSecret(), expiresAt: new Date(now.getTime() + this.ttlMs).toISOString() };
    this.db.prepare('DELETE FROM dashboard_sessions WHERE expires_at < ?').run(now.toISOString());
    this.db
      .prepare('INSERT INTO dashboard_sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(hashSecret(id), user.id, session.csrfToken, now.toISOString(), session.expiresAt);
    return { id, session };
  }

  get(id: string, now = new Date()): Session | undefined {
    const row = this.db
      .prepare(
        `SELECT u.id, u.name, u.role, s.csrf_token, s.expires_at FROM dashboard_sessions s
         JOIN dashboard_users u ON u.id = s.user_id WHERE s.id_hash = ? AND s.expires_at > ?`,
      )
      .get(hashSecret(id), now.toISOString()) as (User & { csrf_token: string; expires_at: string }) | undefined;
    // The role is read on every request: a changed role holds from the next request on.
    return row && { user: { id: row.id, name: row.name, role: row.role }, csrfToken: row.csrf_token, expiresAt: row.expires_at };
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM dashboard_sessions WHERE id_hash = ?').run(hashSecret(id));
  }
}
