import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTOR, PASSWORD, startHarness, USER, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ loginLimit: { max: 3, windowMs: 60_000 } });
});
afterEach(() => h.close());

describe('login and sessions', () => {
  it('refuses the API without a session, and serves it with one', async () => {
    expect((await h.app.inject('/api/runs')).statusCode).toBe(401);
    const { cookie } = await h.login();
    const res = await h.app.inject({ url: '/api/runs', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ runs: [], total: 0 });
  });

  it('sets an HttpOnly SameSite=Strict cookie and a new session id at every login', async () => {
    const first = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { name: USER, password: PASSWORD } });
    const c1 = first.cookies.find((c) => c.name === 'vsa_session')!;
    expect(c1).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    // Logging in again with the old cookie ends the old session (no fixation, no reuse).
    const second = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { cookie: `vsa_session=${c1.value}` },
      payload: { name: USER, password: PASSWORD },
    });
    const c2 = second.cookies.find((c) => c.name === 'vsa_session')!;
    expect(c2.value).not.toBe(c1.value);
    expect((await h.app.inject({ url: '/api/runs', headers: { cookie: `vsa_session=${c1.value}` } })).statusCode).toBe(401);
    expect((await h.app.inject({ url: '/api/runs', headers: { cookie: `vsa_session=${c2.value}` } })).statusCode).toBe(200);
  });

  it('ignores a session id the client made up', async () => {
    const res = await h.app.inject({ url: '/api/auth/session', headers: { cookie: 'vsa_session=attacker-chosen' } });
    expect(res.statusCode).toBe(401);
  });

  it('stores no session id and no token in clear', async () => {
    const { cookie } = await h.login();
    const token = h.token('ingest');
    const dump = JSON.stringify([
      h.store.db.prepare('SELECT * FROM dashboard_sessions').all(),
      h.store.db.prepare('SELECT * FROM dashboard_tokens').all(),
    ]);
    expect(dump).not.toContain(cookie.split('=')[1]);
    expect(dump).not.toContain(token);
  });

  it('refuses a wrong password and audits the attempt', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { name: USER, password: 'nope-nope' } });
    expect(res.statusCode).toBe(401);
    expect(res.cookies).toHaveLength(0);
    expect(h.store.audit.list({ action: 'dashboard:login' })[0]).toMatchObject({ result: 'failed', actor: `dashboard:${USER}` });
  });

  it('rejects a login body that is not {name, password}', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { name: USER, password: PASSWORD, admin: true } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(/invalid login/);
  });

  it('limits login attempts per client', async () => {
    const attempt = () => h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { name: USER, password: 'wrong-pass' } });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await attempt()).statusCode);
    expect(codes).toEqual([401, 401, 401, 429]);
    // Even the right password waits out the window.
    const ok = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { name: USER, password: PASSWORD } });
    expect(ok.statusCode).toBe(429);
  });

  it('answers the session with the user and the CSRF token, and logs out', async () => {
    const { cookie, csrf } = await h.login();
    const s = await h.app.inject({ url: '/api/auth/session', headers: { cookie } });
    expect(s.json()).toMatchObject({ user: { name: USER }, csrfToken: csrf });
    const out = await h.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, 'x-csrf-token': csrf } });
    expect(out.statusCode).toBe(200);
    expect((await h.app.inject({ url: '/api/auth/session', headers: { cookie } })).statusCode).toBe(401);
  });

  it('needs the CSRF token on every state-changing request', async () => {
    const { cookie, csrf } = await h.login();
    const put = (headers: Record<string, string>) =>
      h.app.inject({ method: 'PUT', url: '/api/settings', headers: { cookie, ...headers }, payload: { retentionDays: 30 } });
    expect((await put({})).statusCode).toBe(403);
    expect((await put({ 'x-csrf-token': 'forged' })).statusCode).toBe(403);
    expect((await put({ 'x-csrf-token': csrf })).statusCode).toBe(200);
    const logout = await h.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect(logout.statusCode).toBe(403);
  });

  it('ends sessions when the password changes', async () => {
    const { cookie } = await h.login();
    await h.ctx.users.add(USER, 'another password', undefined, ACTOR);
    expect((await h.app.inject({ url: '/api/runs', headers: { cookie } })).statusCode).toBe(401);
  });

  it('sends security headers with every answer', async () => {
    const res = await h.app.inject('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-frame-options']).toBe('DENY');
  });
});

describe('tokens', () => {
  it('lets a read token GET the API but change nothing, and ingest nothing', async () => {
    const read = { authorization: `Bearer ${h.token('read')}` };
    expect((await h.app.inject({ url: '/api/runs', headers: read })).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'PUT', url: '/api/settings', headers: read, payload: { retentionDays: 3 } })).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'POST', url: '/api/ingest/events', headers: read, payload: { events: [] } })).statusCode).toBe(403);
  });

  it('lets an ingest token ingest and nothing else', async () => {
    const ingest = { authorization: `Bearer ${h.token('ingest')}` };
    expect((await h.app.inject({ url: '/api/runs', headers: ingest })).statusCode).toBe(403);
    expect((await h.app.inject({ url: '/metrics', headers: ingest })).statusCode).toBe(403);
  });

  it('refuses a session on the ingest endpoint', async () => {
    const { cookie, csrf } = await h.login();
    const res = await h.app.inject({ method: 'POST', url: '/api/ingest/events', headers: { cookie, 'x-csrf-token': csrf }, payload: { events: [] } });
    expect(res.statusCode).toBe(403);
  });

  it('refuses unknown and revoked tokens', async () => {
    const token = h.token('read');
    expect((await h.app.inject({ url: '/api/runs', headers: { authorization: 'Bearer vsa_made-up' } })).statusCode).toBe(401);
    expect(h.ctx.tokens.revoke('test-read', ACTOR)).toBe(1);
    expect((await h.app.inject({ url: '/api/runs', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
    expect(h.ctx.tokens.list()[0]).toMatchObject({ name: 'test-read', revokedAt: expect.any(String) });
  });

  it('leaves other authorization schemes (a proxy in front) alone', async () => {
    const res = await h.app.inject({ url: '/api/health', headers: { authorization: 'Basic YTpi' } });
    expect(res.statusCode).toBe(200);
  });
});
