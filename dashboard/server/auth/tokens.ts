import type { Database } from 'better-sqlite3';
import { hostMatcher } from '../../../runner/inventory/select.js';
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
  /**
   * The host patterns (`--limit` syntax, one term each) an ingest token may report on; null: any
   * host (a token made before tokens had hosts, or one made with `--any-host`).
   */
  hosts: string[] | null;
}

interface Row {
  id: number;
  name: string;
  scope: TokenScope;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  hosts: string | null;
}

const PREFIX = 'vsa_';

/** API tokens: shown once at creation, kept as a hash, scoped, revocable; each change an audit event naming `actor`. */
export class Tokens {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditEvents,
  ) {}

  create(scope: TokenScope, name: string, actor: string, hosts: string[] | null = null): { token: string; info: TokenInfo } {
    if (!tokenScopes.includes(scope)) throw new DashboardError(`token scope must be ${tokenScopes.join(' or ')}, got "${scope}"`);
    if (hosts !== null) checkHostPatterns(scope, hosts);
    const token = randomSecret(PREFIX);
    const now = new Date().toISOString();
    return this.db.transaction(() => {
      const r = this.db
        .prepare('INSERT INTO dashboard_tokens (name, scope, token_hash, created_at, hosts) VALUES (?, ?, ?, ?, ?)')
        .run(name, scope, hashSecret(token), now, hosts === null ? null : JSON.stringify(hosts));
      const info: TokenInfo = { id: Number(r.lastInsertRowid), name, scope, createdAt: now, lastUsedAt: null, revokedAt: null, hosts };
      auditAdmin(this.audit, actor, 'dashboard:token-create', name, { id: info.id, scope, ...(scope === 'ingest' ? { hosts: hosts ?? 'any' } : {}) });
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
  const hosts = r.hosts === null ? null : (JSON.parse(r.hosts) as string[]);
  return { id: r.id, name: r.name, scope: r.scope, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at, hosts };
}

function checkHostPatterns(scope: TokenScope, hosts: string[]): void {
  if (scope !== 'ingest') throw new DashboardError('only an ingest token names hosts: a read token reads everything');
  if (hosts.length === 0) throw new DashboardError('an ingest token needs at least one host pattern (or any host)');
  for (const h of hosts) {
    if (!h.trim() || /[,:&!]/.test(h)) throw new DashboardError(`host pattern "${h}": one name, glob or ~regex each (no , : & !)`);
    hostMatcher(h);
  }
}
