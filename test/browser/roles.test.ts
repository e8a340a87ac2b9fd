import { describe, expect, it } from 'vitest';
import { useLoggedIn } from './logged-in.js';

const dash = useLoggedIn({ path: '/start', role: 'viewer' });

/** The session's CSRF token, as the page itself got it: a refused change must be refused for its role, not its token. */
async function csrf(): Promise<string> {
  const { page, base } = dash();
  return ((await (await page.request.get(`${base}/api/auth/session`)).json()) as { csrfToken: string }).csrfToken;
}

describe('a viewer in Chromium', () => {
  it('sees the start form without a Start button, and gets one as operator', async () => {
    const { page, h } = dash();
    await page.getByLabel('Playbook').selectOption('cert-status');
    await page.getByRole('note').filter({ hasText: 'Starting a run needs the operator role; you are a viewer.' }).waitFor();
    expect(await page.getByRole('button', { name: 'Start' }).count()).toBe(0);
    h.ctx.users.setRole('viewer-user', 'operator', 'test@harness');
    await page.reload();
    await page.getByLabel('Playbook').selectOption('cert-status');
    await page.getByRole('button', { name: 'Start' }).waitFor();
    h.ctx.users.setRole('viewer-user', 'viewer', 'test@harness');
  });

  it('is refused 403 on a POST that starts a run, and on a settings change, with a valid CSRF token', async () => {
    const { page, base, h } = dash();
    const headers = { 'x-csrf-token': await csrf() };
    const start = await page.request.post(`${base}/api/runs`, { headers, data: { playbook: 'cert-status', params: {}, check: true } });
    expect([start.status(), await start.json()]).toEqual([403, { error: 'needs the operator role (viewer-user is viewer)' }]);
    const settings = await page.request.put(`${base}/api/settings`, { headers, data: { retentionDays: 1 } });
    expect(settings.status()).toBe(403);
    // The same session reads as before.
    expect((await page.request.get(`${base}/api/runs`)).status()).toBe(200);
    expect(h.store.audit.list({}).map((e) => e.action)).not.toContain('dashboard:run');
  });

  it('sees settings without a Save button', async () => {
    const { page, base } = dash();
    await page.goto(`${base}/settings`);
    await page.getByText('Changing settings needs the admin role.').waitFor();
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
  });

  it('sees admin actions on the Audit page, with who made them', async () => {
    const { page, base } = dash();
    await page.goto(`${base}/audit?action=dashboard:user-role`);
    const rows = page.getByRole('table', { name: 'audit events' }).locator('.row-cols.audit:not(.head)');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
    expect(await rows.first().innerText()).toMatch(/test@harness\s+dashboard:user-role\s+viewer-user/);
  });
});
