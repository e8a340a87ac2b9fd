import { describe, expect, it } from 'vitest';
import { useLoggedIn } from './logged-in.js';

const RUN = 'progress-4b1d';
const at = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
const dash = useLoggedIn({
  path: `/runs/${RUN}`,
  // A run recorded on this machine, as the CLI records it: two hosts each on a task since a while.
  seed: (h) => {
    h.store.runs.start({ runId: RUN, playbook: 'provision-site', params: {}, hosts: ['web1', 'web2'], check: false, diff: false, actor: 'ops@ctl', origin: 'tty', startedAt: at(125_000) });
    h.store.runs.taskStarted({ runId: RUN, host: 'web1', task: 'certificate for shop.example.test', taskIndex: 4, handler: false }, at(95_000));
    h.store.runs.taskStarted({ runId: RUN, host: 'web2', task: 'attach flowbiz_ext', taskIndex: 0, handler: false }, at(3_000));
  },
});

/** Seconds in a duration as the page writes it: `850 ms`, `3.2 s`, `2m 05s`. */
const seconds = (text: string) => {
  const m = /^(?:(\d+) ms|(\d+(?:\.\d+)?) s|(\d+)m (\d+)s)$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: "${text}"`);
  return m[1] ? Number(m[1]) / 1000 : m[2] ? Number(m[2]) : Number(m[3]) * 60 + Number(m[4]);
};

describe('a running run, live', () => {
  it('shows the task each host is on and for how long, the run elapsed time ticking, until the run ends', async () => {
    const { page, h } = dash();
    const table = page.getByRole('table', { name: 'running tasks' });
    await table.waitFor();
    const row = (host: string) => table.locator(`tr[data-host="${host}"] td`);
    expect(await row('web1').nth(1).innerText()).toBe('certificate for shop.example.test');
    expect(await row('web2').nth(1).innerText()).toBe('attach flowbiz_ext');
    const web1 = seconds(await row('web1').nth(2).innerText());
    expect(web1).toBeGreaterThanOrEqual(95);
    expect(web1).toBeLessThan(125);
    expect(seconds(await row('web2').nth(2).innerText())).toBeLessThan(60);
    const elapsed = page.getByLabel('elapsed');
    const first = seconds(await elapsed.innerText());
    expect(first).toBeGreaterThanOrEqual(125);
    await expect.poll(async () => seconds(await elapsed.innerText()), { timeout: 5_000 }).toBeGreaterThan(first);

    // web2 moves on; web1's task ends with a result.
    h.store.runs.task({ runId: RUN, host: 'web2', task: 'attach flowbiz_ext', taskIndex: 0, handler: false, status: 'ok', durationMs: 3000, roundTrips: 1 });
    h.store.runs.taskStarted({ runId: RUN, host: 'web2', task: 'write HTTP vhost', taskIndex: 1, handler: false });
    await expect.poll(() => row('web2').nth(1).innerText()).toBe('write HTTP vhost');
    h.store.runs.task({ runId: RUN, host: 'web1', task: 'certificate for shop.example.test', taskIndex: 4, handler: false, status: 'changed', durationMs: 95_000, roundTrips: 2 });
    await expect.poll(() => table.locator('tr[data-host="web1"]').count()).toBe(0);

    h.store.runs.end({ runId: RUN, reason: 'completed', exitCode: 0, recap: {}, durationMs: 130_000, endedAt: new Date().toISOString() });
    await table.waitFor({ state: 'detached' });
    await page.getByLabel('live').waitFor({ state: 'detached' });
    expect(await page.getByRole('term').filter({ hasText: 'Took' }).count()).toBe(1);
  });
});
