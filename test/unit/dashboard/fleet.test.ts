import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scriptedRun } from '../store/fixtures/events.js';
import { pushed, startHarness, type Harness } from './harness.js';

const DAY = 86_400_000;
let h: Harness;
let auth: { cookie: string };
const inDays = (n: number) => new Date(Date.now() + n * DAY + 3600_000).toISOString();

beforeEach(async () => {
  h = await startHarness();
  auth = { cookie: (await h.login()).cookie };
  await h.ingest(pushed(scriptedRun('r1', ['web1', 'web2'])), h.token('ingest'));
  h.store.hostState.saveHostState('web1', {
    certificates: [
      { name: 'shop.example.com', issuer: 'CN=Pebble Intermediate CA', notAfter: inDays(20), sans: ['shop.example.com', 'www.shop.example.com'] },
      { name: 'old.example.com', issuer: 'CN=R3', notAfter: inDays(-2), sans: [] },
      { name: 'broken' },
    ],
    containers: [{ name: 'shop', image: 'localhost/web', state: 'running', health: 'healthy' }],
    sites: [{ domain: 'www.shop.example.com', container: 'shop', port: 8080, www: false, auth: true }],
    load: { one: 0.42, five: 0.3, fifteen: 0.1 },
    disk: [
      { filesystem: '/dev/vda1', mount: '/', sizeKb: 1000, usedKb: 500, availKb: 500, usePercent: 50 },
      { filesystem: '/dev/vdb1', mount: '/srv', sizeKb: 1000, usedKb: 930, availKb: 70, usePercent: 93 },
      { mount: 'broken' },
    ],
  });
  h.store.hostState.saveHostState('web9', { certificates: [{ name: 'far.example.com', issuer: 'CN=R3', notAfter: inDays(80) }] });
});
afterEach(() => h.close());

const get = (url: string) => h.app.inject({ url, headers: auth });

