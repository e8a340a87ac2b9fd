import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRunLab, useLab } from '../lab/use-lab.js';
import { PASSWORD, USER, type Harness } from '../unit/dashboard/harness.js';
import type { Browser } from './chromium.js';
import { startLabDashboard } from './lab-dashboard.js';

/**
 * The whole path on real hosts: the page starts `demo` on 3 lab hosts, the dashboard spawns the
 * built CLI, the run records itself in the dashboard's own store, and the page follows it there
 * to its recap without a reload.
 */
describe.skipIf(!canRunLab)('a run on 3 lab hosts, started and watched in Chromium', () => {
  const lab = useLab({ hosts: 3 });
  let h: Harness;
  let browser: Browser;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    ({ h, base, browser, page } = await startLabDashboard(lab().inventoryFile));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('starts demo from the form and shows every host and task live until the recap', async () => {
    await page.goto(`${base}/start`);
    await page.getByLabel('User').fill(USER);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByLabel('Playbook').selectOption('demo');
    await page.locator('#param-root').fill('/srv/vsa-dashboard-e2e');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('heading', { name: /^demo/ }).waitFor();
    await page.evaluate('window.__sameDocument = true');
    const recap = page.getByRole('region', { name: 'recap' });
    await recap.waitFor({ timeout: 120_000 });
    expect(await recap.locator('tr[data-host] td:first-child').allInnerTexts()).toEqual(['h01', 'h02', 'h03']);
    expect(await page.locator('h1 .status').innerText()).toBe('ok');
    // 10 tasks and the handler they notify, on each host.
    expect(await page.locator('button.cell').count()).toBe(33);
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    const runId = new URL(page.url()).pathname.split('/').pop()!;
    expect(h.store.history.get(runId)).toMatchObject({ origin: 'dashboard', actor: `dashboard:${USER}`, status: 'ok' });

    await page.getByLabel('h02 app config: changed').click();
    const diff = page.getByRole('region', { name: 'result' }).getByLabel('diff');
    await diff.waitFor();
    expect(await diff.innerText()).toContain('+');
    await page.screenshot({ path: fileURLToPath(new URL('../../docs/screenshots/run-lab.png', import.meta.url)), fullPage: true });
  });
});
