import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRunLab, useLab } from '../lab/use-lab.js';
import { PASSWORD, USER, type Harness } from '../unit/dashboard/harness.js';
import type { Browser } from './chromium.js';
import { startLabDashboard } from './lab-dashboard.js';

const WAIT = 'test/browser/playbooks/wait.ts';

/**
 * Cancel and re-run on a real host: the page starts a run of twenty 3-second waits over SSH (not
 * check mode, so it holds the host's lock), Cancel stops it at its next heartbeat, the CLI exits
 * 130 and the page shows who cancelled; Re-run starts a new run with the same params, which can
 * only take the host's lock because the cancelled run released it.
 */
describe.skipIf(!canRunLab)('cancel and re-run a lab run from Chromium', () => {
  const lab = useLab({ hosts: 1 });
  const exits = new Map<string, number | null>();
  let h: Harness;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    let base: string;
    ({ h, base, browser, page } = await startLabDashboard(lab().inventoryFile, {
      offer: { playbooks: [WAIT] },
      onExit: (runId, code) => runId && exits.set(runId, code),
    }));
    await page.goto(`${base}/start`);
    await page.getByLabel('User').fill(USER);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    // A run the test left going is asked to stop twice (its commands cut off) before the store closes.
    for (const r of h?.store.history.list({ status: 'running' }) ?? []) {
      h.store.runs.requestCancel(r.id, 'test cleanup');
      h.store.runs.requestCancel(r.id, 'test cleanup');
    }
    for (let i = 0; i < 300 && h?.store.history.list({ status: 'running' }).length; i++) await sleep(100);
    await h?.close();
  }, 60_000);

  const runIdOfPage = () => new URL(page.url()).pathname.split('/').pop()!;
  const heading = () => page.getByRole('heading', { level: 1 });

  it('Cancel stops the run at its next heartbeat: the CLI exits 130, the run shows cancelled by the user', async () => {
    await page.getByLabel('Playbook').selectOption(WAIT);
    await page.locator('#param-seconds').fill('3');
    await page.locator('#param-times').fill('20');
    await page.getByRole('button', { name: 'Start' }).click();
    await heading().getByText('running').waitFor();
    const runId = runIdOfPage();

    const asked = Date.now();
    await page.getByRole('group', { name: 'run actions' }).getByRole('button', { name: 'Cancel', exact: true }).click();
    await page.getByText(`Cancel asked by dashboard:${USER}: no new tasks start.`).waitFor();
    await heading().getByText('cancelled').waitFor({ timeout: 20_000 });
    // One beat (5 s) and the 3-second task that was running, with room for a loaded machine.
    expect(Date.now() - asked).toBeLessThan(15_000);
    expect(await page.getByLabel('cancelled by').innerText()).toBe(`dashboard:${USER}`);
    await expect.poll(() => exits.get(runId), { timeout: 10_000 }).toBe(130);
    const run = h.store.history.get(runId);
    expect(run).toMatchObject({ status: 'cancelled', cancelledBy: `dashboard:${USER}`, exitCode: 130, params: { seconds: 3, times: 20 } });
    expect(h.store.history.tasks(runId).length).toBeLessThan(20);
  }, 60_000);

  it('Re-run starts a new run with the same params and limit, which takes the lock the cancelled run released', async () => {
    const first = runIdOfPage();
    await page.getByRole('button', { name: 'Re-run', exact: true }).click();
    await expect.poll(runIdOfPage, { timeout: 20_000 }).not.toBe(first);
    const second = runIdOfPage();
    await heading().getByText('running').waitFor();
    const again = h.store.history.get(second);
    expect(again).toMatchObject({ playbook: 'browser-wait', params: { seconds: 3, times: 20 }, hosts: ['h01'], check: false, actor: `dashboard:${USER}` });
    // Its first wait ran: the host's lock was free.
    await expect.poll(() => h.store.history.tasks(second).map((t) => t.status)[0], { timeout: 20_000 }).toBe('changed');
    expect(h.store.audit.list({ action: 'dashboard:rerun' })[0]).toMatchObject({ runId: second, details: { from: first, limit: 'h01' } });

    // Asked twice before a beat reads it: the next beat stops the run and cuts off its running wait.
    const actions = page.getByRole('group', { name: 'run actions' });
    await actions.getByRole('button', { name: 'Cancel', exact: true }).click();
    await actions.getByRole('button', { name: 'Cancel running tasks' }).click();
    await heading().getByText('cancelled').waitFor({ timeout: 20_000 });
    await expect.poll(() => exits.get(second), { timeout: 10_000 }).toBe(130);
  }, 90_000);
});