describe('fleet', () => {
  it('lists certificates soonest first with days left counted now and an urgency', async () => {
    const { certificates } = (await get('/api/certificates')).json();
    expect(certificates.map((c: { name: string; daysLeft: number; urgency: string }) => [c.name, c.daysLeft, c.urgency])).toEqual([
      ['old.example.com', -2, 'expired'],
      ['shop.example.com', 20, 'warning'],
      ['far.example.com', 80, 'ok'],
    ]);
    expect((await get('/api/certificates?within=30')).json().certificates).toHaveLength(2);
  });

  it('lists containers and sites, each site with the certificate covering it', async () => {
    expect((await get('/api/containers')).json().containers).toEqual([
      expect.objectContaining({ host: 'web1', name: 'shop', health: 'healthy' }),
    ]);
    const [site] = (await get('/api/sites')).json().sites;
    expect(site).toMatchObject({ host: 'web1', domain: 'www.shop.example.com', auth: true, certificate: { daysLeft: 20, urgency: 'warning' } });
  });

  it('lists hosts from runs and snapshots with the health of their last run', async () => {
    const { hosts } = (await get('/api/hosts')).json();
    expect(hosts.map((x: { host: string; health: string }) => [x.host, x.health])).toEqual([
      ['web1', 'changed'],
      ['web2', 'failed'],
      ['web9', 'unknown'],
    ]);
  });

  it("gives each run of a host's timeline the host's own status, not the run's", async () => {
    // r1 failed on web2 only; r2 is still on web1; r3 was interrupted before it reached web1.
    await h.ingest(pushed(scriptedRun('r2', ['web1'], '2026-01-11T10:00:00.000Z')).filter((e) => e.type !== 'run:end' && !(e.type === 'task:result' && e.taskIndex > 0)), h.token('ingest'));
    await h.ingest(pushed(scriptedRun('r3', ['web1'], '2026-01-12T10:00:00.000Z')).filter((e) => e.type === 'run:start'), h.token('ingest'));
    h.store.runs.markInterrupted('r3');
    const { timeline } = (await get('/api/hosts/web1/timeline')).json();
    expect(timeline.map((t: { runId: string; runStatus: string; hostStatus: string }) => [t.runId, t.runStatus, t.hostStatus])).toEqual([
      ['r3', 'interrupted', 'not run'],
      ['r2', 'running', 'running'],
      ['r1', 'failed', 'changed'],
    ]);
  });

  it('gives each host the load and its fullest filesystem from the last snapshot, none without one', async () => {
    const { hosts } = (await get('/api/hosts')).json();
    const by = (name: string) => hosts.find((x: { host: string }) => x.host === name);
    expect(by('web1')).toMatchObject({ load: { one: 0.42, five: 0.3, fifteen: 0.1 }, disk: { mount: '/srv', usePercent: 93, availKb: 70 } });
    expect(by('web1').collectedAt).toEqual(expect.any(String));
    expect(by('web9')).toMatchObject({ load: null, disk: null });
    expect(by('web2')).toMatchObject({ load: null, disk: null, collectedAt: null });
  });

  it('gives a host its timeline with the tasks that changed or failed', async () => {
    const t = (await get('/api/hosts/web2/timeline')).json();
    expect(t.timeline).toHaveLength(1);
    expect(t.timeline[0]).toMatchObject({ runId: 'r1', runStatus: 'failed', hostStatus: 'failed', counts: { ok: 1, changed: 1, failed: 1 } });
    expect(t.timeline[0].notable.map((n: { task: string }) => n.task)).toEqual(['write vhost', 'nginx -t']);
    expect((await get('/api/hosts/web1/timeline')).json().state.state.containers).toHaveLength(1);
  });

  it('sums it up in the overview', async () => {
    const o = (await get('/api/overview')).json();
    expect(o.hosts).toMatchObject({ total: 3, failed: 1, changed: 1, unknown: 1 });
    expect(o.failedHosts.map((x: { host: string }) => x.host)).toEqual(['web2']);
    expect(o.expiringCertificates.map((c: { name: string }) => c.name)).toEqual(['old.example.com', 'shop.example.com']);
    expect(o.recentRuns[0].id).toBe('r1');
  });

  it('exports Prometheus metrics to a read token only', async () => {
    expect((await h.app.inject('/metrics')).statusCode).toBe(401);
    const res = await h.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${h.token('read')}` } });
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('vsa_runs{status="failed"} 1');
    expect(res.body).toContain('vsa_task_results{status="changed"} 2');
    expect(res.body).toContain('vsa_certificate_days_left{host="web1",name="shop.example.com"} 20');
  });
});

describe('audit and settings', () => {
  it('lists audit events with filters', async () => {
    const all = (await get('/api/audit')).json();
    expect(all.total).toBeGreaterThan(3);
    const failed = (await get('/api/audit?action=task:failed')).json();
    expect(failed.events).toEqual([expect.objectContaining({ target: 'web2', result: 'failed', runId: 'r1' })]);
    expect((await get('/api/audit?actor=alice&limit=1')).json().events).toHaveLength(1);
    expect((await get('/api/audit?since=2030-01-01')).json().total).toBe(0);
    expect((await get('/api/audit/actions')).json().actions).toContain('run:start');
    expect((await get('/api/audit?bogus=1')).statusCode).toBe(400);
  });

  it('reads and writes the retention, validated and audited', async () => {
    const { cookie, csrf } = await h.login();
    expect((await get('/api/settings')).json()).toEqual({ retentionDays: null });
    const put = (payload: unknown) =>
      h.app.inject({ method: 'PUT', url: '/api/settings', headers: { cookie, 'x-csrf-token': csrf }, payload: payload as object });
    expect((await put({ retentionDays: 0 })).statusCode).toBe(400);
    expect((await put({ retentionDays: '30' })).statusCode).toBe(400);
    expect((await put({ retentionDays: 90 })).json()).toEqual({ retentionDays: 90 });
    expect((await get('/api/settings')).json()).toEqual({ retentionDays: 90 });
    expect(h.store.audit.list({ action: 'settings:update' })[0]).toMatchObject({ actor: 'dashboard:alice', details: { before: null, after: 90 } });
  });
});
