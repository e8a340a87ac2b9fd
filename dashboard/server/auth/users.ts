import bcrypt from 'bcryptjs';
import type { Database } from 'better-sqlite3';
import { DashboardError } from '../errors.js';

export interface User {
  id: number;
  name: string;
}

const COST = 10;
/** Compared against when the user does not exist, so a wrong name costs the same time as a wrong password. */
let dummyHash: string | undefined;

export const userNamePattern = /^[a-zA-Z0-9][a-zA-Z0-9._@-]{0,63}$/;

/** Dashboard users: a name and a bcrypt hash; every user may do everything. */
export class Users {
  constructor(private readonly db: Database) {}

  async add(name: string, password: string, now = new Date().toISOString()): Promise<User> {
    if (!userNamePattern.test(name)) throw new DashboardError(`user name "${name}": letters, digits and . _ @ - only (1-64)`);
    if (password.length < 8) throw new DashboardError('the password must have at least 8 characters');
    const hash = await bcrypt.hash(password, COST);
    const existing = this.db.prepare('SELECT id FROM dashboard_users WHERE name = ?').get(name) as { id: number } | undefined;
    if (existing) {
      this.db.prepare('UPDATE dashboard_users SET password_hash = ? WHERE id = ?').run(hash, existing.id);
      // A new password ends every session of the old one.
      this.db.prepare('DELETE FROM dashboard_sessions WHERE user_id = ?').run(existing.id);
      return { id: existing.id, name };
    }
    const r = this.db
      .prepare('INSERT INTO dashboard_users (name, password_hash, created_at) VALUES (?, ?, ?)')
      .run(name, hash, now);
    return { id: Number(r.lastInsertRowid), name };
  }

  /** The user when the password matches; always spends one bcrypt comparison. */
  async verify(name: string, password: string): Promise<User | undefined> {
    const row = this.db.prepare('SELECT id, name, password_hash FROM dashboard_users WHERE name = ?').get(name) as
      | { id: number; name: string; password_hash: string }
      | undefined;
    const ok = await bcrypt.compare(password, row?.password_hash ?? (dummyHash ??= bcrypt.hashSync('not-a-password', COST)));
    return ok && row ? { id: row.id, name: row.name } : undefined;
  }

  list(): User[] {
    return this.db.prepare('SELECT id, name FROM dashboard_users ORDER BY name').all() as User[];
  }

  remove(name: string): boolean {
    return this.db.prepare('DELETE FROM dashboard_users WHERE name = ?').run(name).changes > 0;
  }
}
