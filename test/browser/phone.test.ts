import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startHarness, USER, type Harness } from '../unit/dashboard/harness.js';
import { launchChromium, type Browser } from './chromium.js';
import { plannedRun, vhostDiff } from './fixtures.js';
import { ensureWebBuild, webRoot } from './web-build.js';

const WIDTH = 390;
const hosts = ['lab01', 'lab02', 'lab03', 'lab04', 'lab05'];
const run = plannedRun(
  'phone-39039039',
  'provision-site',
  hosts,
  Array.from({ length: 15 }, (_, i) => ({ task: `provision step number ${i}`, status: i === 4 ? 'changed' : 'ok', diff: vhostDiff })),
);

let h: Harness;
let browser: Browser;
let page: Page;
let base: string;

const pageWidth = async () => Number(await page.evaluate('document.documentElement.scrollWidth'));

beforeAll(async () => {
  await ensureWebBuild();
  h = await startHarness({ webRoot, pollMs: 200 });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  expect((await h.ingest(run.all, h.token('ingest'))).statusCode).toBe(202);
  browser = await launchChromium({ viewport: { width: WIDTH, height: 844 } });
  page = await browser.context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${base}/runs`);
  await page.getByLabel('User').fill(USER);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Runs' }).waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe(`dashboard on a ${WIDTH} px phone`, () => {
  it('folds the navigation behind a menu button that opens it and folds again on navigating', async () => {
    const nav = page.getByRole('navigation', { name: 'main' });
    const audit = nav.getByRole('link', { name: 'Audit' });
    expect(await audit.isVisible()).toBe(false);
    await nav.getByRole('button', { name: 'Menu' }).click();
    await audit.click();
    await page.getByRole('heading', { name: 'Audit', exact: true }).waitFor();
    await audit.waitFor({ state: 'hidden' });
  });

  it('never scrolls the page sideways, on any page', async () => {
    const pages: [string, string][] = [
      ['/', 'Overview'],
      ['/runs', 'Runs'],
      [`/runs/${run.start[0]!.runId}`, 'provision-site'],
      ['/hosts', 'Hosts'],
      ['/sites', 'Sites'],
      ['/certificates', 'Certificates'],
      ['/containers', 'Containers'],
      ['/audit', 'Audit'],
      ['/start', 'Start a run'],
      ['/settings', 'Settings'],
    ];
    const wide: string[] = [];
    for (const [path, heading] of pages) {
      await page.goto(`${base}${path}`);
      await page.getByRole('heading', { name: heading }).first().waitFor();
      await page.waitForLoadState('networkidle');
      if ((await pageWidth()) > WIDTH) wide.push(`${path}: ${await pageWidth()} px`);
    }
    expect(wide).toEqual([]);
  });

  it('keeps the run grid usable: its cells scroll inside the grid and open their result', async () => {
    await page.goto(`${base}/runs/${run.start[0]!.runId}`);
    const cell = page.getByLabel('lab05 provision step number 14: ok');
    await cell.scrollIntoViewIfNeeded();
    await cell.click();
    await page.getByRole('region', { name: 'result' }).waitFor();
    expect(await pageWidth()).toBeLessThanOrEqual(WIDTH);
  });
});
