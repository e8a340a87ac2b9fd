import type { Database } from 'better-sqlite3';
import type { AuditEvents } from '../../../runner/store/audit-events.js';
import { DashboardError } from '../errors.js';
import { auditAdmin } from './admin-audit.js';
import { hashSecret, randomSecret } from './secrets.js';

/** `ingest`: runners push their events; `read`: GET the API and scrape /metrics. */
export type TokenScope = 'ingest' | 'read';
export const tokenScopes: readonly TokenScope[] = ['ingest', 'read'];

export interface TokenInfo {
  id: number;
  name: string;
  scope: TokenScope;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface Row {
  id: number;
  name: string;
  scope: TokenScope;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const PREFIX = 'vsa_';

/** API tokens: shown once at creation, kept as a hash, scoped, revocable; each change an audit event naming `actor`. */
export class Tokens {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditEvents,
  ) {}

  create(scope: TokenScope, name: string, actor: string): { token: string; info: TokenInfo } {
    if (!tokenScopes.includes(scope)) throw new DashboardError(`token scope must be ${tokenScopes.join(' or ')}, got "${scope}"`);
    const token = randomSecret(PREFIX);
    const now = new Date().toISOString();
    return this.db.transaction(() => {
      const r = this.db
        .prepare('INSERT INTO dashboard_tokens (name, scope, token_hash, created_at) VALUES (?, ?, ?, ?)')
        .run(name, scope, hashSecret(token), now);
      const info: TokenInfo = { id: Number(r.lastInsertRowid), name, scope, createdAt: now, lastUsedAt: null, revokedAt: null };
      auditAdmin(this.audit, actor, 'dashboard:token-create', name, { id: info.id, scope });
      return { token, info };
    }).immediate();
  }

  /** The token's live record, or undefined when unknown or revoked. Notes when it was last used. */
  verify(token: string, now = new Date().toISOString()): TokenInfo | undefined {
    if (!token.startsWith(PREFIX)) return undefined;
    const row = this.db
      .prepare('SELECT * FROM dashboard_tokens WHERE token_hash = ? AND revoked_at IS NULL')
      .get(hashSecret(token)) as Row | undefined;
    if (!row) return undefined;
    this.db.prepare('UPDATE dashboard_tokens SET last_used_at = ? WHERE id = ?').run(now, row.id);
    return toInfo({ ...row, last_used_at: now });
  }

  /** Whether the token is still unrevoked, without noting a use. */
  isLive(id: number): boolean {
    return this.db.prepare('SELECT 1 FROM dashboard_tokens WHERE id = ? AND revoked_at IS NULL').get(id) !== undefined;
  }

  /** Revokes by id or name; returns how many tokens it revoked. */
  revoke(ref: string, actor: string): number {
    const byId = /^\d+$/.test(ref);
    const now = new Date().toISOString();
    return this.db.transaction(() => {
      const live = this.db
        .prepare(`SELECT * FROM dashboard_tokens WHERE ${byId ? 'id' : 'name'} = ? AND revoked_at IS NULL`)
        .all(byId ? Number(ref) : ref) as Row[];
      for (const t of live) {
        this.db.prepare('UPDATE dashboard_tokens SET revoked_at = ? WHERE id = ?').run(now, t.id);
        auditAdmin(this.audit, actor, 'dashboard:token-revoke', t.name, { id: t.id, scope: t.scope });
      }
      return live.length;
    }).immediate();
  }

  list(): TokenInfo[] {
    return (this.db.prepare('SELECT * FROM dashboard_tokens ORDER BY id').all() as Row[]).map(toInfo);
  }
}

function toInfo(r: Row): TokenInfo {
  return { id: r.id, name: r.name, scope: r.scope, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at };
}
