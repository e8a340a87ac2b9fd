import fastifyCookie from '@fastify/cookie';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerGuard, routeAccess } from '../../../dashboard/server/auth/guard.js';
import { hasRole, roles, type Role } from '../../../dashboard/server/auth/roles.js';
import { Users } from '../../../dashboard/server/auth/users.js';
import { AuditEvents } from '../../../runner/store/audit-events.js';
import { migrate } from '../../../runner/store/migrate.js';
import { dashboardAuth } from '../../../runner/store/migrations/101-dashboard-auth.js';
import { dashboardMigrations } from '../../../runner/store/migrations/dashboard.js';
import { concrete, startProbe, type Probe } from './guard-probe.js';

let probe: Probe;
const sessions = new Map<Role, { cookie: string; csrf: string }>();
beforeAll(async () => {
  probe = await startProbe();
  for (const role of roles) sessions.set(role, await probe.h.login(role));
});
afterAll(() => probe.h.close());

/** A body the changing routes accept, so an allowed request gets past validation and does its work. */
const BODY: Record<string, unknown> = { '/api/settings': { retentionDays: 30 }, '/api/runs': { playbook: 'cert-status', params: {}, check: true } };

describe('roles', () => {
  it('makes every user who was there before roles an admin', () => {
    const db = new Database(':memory:');
    migrate(db);
    migrate(db, [dashboardAuth]);
    db.prepare("INSERT INTO dashboard_users (name, password_hash, created_at) VALUES ('old', 'x', '2026-01-01')").run();
    expect(migrate(db, dashboardMigrations)).toEqual([102, 103]);
    expect(new Users(db, new AuditEvents(db)).get('old')).toMatchObject({ name: 'old', role: 'admin' });
    db.close();
  });
});

describe('roles, route by route', () => {
  it('declares operator or admin exactly where a route changes runs or the dashboard itself', () => {
    const above = routeAccess(probe.h.app).filter((r) => r.access === 'operator' || r.access === 'admin');
    expect(above.map((r) => `${r.access} ${r.method} ${r.url}`).sort()).toEqual([
      'admin PUT /api/settings',
      'operator POST /api/runs',
      'operator POST /api/runs/:id/cancel',
      'operator POST /api/runs/:id/rerun',
    ]);
  });

  it("answers each role on every route as the route's declaration says: 403 below it, its handler at or above it", async () => {
    // Logging out ends the session the later requests use: it goes last.
    const table = routeAccess(probe.h.app)
      .filter((r) => r.access !== 'public' && r.access !== 'ingest')
      .sort((a, b) => Number(a.url === '/api/auth/logout') - Number(b.url === '/api/auth/logout'));
    expect(table.length).toBeGreaterThan(30);
    let refused = 0;
    for (const r of table) {
      for (const role of roles) {
        const { cookie, csrf } = sessions.get(role)!;
        const changes = r.method !== 'GET' && r.method !== 'HEAD';
        const a = await probe.send(r.method, concrete(r.url), {
          headers: { cookie, 'x-csrf-token': csrf },
          json: changes ? (BODY[r.url] ?? {}) : undefined,
        });
        if (a.status === 400 && a.handler === undefined && r.method === 'QUERY') continue;
        const allowed = r.access !== 'public' && r.access !== 'ingest' && hasRole(role, r.access);
        const seen = { route: `${r.method} ${r.url}`, role, refused: a.status === 403 && a.handler === undefined, ran: a.handler !== undefined };
        expect(seen).toEqual({ route: seen.route, role, refused: !allowed, ran: allowed });
        if (!allowed) {
          refused++;
          if (r.method !== 'HEAD') expect(JSON.parse(a.body)).toEqual({ error: `needs the ${r.access} role (${role}-user is ${role})` });
        }
      }
    }
    // viewer and operator on PUT /api/settings, viewer on POST /api/runs, its cancel and its re-run.
    expect(refused).toBe(5);
    expect(probe.h.store.audit.list({}).filter((e) => e.action === 'settings:update').map((e) => e.actor)).toEqual(['dashboard:admin-user']);
  });

  it('a route that declares nothing needs admin', async () => {
    const app = Fastify();
    await app.register(fastifyCookie);
    registerGuard(app, probe.h.ctx);
    app.get('/api/undeclared', async () => ({ ran: true }));
    expect(routeAccess(app)).toContainEqual({ method: 'GET', url: '/api/undeclared', access: 'admin' });
    const answers: Record<string, number> = {};
    for (const role of roles) {
      const { cookie } = await probe.h.login(role);
      answers[role] = (await app.inject({ url: '/api/undeclared', headers: { cookie } })).statusCode;
    }
    expect(answers).toEqual({ viewer: 403, operator: 403, admin: 200 });
    await app.close();
  });

  it('a changed role holds from the next request on', async () => {
    const { cookie, csrf } = await probe.h.login('viewer');
    const put = () => probe.send('PUT', '/api/settings', { headers: { cookie, 'x-csrf-token': csrf }, json: { retentionDays: 7 } });
    expect((await put()).status).toBe(403);
    probe.h.ctx.users.setRole('viewer-user', 'admin', 'test@harness');
    expect((await put()).status).toBe(200);
    probe.h.ctx.users.setRole('viewer-user', 'viewer', 'test@harness');
    expect((await put()).status).toBe(403);
  });
});
