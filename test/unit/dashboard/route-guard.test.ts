import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { registerGuard, routeAccess } from '../../../dashboard/server/auth/guard.js';
import { RETENTION_DAYS } from '../../../runner/store/settings.js';
import { ANONYMOUS_OUTCOMES, concrete, INDEX, outcome, spellings, startProbe, type Probe } from './guard-probe.js';
import { ACTOR, type Harness } from './harness.js';

/** Reached by routes that declare themselves public; each must say why in its own definition. */
const PUBLIC = ['GET /*', 'GET /api/auth/session', 'GET /api/health', 'HEAD /*', 'HEAD /api/auth/session', 'HEAD /api/health', 'POST /api/auth/login'];

let probe: Probe;
let h: Harness;
let readToken: string;
beforeAll(async () => {
  probe = await startProbe();
  h = probe.h;
  readToken = h.token('read');
});
afterAll(() => h.close());

const send = (method: string, path: string, headers?: Record<string, string>) => probe.send(method, path, { headers });
const privateRoutes = () => routeAccess(h.app).filter((r) => r.access !== 'public');

describe('the guard decides on the route the router matched', () => {
  it('knows every route, and only the few declared public ones are public', () => {
    const table = routeAccess(h.app);
    expect(table.length).toBeGreaterThan(30);
    expect(table.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`).sort()).toEqual(PUBLIC);
    // The live stream and /metrics are routes like any other.
    expect(table).toContainEqual({ method: 'GET', url: '/api/runs/:id/events', access: 'viewer' });
    expect(table).toContainEqual({ method: 'GET', url: '/metrics', access: 'viewer' });
  });

  it('refuses a route whose access is misspelt', async () => {
    const app = Fastify();
    registerGuard(app, h.ctx);
    expect(() => app.get('/api/oops', { config: { access: 'pubic' as never } }, async () => 'data')).toThrow(
      'route /api/oops: access must be one of public, ingest, viewer, operator, admin, got "pubic"',
    );
    await app.close();
  });

  it('answers 401 on every private route without credentials, and runs no handler', async () => {
    for (const r of privateRoutes()) {
      const a = await send(r.method, concrete(r.url));
      // Node's HTTP parser refuses some methods (QUERY) before any route is chosen.
      if (a.status === 400 && a.handler === undefined) continue;
      expect({ route: `${r.method} ${r.url}`, status: a.status, handler: a.handler }).toEqual({
        route: `${r.method} ${r.url}`,
        status: 401,
        handler: undefined,
      });
      if (r.method !== 'HEAD') expect(JSON.parse(a.body)).toEqual({ error: 'login required' });
    }
  });

  it('answers an unknown API path exactly like a known one, and 404 once logged in', async () => {
    for (const [method, path] of [
      ['GET', '/api/no-such'],
      ['POST', '/api/no-such'],
      ['GET', '/api'],
      ['DELETE', '/api/runs'],
      ['POST', '/no-such'],
    ] as const) {
      const a = await send(method, path);
      expect({ path, status: a.status, body: a.body }).toEqual({ path, status: 401, body: JSON.stringify({ error: 'login required' }) });
    }
    const authed = await send('GET', '/api/no-such', { authorization: `Bearer ${readToken}` });
    expect(authed.status).toBe(404);
  });

  it('lets no spelling of a private path reach its handler without credentials', async () => {
    const paths = [...new Set(privateRoutes().filter((r) => r.method === 'GET').map((r) => concrete(r.url)))];
    let reachedWithToken = 0;
    for (const path of paths) {
      for (const spelt of spellings(path)) {
        const anon = await send('GET', spelt);
        expect({ spelt, outcome: outcome(anon) }).toMatchObject({ spelt, outcome: expect.toBeOneOf(ANONYMOUS_OUTCOMES) });
        if (outcome(anon) === 'public 200') expect({ spelt, body: anon.body }).toEqual({ spelt, body: INDEX });
        const withToken = await send('GET', spelt, { authorization: `Bearer ${readToken}` });
        if (withToken.handler === 'viewer') reachedWithToken++;
      }
    }
    // Not vacuous: encoded, dotted and doubled spellings do reach private handlers, for a caller with credentials.
    expect(reachedWithToken).toBeGreaterThan(paths.length * 3);
  });

  it('closes the reported bypass: encoded paths start no run, change no setting, read no metrics', async () => {
    const run = { playbook: 'cert-status', limit: 'h01', check: true };
    for (const [method, path, json] of [
      ['POST', '/%61pi/runs', run],
      ['PUT', '/%61pi/settings', { retentionDays: 1 }],
      ['GET', '/%6detrics', undefined],
    ] as const) {
      const a = await probe.send(method, path, { json });
      expect({ path, status: a.status, handler: a.handler }).toEqual({ path, status: 401, handler: undefined });
    }
    expect(h.store.settings.get(RETENTION_DAYS)).toBeUndefined();
    // Only the harness's own setting up is in the audit log.
    expect(h.store.audit.list({}).filter((e) => e.actor !== ACTOR)).toEqual([]);
  });

  it('lets no spelling of a state-changing request through without credentials', async () => {
    const changing = privateRoutes().filter((r) => !['GET', 'HEAD'].includes(r.method) && !r.url.includes('*') && r.url !== '/api');
    expect(changing.map((r) => `${r.method} ${r.url}`).sort()).toEqual([
      'POST /api/auth/logout',
      'POST /api/ingest/events',
      'POST /api/runs',
      'POST /api/runs/:id/cancel',
      'POST /api/runs/:id/rerun',
      'PUT /api/settings',
    ]);
    for (const r of changing) {
      for (const spelt of spellings(concrete(r.url))) {
        const a = await probe.send(r.method, spelt, { json: { events: [], retentionDays: 1, playbook: 'cert-status' } });
        expect({ spelt, outcome: outcome(a) }).toMatchObject({ spelt, outcome: expect.toBeOneOf(['none 401', 'none 400', 'not-found 404']) });
      }
    }
  });

  it('serves the web app to anyone, and nothing outside it', async () => {
    expect(await send('GET', '/runs/abc')).toMatchObject({ status: 200, body: INDEX, handler: 'public' });
    expect(await send('GET', '/assets/app.js')).toMatchObject({ status: 200, body: 'console.log(1)' });
    expect((await send('GET', '/assets/missing.js')).status).toBe(404);
    for (const path of ['/..%2F..%2F..%2Fetc%2Fpasswd', '/assets/..%2F..%2Fvsa.db', '/%2e%2e/%2e%2e/etc/passwd.txt', '/.env.js']) {
      const a = await send('GET', path);
      // A path without an extension is a page of the app; nothing else may come out.
      expect({ path, status: a.status }).toMatchObject({ path, status: expect.toBeOneOf([200, 400, 403, 404]) });
      if (a.status === 200) expect(a.body).toBe(INDEX);
    }
  });
});
