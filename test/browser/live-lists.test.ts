import { describe, expect, it } from 'vitest';
import { plannedRun } from './fixtures.js';
import { useLoggedIn } from './logged-in.js';

const dash = useLoggedIn({ path: '/runs' });

describe('lists that follow the store', () => {
  it('the runs list shows a run started elsewhere, then its end, without a reload', async () => {
    const { page, h } = dash();
    await page.getByRole('heading', { name: 'Runs' }).waitFor();
    await page.evaluate('window.__sameDocument = true');
    const run = plannedRun('elsewhere-51de', 'renew-certs', ['lab01'], [{ task: 'renew due certificates', status: 'failed' }]);
    const token = h.token('ingest');
    expect((await h.ingest(run.start as never, token)).statusCode).toBe(202);
    const row = page.locator('tr', { has: page.locator('a[href="/runs/elsewhere-51de"]') });
    await row.waitFor();
    await row.getByText('running').waitFor();
    for (const step of run.steps) expect((await h.ingest(step as never, token)).statusCode).toBe(202);
    expect((await h.ingest(run.end as never, token)).statusCode).toBe(202);
    await row.getByText('failed').waitFor();
    // A run written straight into the store, as a CLI run on this machine writes it.
    h.store.runs.start({ runId: 'local-0c11', playbook: 'cert-status', params: {}, hosts: ['lab02'], check: true, diff: false, actor: 'ops@ctl', origin: 'tty', startedAt: new Date().toISOString() });
    await page.locator('a[href="/runs/local-0c11"]').waitFor();
    // The filters learn the new values too.
    await expect.poll(() => page.getByLabel('Host').locator('option').allInnerTexts()).toEqual(expect.arrayContaining(['lab01', 'lab02']));
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
  });

  it('the overview and the hosts page follow too', async () => {
    const { page, h } = dash();
    await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Overview' }).click();
    const running = page.getByRole('region', { name: 'fleet health' }).getByText('Runs running').locator('..');
    await expect.poll(() => running.innerText()).toContain('1');
    h.store.runs.end({ runId: 'local-0c11', reason: 'completed', exitCode: 0, recap: {}, durationMs: 5, endedAt: new Date().toISOString() });
    await expect.poll(() => running.innerText()).toContain('0');

    await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Hosts' }).click();
    await page.getByRole('heading', { name: 'Hosts' }).waitFor();
    expect(await page.getByRole('link', { name: 'lab09' }).count()).toBe(0);
    h.store.hostState.saveHostState('lab09', { certificates: [], containers: [], sites: [], load: { one: 3.5, five: 1, fifteen: 0.5 } });
    await page.getByRole('link', { name: 'lab09' }).waitFor();
    await page.getByText('3.5 1 0.5').waitFor();
  });

  it("a host's timeline shows how each run went for that host, and follows new runs", async () => {
    const { page, h } = dash();
    await page.getByRole('link', { name: 'lab09' }).click();
    const timeline = page.getByRole('list', { name: 'timeline' });
    await page.getByText('No runs on this host yet.').waitFor();
    // lab10 fails the run; lab09's own part of it changed something.
    const split = plannedRun('split-9a7e', 'vhost-sync', ['lab09', 'lab10'], [{ task: 'write vhosts', status: (host) => (host === 'lab10' ? 'failed' : 'changed') }]);
    const token = h.token('ingest');
    for (const events of [split.start, ...split.steps, split.end]) expect((await h.ingest(events as never, token)).statusCode).toBe(202);
    const entry = timeline.getByRole('listitem').filter({ has: page.locator('a[href="/runs/split-9a7e"]') }).first();
    await entry.waitFor();
    expect(await entry.locator('.status').first().innerText()).toBe('changed');
    await entry.getByText('(run failed)').waitFor();
  });
});
