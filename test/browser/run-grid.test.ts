import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useLoggedIn } from './logged-in.js';
import { plannedRun } from './fixtures.js';

const HOSTS = 200;
const TASKS = 60;
const hosts = Array.from({ length: HOSTS }, (_, i) => `web${String(i).padStart(3, '0')}`);
const run = plannedRun(
  'wide-6060c0de',
  'provision-site',
  hosts,
  Array.from({ length: TASKS }, (_, i) => ({
    task: `task ${String(i).padStart(2, '0')}`,
    status: i % 7 === 3 ? 'changed' : 'ok',
  })),
);

// web-b fails its second task and web-c is unreachable from the first: the runner runs no more on either.
const stopping = plannedRun(
  'stop-0badf00d',
  'provision-site',
  ['web-a', 'web-b', 'web-c'],
  [0, 1, 2, 3].map((i) => ({
    task: `step ${i}`,
    status: (host: string) =>
      host === 'web-c' ? 'unreachable' : host === 'web-b' && i === 1 ? 'failed' : 'ok',
  })),
);
const ran = (e: (typeof stopping.all)[number]) =>
  e.type !== 'task:result' ||
  !((e.host === 'web-b' && e.taskIndex > 1) || (e.host === 'web-c' && e.taskIndex > 0));

const dash = useLoggedIn({
  path: `/runs/${run.start[0]!.runId}`,
  seed: async (h) => {
    const token = h.token('ingest');
    for (let i = 0; i < run.all.length; i += 1000) {
      const res = await h.ingest(run.all.slice(i, i + 1000), token);
      expect(res.statusCode).toBe(202);
    }
    expect((await h.ingest(stopping.all.filter(ran), token)).statusCode).toBe(202);
  },
});

const box = async (l: Locator) => {
  const b = await l.boundingBox();
  if (!b) throw new Error('element not laid out');
  return b;
};

describe('run grid at 60 tasks × 200 hosts', () => {
  it('keeps the task header and the host column fixed and aligned after scrolling both ways', async () => {
    const { page } = dash();
    const grid = page.getByRole('table', { name: 'host by task results' });
    await grid.getByRole('rowheader', { name: 'web000' }).waitFor();
    const scroller = grid.locator('.vlist-scroll');
    // Scroll as far as the browser lets us, both ways, then wait for the rows of the new window.
    await scroller.evaluate(
      (el: { scrollTop: number; scrollLeft: number; scrollHeight: number; scrollWidth: number }) => {
        el.scrollTop = el.scrollHeight / 2;
        el.scrollLeft = el.scrollWidth;
      },
    );
    const row = grid.locator('[data-host="web100"]');
    await row.waitFor();
    const view = await box(scroller);

    // The header stays at the top of the scrolling box, the host column at its left edge.
    const headHost = grid.getByRole('columnheader', { name: 'host' });
    expect((await box(headHost)).y).toBeCloseTo(view.y, 0);
    expect((await box(headHost)).x).toBeCloseTo(view.x, 0);
    const rowHost = row.getByRole('rowheader');
    expect((await box(rowHost)).x).toBeCloseTo(view.x, 0);
    expect(await rowHost.innerText()).toBe('web100');

    // Each task label sits exactly above its cells: the last column is in view after scrolling right.
    const last = `task ${TASKS - 1}`;
    const head = grid.getByRole('columnheader', { name: last });
    const cell = row.getByLabel(new RegExp(`^web100 ${last}: `));
    const [hb, cb] = [await box(head), await box(cell)];
    expect(hb.x + hb.width).toBeGreaterThan(view.x);
    expect(hb.x + hb.width).toBeLessThanOrEqual(view.x + view.width + 1);
    expect(Math.abs(hb.x - cb.x)).toBeLessThanOrEqual(4);
    expect(Math.abs(hb.x + hb.width - (cb.x + cb.width))).toBeLessThanOrEqual(4);
    // The row sits below the header, not under it.
    expect(cb.y).toBeGreaterThanOrEqual(hb.y + hb.height - 1);
  });
});

describe('hosts that stopped', () => {
  it('show "not run" cells after a failure or going unreachable, and the runs table counts unreachable hosts', async () => {
    const { page, base } = dash();
    await page.goto(`${base}/runs/${stopping.start[0]!.runId}`);
    const grid = page.getByRole('table', { name: 'host by task results' });
    await grid.getByRole('rowheader', { name: 'web-a' }).waitFor();
    const notRun = (host: string) =>
      grid
        .locator(`[data-host="${host}"] [aria-label$=": not run"]`)
        .evaluateAll((els: { getAttribute(n: string): string | null }[]) =>
          els.map((e) => e.getAttribute('aria-label')),
        );
    expect(await notRun('web-a')).toEqual([]);
    expect(await notRun('web-b')).toEqual(['web-b step 2: not run', 'web-b step 3: not run']);
    expect(await notRun('web-c')).toEqual([
      'web-c step 1: not run',
      'web-c step 2: not run',
      'web-c step 3: not run',
    ]);
    expect(await grid.getByLabel('web-b step 2: not run').getAttribute('title')).toBe(
      'not run: the host stopped after step 1 (failed)',
    );
    await page.goto(`${base}/runs`);
    const row = page.locator(`tr[data-run="${stopping.start[0]!.runId}"]`);
    await row.waitFor();
    expect(await row.locator('.counts').innerText()).toBe('5 / 0 / 1 · 1 unreachable');
  });
});
