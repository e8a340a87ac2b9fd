import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';
import { useLoggedIn } from './logged-in.js';

// More than two of the API's 500-event pages, and a detail that CSV must quote.
const COUNT = 1234;
const ACTION = 'site:deploy';
const tricky = 'a "quoted", comma\nand a newline';

const dash = useLoggedIn({
  path: `/audit?action=${ACTION}`,
  seed: async (h) => {
    const t0 = Date.parse('2026-01-10T00:00:00.000Z');
    for (let i = 0; i < COUNT; i++) {
      h.store.audit.add({
        time: new Date(t0 + i * 1000).toISOString(),
        actor: 'ops',
        action: ACTION,
        target: `site-${i}`,
        result: 'ok',
        details: { note: tricky, i },
      });
    }
  },
});

const download = async (name: string) => {
  const { page } = dash();
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name }).click(),
  ]);
  return readFileSync((await file.path())!, 'utf8');
};

describe('audit paging and export', () => {
  it('pages through every event over the API offset', async () => {
    const { page } = dash();
    const shown = page.getByLabel('shown');
    await expect.poll(() => shown.innerText(), { timeout: 10_000 }).toBe(`1–500 of ${COUNT}`);
    await page.getByRole('button', { name: 'Older' }).click();
    await expect.poll(() => shown.innerText(), { timeout: 10_000 }).toBe(`501–1000 of ${COUNT}`);
    expect(new URL(page.url()).searchParams.get('offset')).toBe('500');
    await page.getByRole('button', { name: 'Older' }).click();
    await expect.poll(() => shown.innerText(), { timeout: 10_000 }).toBe(`1001–${COUNT} of ${COUNT}`);
    expect(await page.getByRole('button', { name: 'Older' }).isDisabled()).toBe(true);
  });

  it('exports all matching events as JSONL and as CSV, not just the page shown', async () => {
    const jsonl = (await download('Export JSONL'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { target: string; details: { note: string } });
    expect(jsonl).toHaveLength(COUNT);
    expect(new Set(jsonl.map((e) => e.target)).size).toBe(COUNT);
    expect(jsonl.every((e) => e.details.note === tricky)).toBe(true);
    const csv = await download('Export CSV');
    expect(csv.split('\r\n')[0]).toBe('time,actor,action,target,result,runId,details');
    expect(csv.split('\r\n').length - 2).toBe(COUNT);
    expect(csv).toContain(`"{""note"":""a \\""quoted\\"", comma\\nand a newline"",""i"":0}"`);
  });
});
