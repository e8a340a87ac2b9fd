import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AnyEvent } from '../../runner/events/types.js';
import { useLoggedIn } from './logged-in.js';
import { plannedRun, XSS } from './fixtures.js';

const LINES = 100_000;
const ESC = '\u001b';
const RUN = 'log-10000000';
const LONG = `long ${'x'.repeat(3000)} end`;
// Line 1 in bold red, a 3,000-character line 3, a needle once at line 77,778, markup and a
// terminal title a hostile host could print, the rest plain.
const stdout = Array.from({ length: LINES }, (_, i) => {
  if (i === 0) return `${ESC}[1;31mERROR${ESC}[0m first line`;
  if (i === 2) return LONG;
  if (i === 4) return `${ESC}]0;owned${ESC}\\${XSS}`;
  if (i === 77_777) return `needle-77778 ${ESC}[32mgreen${ESC}[0m`;
  return `line ${i + 1} of the build log`;
}).join('\n') + '\n';
const stderr = 'warning: deprecated option\n';

const run = plannedRun(RUN, 'stack-up', ['web1'], [{ task: 'compose up', status: 'changed' }]);
const result = run.steps[0]![0] as Extract<AnyEvent, { type: 'task:result' }>;
result.data = { rc: 0, stdout, stderr };

const dash = useLoggedIn({
  path: `/runs/${RUN}`,
  seed: async (h) => {
    expect((await h.ingest(run.all, h.token('ingest'))).statusCode).toBe(202);
  },
});

const open = async () => {
  const { page, base } = dash();
  await page.goto(`${base}/runs/${RUN}`);
  await page.getByLabel('web1 compose up: changed').click();
  const log = page.getByRole('log', { name: 'stdout lines' });
  await log.locator('[data-line="1"]').waitFor();
  return { page, log };
};

describe('the log view of a 100,000-line output', () => {
  it('renders it with line numbers and colours, keeping the DOM small wherever it scrolls', async () => {
    const { page, log } = await open();
    expect(await page.getByRole('button', { name: 'stdout (100,000 lines)' }).getAttribute('aria-pressed')).toBe('true');
    const first = log.locator('[data-line="1"]');
    expect(await first.locator('.log-num').innerText()).toBe('1');
    expect(await first.locator('.ansi-fg-1.ansi-bold').innerText()).toBe('ERROR');
    // Markup and escape sequences are text, never elements or control characters.
    expect(await log.locator('[data-line="5"] .log-text').innerText()).toBe(XSS);
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    expect(await log.innerText()).not.toContain(ESC);

    const nodes = async () => Number(await page.evaluate('document.querySelectorAll("*").length'));
    expect(await nodes()).toBeLessThan(1500);
    await log.evaluate((el: { scrollTop: number; scrollHeight: number }) => (el.scrollTop = el.scrollHeight));
    await log.locator(`[data-line="${LINES}"]`).waitFor();
    expect(await log.locator(`[data-line="${LINES}"] .log-text`).innerText()).toBe(`line ${LINES} of the build log`);
    expect(await nodes()).toBeLessThan(1500);
    expect(await log.locator('.log-row').count()).toBeLessThan(100);
    await log.evaluate((el: { scrollTop: number }) => (el.scrollTop = 0));
    await page.getByRole('region', { name: 'result' }).screenshot({ path: fileURLToPath(new URL('../../docs/screenshots/log-view.png', import.meta.url)) });
  });

  it('finds a line, wraps long lines on demand, and copies and downloads the text', async () => {
    const { page, log } = await open();
    await page.getByLabel('find in output').fill('NEEDLE-77778');
    await page.getByRole('button', { name: 'Find' }).click();
    const hit = log.locator('[data-line="77778"]');
    await hit.waitFor();
    expect(await hit.getAttribute('class')).toContain('log-current');
    expect(await page.getByLabel('matches').innerText()).toBe('1 of 1');
    expect(await hit.locator('.ansi-fg-2').innerText()).toBe('green');

    await log.evaluate((el: { scrollTop: number }) => (el.scrollTop = 0));
    const wide = () => log.evaluate((el: { scrollWidth: number; clientWidth: number }) => el.scrollWidth > el.clientWidth + 1);
    await log.locator('[data-line="3"]').waitFor();
    expect(await wide()).toBe(true);
    await page.getByLabel('wrap lines').check();
    await expect.poll(wide).toBe(false);
    // Wrapping keeps the found line in view; line 3 is back at the top.
    await hit.waitFor();
    await log.evaluate((el: { scrollTop: number }) => (el.scrollTop = 0));
    await log.locator('[data-line="3"]').first().waitFor();
    const pieces = await log.locator('[data-line="3"]').count();
    expect(pieces).toBeGreaterThan(2);
    expect((await log.locator('[data-line="3"] .log-text').allInnerTexts()).join('')).toBe(LONG);
    expect(await log.locator('[data-line="3"] .log-num').allInnerTexts()).toEqual(['3', ...Array(pieces - 1).fill('')]);

    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('status').filter({ hasText: 'copied' }).waitFor();
    const copied = String(await page.evaluate('navigator.clipboard.readText()'));
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
    expect(file.suggestedFilename()).toBe('web1-compose_up.stdout.log');
    const saved = readFileSync((await file.path())!, 'utf8');
    for (const text of [copied, saved]) {
      const lines = text.split('\n');
      expect(lines).toHaveLength(LINES + 1);
      expect(lines[0]).toBe('ERROR first line');
      expect(lines[77_777]).toBe('needle-77778 green');
      expect(text).not.toContain(ESC);
    }

    await page.getByRole('button', { name: 'stderr (1 line)' }).click();
    await page.getByRole('log', { name: 'stderr lines' }).getByText('warning: deprecated option').waitFor();
  });

  it('output search on the server finds stdout and opens the result at the matching line', async () => {
    const { page, base } = dash();
    await page.goto(`${base}/runs/${RUN}`);
    const search = page.getByRole('region', { name: 'search output' });
    await search.getByRole('textbox').fill('needle-77778');
    await search.getByRole('button', { name: 'Search' }).click();
    await search.getByText('stdout line 77778').waitFor();
    await search.getByRole('link', { name: RUN.slice(0, 8) }).click();
    const hit = page.getByRole('log', { name: 'stdout lines' }).locator('[data-line="77778"]');
    await hit.waitFor();
    expect(await hit.getAttribute('class')).toContain('log-current');
  });
});
