import { describe, expect, it } from 'vitest';
import { useLoggedIn } from './logged-in.js';
import { plannedRun, vhostDiff } from './fixtures.js';

const WIDTH = 390;
const hosts = ['lab01', 'lab02', 'lab03', 'lab04', 'lab05'];
const run = plannedRun(
  'phone-39039039',
  'provision-site',
  hosts,
  Array.from({ length: 15 }, (_, i) => ({
    task: `provision step number ${i}`,
    status: i === 4 ? 'changed' : 'ok',
    diff: vhostDiff,
  })),
);

const dash = useLoggedIn({
  path: '/runs',
  seed: async (h) => {
    expect((await h.ingest(run.all, h.token('ingest'))).statusCode).toBe(202);
  },
  chromium: { viewport: { width: WIDTH, height: 844 } },
});

const pageWidth = async () => Number(await dash().page.evaluate('document.documentElement.scrollWidth'));

describe(`dashboard on a ${WIDTH} px phone`, () => {
  it('folds the navigation behind a menu button that opens it and folds again on navigating', async () => {
    const { page } = dash();
    const nav = page.getByRole('navigation', { name: 'main' });
    const audit = nav.getByRole('link', { name: 'Audit' });
    expect(await audit.isVisible()).toBe(false);
    await nav.getByRole('button', { name: 'Menu' }).click();
    await audit.click();
    await page.getByRole('heading', { name: 'Audit', exact: true }).waitFor();
    await audit.waitFor({ state: 'hidden' });
  });

  it('never scrolls the page sideways, on any page', async () => {
    const { page, base } = dash();
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
    const { page, base } = dash();
    await page.goto(`${base}/runs/${run.start[0]!.runId}`);
    const cell = page.getByLabel('lab05 provision step number 14: ok');
    await cell.scrollIntoViewIfNeeded();
    await cell.click();
    await page.getByRole('region', { name: 'result' }).waitFor();
    expect(await pageWidth()).toBeLessThanOrEqual(WIDTH);
  });
});
