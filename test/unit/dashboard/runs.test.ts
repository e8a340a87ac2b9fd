import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scriptedRun } from '../store/fixtures/events.js';
import { pushed, startHarness, type Harness } from './harness.js';

let h: Harness;
let auth: { cookie: string };
beforeEach(async () => {
  h = await startHarness();
  auth = { cookie: (await h.login()).cookie };
  const ingest = h.token('ingest');
  await h.ingest(pushed(scriptedRun('run-a', ['web1', 'web2'], '2026-01-10T10:00:00.000Z')), ingest);
  await h.ingest(pushed(scriptedRun('run-b', ['web2', 'web3'], '2026-01-12T10:00:00.000Z')), ingest);
});
afterEach(() => h.close());

const get = (url: string) => h.app.inject({ url, headers: auth });

describe('runs', () => {
  it('lists runs newest first with a total for paging', async () => {
    const page = (await get('/api/runs?limit=1')).json();
    expect(page.total).toBe(2);
    expect(page.runs.map((r: { id: string }) => r.id)).toEqual(['run-b']);
    expect((await get('/api/runs?limit=1&offset=1')).json().runs[0].id).toBe('run-a');
  });

  it('filters by host, status, who and date', async () => {
    const ids = async (q: string) => (await get(`/api/runs?${q}`)).json().runs.map((r: { id: string }) => r.id);
    expect(await ids('host=web1')).toEqual(['run-a']);
    expect(await ids('status=failed')).toEqual(['run-b', 'run-a']);
    expect(await ids('status=ok')).toEqual([]);
    expect(await ids('actor=alice')).toEqual(['run-b', 'run-a']);
    expect(await ids('actor=bob')).toEqual([]);
    expect(await ids('since=2026-01-11')).toEqual(['run-b']);
    expect(await ids('until=2026-01-10')).toEqual(['run-a']);
    expect(await ids('playbook=provision-site&origin=tty')).toEqual(['run-b', 'run-a']);
  });

  it('refuses filters it does not know or cannot read', async () => {
    expect((await get('/api/runs?status=weird')).statusCode).toBe(400);
    expect((await get('/api/runs?since=yesterday')).statusCode).toBe(400);
    expect((await get('/api/runs?limit=0')).statusCode).toBe(400);
    expect((await get('/api/runs?sort=id')).statusCode).toBe(400);
  });

  it('offers the values the filters can take', async () => {
    expect((await get('/api/runs/facets')).json()).toEqual({
      playbooks: ['provision-site'],
      hosts: ['web1', 'web2', 'web3'],
      actors: ['alice@ctl'],
    });
  });

  it('shows a run with its grid cells but without diffs, which load per result', async () => {
    const detail = (await get('/api/runs/run-a')).json();
    expect(detail.run).toMatchObject({ id: 'run-a', status: 'failed', counts: { ok: 2, changed: 2, failed: 1 } });
    const changed = detail.results.find((r: { host: string; status: string }) => r.host === 'web1' && r.status === 'changed');
    expect(changed).toMatchObject({ task: 'write vhost', hasDiff: true });
    expect(changed).not.toHaveProperty('diff');
    const full = (await get(`/api/runs/run-a/results/${changed.id}`)).json();
    expect(full.diff).toContain('+server_name shop.example.com;');
    expect((await get('/api/runs/run-a?host=web2')).json().results.every((r: { host: string }) => r.host === 'web2')).toBe(true);
  });

  it('answers 404 for an unknown run or a result of another run', async () => {
    expect((await get('/api/runs/nope')).statusCode).toBe(404);
    const b = (await get('/api/runs/run-b')).json();
    expect((await get(`/api/runs/run-a/results/${b.results[0].id}`)).statusCode).toBe(404);
  });

  it('compares two runs per host and task', async () => {
    const { rows } = (await get('/api/compare?a=run-a&b=run-b')).json();
    const row = (host: string, task: string) => rows.find((r: { host: string; task: string }) => r.host === host && r.task === task);
    expect(row('web1', 'network')).toMatchObject({ a: { status: 'ok' }, b: null, same: false });
    expect(row('web3', 'nginx -t')).toMatchObject({ a: null, b: { status: 'failed' } });
    // web2 failed nginx -t in run-a (last host) but not in run-b, where web3 is last.
    expect(row('web2', 'nginx -t')).toMatchObject({ a: { status: 'failed' }, b: null });
    expect(row('web2', 'write vhost')).toMatchObject({ same: true });
    expect((await get('/api/compare?a=run-a')).statusCode).toBe(400);
  });

  it('searches task output on the server', async () => {
    const { hits } = (await get('/api/search?q=%5Bemerg%5D')).json();
    expect(hits.map((x: { runId: string; host: string }) => `${x.runId}/${x.host}`)).toEqual(['run-b/web3', 'run-a/web2']);
    expect(hits[0]).toMatchObject({ field: 'message', snippet: 'nginx: [emerg] bad' });
    const inRun = (await get('/api/search?q=server_name&runId=run-a')).json().hits;
    expect(inRun).toHaveLength(2);
    expect(inRun[0].field).toBe('diff');
    // LIKE wildcards are matched literally.
    expect((await get('/api/search?q=%25%25')).json().hits).toEqual([]);
    expect((await get('/api/search?q=x')).statusCode).toBe(400);
  });

  it('searches commands\' stdout and stderr too, naming the stream and the line the log view shows', async () => {
    const stdout = `${Array.from({ length: 41 }, (_, i) => `step ${i}`).join('\n')}\n\u001b[31mE: Unable to locate "pkg\\x"\u001b[0m\n`;
    const result = (task: string, taskIndex: number, data: Record<string, unknown>) => ({
      type: 'task:result' as const, time: '2026-01-12T10:00:05.000Z', runId: 'run-b', host: 'web2', task, taskIndex,
      handler: false, status: 'failed' as const, durationMs: 3, roundTrips: 1, data,
    });
    // run-b has ended; these results arrive late, as a re-sent batch would.
    await h.ingest([result('apt', 7, { rc: 100, stdout, stderr: '' }), result('warn', 8, { rc: 0, stdout: '', stderr: 'W: deprecated key\n' })], h.token('ingest'));
    const hits = (await get(`/api/search?q=${encodeURIComponent('unable to locate "pkg\\x')}`)).json().hits;
    expect(hits).toEqual([expect.objectContaining({ runId: 'run-b', task: 'apt', field: 'stdout', line: 42, snippet: 'E: Unable to locate "pkg\\x"' })]);
    expect((await get('/api/search?q=deprecated')).json().hits).toEqual([expect.objectContaining({ task: 'warn', field: 'stderr', line: 1 })]);
  });
});
