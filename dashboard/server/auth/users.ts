import bcrypt from 'bcryptjs';
import type { Database } from 'better-sqlite3';
import type { AuditEvents } from '../../../runner/store/audit-events.js';
import { DashboardError } from '../errors.js';
import { auditAdmin } from './admin-audit.js';
import { isRole, roles, type Role } from './roles.js';

export interface User {
  id: number;
  name: string;
  role: Role;
}

const COST = 10;
/** Compared against when the user does not exist, so a wrong name costs the same time as a wrong password. */
let dummyHash: string | undefined;

export const userNamePattern = /^[a-zA-Z0-9][a-zA-Z0-9._@-]{0,63}$/;

function checkRole(role: string): Role {
  if (!isRole(role)) throw new DashboardError(`role must be one of ${roles.join(', ')}, got "${role}"`);
  return role;
}

/** Dashboard users: a name, a bcrypt hash and a role. Every change is an audit event naming `actor`. */
export class Users {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditEvents,
  ) {}

  /**
   * Adds a user, or sets an existing one's password (and role, when given). A new user without a
   * role is a viewer: more takes a deliberate choice.
   */
  async add(name: string, password: string, role: string | undefined, actor: string): Promise<User> {
    if (!userNamePattern.test(name)) throw new DashboardError(`user name "${name}": letters, digits and . _ @ - only (1-64)`);
    if (password.length < 8) throw new DashboardError('the password must have at least 8 characters');
    const wanted = role === undefined ? undefined : checkRole(role);
    const hash = await bcrypt.hash(password, COST);
    const existing = this.get(name);
    return this.db.transaction(() => {
      if (existing) {
        const user = { ...existing, role: wanted ?? existing.role };
        this.db.prepare('UPDATE dashboard_users SET password_hash = ?, role = ? WHERE id = ?').run(hash, user.role, user.id);
        // A new password ends every session of the old one.
        this.db.prepare('DELETE FROM dashboard_sessions WHERE user_id = ?').run(user.id);
        auditAdmin(this.audit, actor, 'dashboard:user-password', name, { role: user.role, roleBefore: existing.role });
        return user;
      }
      const r = this.db
        .prepare('INSERT INTO dashboard_users (name, password_hash, role, created_at) VALUES (?, ?, ?, ?)')
        .run(name, hash, wanted ?? 'viewer', new Date().toISOString());
      auditAdmin(this.audit, actor, 'dashboard:user-add', name, { role: wanted ?? 'viewer' });
      return { id: Number(r.lastInsertRowid), name, role: wanted ?? 'viewer' };
    }).immediate();
  }

  /** The user with their role before the change, or undefined when there is no such user. */
  setRole(name: string, role: string, actor: string): { user: User; before: Role } | undefined {
    const wanted = checkRole(role);
    return this.db.transaction(() => {
      const existing = this.get(name);
      if (!existing) return undefined;
      this.db.prepare('UPDATE dashboard_users SET role = ? WHERE id = ?').run(wanted, existing.id);
      auditAdmin(this.audit, actor, 'dashboard:user-role', name, { before: existing.role, after: wanted });
      return { user: { ...existing, role: wanted }, before: existing.role };
    }).immediate();
  }

  /** The user when the password matches; always spends one bcrypt comparison. */
  async verify(name: string, password: string): Promise<User | undefined> {
    const row = this.db.prepare('SELECT id, name, role, password_hash FROM dashboard_users WHERE name = ?').get(name) as
      | (User & { password_hash: string })
      | undefined;
    const ok = await bcrypt.compare(password, row?.password_hash ?? (dummyHash ??= bcrypt.hashSync('not-a-password', COST)));
    return ok && row ? { id: row.id, name: row.name, role: row.role } : undefined;
  }

  get(name: string): User | undefined {
    return this.db.prepare('SELECT id, name, role FROM dashboard_users WHERE name = ?').get(name) as User | undefined;
  }

  list(): User[] {
    return this.db.prepare('SELECT id, name, role FROM dashboard_users ORDER BY name').all() as User[];
  }

  remove(name: string, actor: string): boolean {
    return this.db.transaction(() => {
      const existing = this.get(name);
      if (!existing) return false;
      this.db.prepare('DELETE FROM dashboard_users WHERE id = ?').run(existing.id);
      auditAdmin(this.audit, actor, 'dashboard:user-remove', name, { role: existing.role });
      return true;
    }).immediate();
  }
}
