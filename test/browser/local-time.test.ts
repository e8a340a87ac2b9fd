import { describe, expect, it } from 'vitest';
import { useLoggedIn } from './logged-in.js';
import { plannedRun } from './fixtures.js';

// Tokyo is UTC+9 all year: 20:30 UTC on the 10th is 05:30 on the 11th there; 14:00 UTC is still the 10th.
const morning = plannedRun(
  'tokyo-0a0b0c0d',
  'renew-certs',
  ['lab01'],
  [{ task: 'renew', status: 'ok' }],
  new Date('2026-01-10T20:30:00.000Z'),
);
const evening = plannedRun(
  'tokyo-1a1b1c1d',
  'renew-certs',
  ['lab01'],
  [{ task: 'renew', status: 'ok' }],
  new Date('2026-01-10T14:00:00.000Z'),
);

const dash = useLoggedIn({
  path: '/runs',
  seed: async (h) => {
    const res = await h.ingest([...morning.all, ...evening.all], h.token('ingest'));
    expect(res.statusCode).toBe(202);
  },
  chromium: { timezoneId: 'Asia/Tokyo' },
});

describe('dashboard in the Asia/Tokyo time zone', () => {
  it('shows times in local time with the zone named, and UTC on hover', async () => {
    const { page } = dash();
    const time = page.locator('tr[data-run="tokyo-0a0b0c0d"] time');
    await time.waitFor();
    expect(await time.innerText()).toBe('2026-01-11 05:30:00 GMT+9');
    expect(await time.getAttribute('title')).toBe('2026-01-10 20:30:00 UTC');
  });

  it('filters by local day, not by UTC day', async () => {
    const { page, base } = dash();
    await page.goto(`${base}/runs?since=2026-01-11&until=2026-01-11`);
    await page.locator('tr[data-run="tokyo-0a0b0c0d"]').waitFor();
    expect(await page.locator('tr[data-run]').count()).toBe(1);
    await page.goto(`${base}/runs?since=2026-01-10&until=2026-01-10`);
    await page.locator('tr[data-run="tokyo-1a1b1c1d"]').waitFor();
    expect(await page.locator('tr[data-run]').count()).toBe(1);
  });
});
