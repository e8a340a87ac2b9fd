import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../cli/main.js';
import { buildDashboard, createContext, openDashboardStore } from '../../../dashboard/server/index.js';

let home: string;
let printed: string[];
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'vsa-admin-audit-'));
  vi.stubEnv('VSA_HOME', home);
  vi.stubEnv('VSA_ACTOR', 'root@control');
  printed = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (printed.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  rmSync(home, { recursive: true, force: true });
});

const PASSWORD = 'a long enough password';

describe('admin actions are audit events with their actor', () => {
  it('records user add, password, role change and removal, token create and revoke, and a settings change', async () => {
    vi.stubEnv('VSA_DASHBOARD_PASSWORD', PASSWORD);
    expect(await main(['dashboard', 'user', 'add', 'ada', '--role', 'admin'])).toBe(0);
    expect(await main(['dashboard', 'user', 'add', 'bob'])).toBe(0);
    expect(await main(['dashboard', 'user', 'add', 'bob'])).toBe(0);
    expect(await main(['dashboard', 'user', 'role', 'bob', 'operator'])).toBe(0);
    expect(await main(['dashboard', 'user', 'remove', 'bob'])).toBe(0);
    expect(await main(['dashboard', 'token', 'create', '--scope', 'read', '--name', 'prom'])).toBe(0);
    const token = printed.join('').match(/vsa_[\w-]{43}/)![0];
    expect(await main(['dashboard', 'token', 'revoke', 'prom'])).toBe(0);
    // Refused changes change nothing and record nothing.
    expect(await main(['dashboard', 'user', 'remove', 'bob'])).toBe(5);
    expect(await main(['dashboard', 'token', 'revoke', 'prom'])).toBe(5);

    const ctx = createContext(openDashboardStore(home));
    const app = await buildDashboard(ctx);
    try {
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { name: 'ada', password: PASSWORD } });
      const cookie = `vsa_session=${login.cookies.find((c) => c.name === 'vsa_session')!.value}`;
      const headers = { cookie, 'x-csrf-token': (login.json() as { csrfToken: string }).csrfToken };
      expect((await app.inject({ method: 'PUT', url: '/api/settings', headers, payload: { retentionDays: 90 } })).statusCode).toBe(200);

      const res = await app.inject({ url: '/api/audit?limit=100', headers: { cookie } });
      const events = (res.json() as { events: { actor: string; action: string; target: string; details: object }[] }).events
        .filter((e) => e.action !== 'dashboard:login')
        .reverse();
      expect(events.map(({ actor, action, target, details }) => [actor, action, target, details])).toEqual([
        ['root@control', 'dashboard:user-add', 'ada', { role: 'admin' }],
        ['root@control', 'dashboard:user-add', 'bob', { role: 'viewer' }],
        ['root@control', 'dashboard:user-password', 'bob', { role: 'viewer', roleBefore: 'viewer' }],
        ['root@control', 'dashboard:user-role', 'bob', { before: 'viewer', after: 'operator' }],
        ['root@control', 'dashboard:user-remove', 'bob', { role: 'operator' }],
        ['root@control', 'dashboard:token-create', 'prom', { id: 1, scope: 'read' }],
        ['root@control', 'dashboard:token-revoke', 'prom', { id: 1, scope: 'read' }],
        ['dashboard:ada', 'settings:update', 'retention_days', { before: null, after: 90 }],
      ]);
      expect(res.body).not.toContain(PASSWORD);
      expect(res.body).not.toContain(token);
    } finally {
      await app.close();
      ctx.store.close();
    }
  });
});
