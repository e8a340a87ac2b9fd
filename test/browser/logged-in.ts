import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import type { Role } from '../../dashboard/server/auth/roles.js';
import { afterAll, beforeAll } from 'vitest';
import { ACTOR, PASSWORD, startHarness, USER, type Harness } from '../unit/dashboard/harness.js';
import { launchChromium, type Browser, type LaunchOptions } from './chromium.js';
import { ensureWebBuild, webRoot } from './web-build.js';

export interface Dashboard {
  h: Harness;
  page: Page;
  base: string;
}

/**
 * A dashboard on loopback over a fresh store, seeded before the browser starts, and a Chromium page
 * that logged in on its way to `path`, as the harness's admin or as a new user of `role`
 * (`ROLE-user`). Closed after the file's tests, failed or not.
 */
export function useLoggedIn(opts: {
  path: string;
  seed?: (h: Harness) => Promise<void> | void;
  chromium?: LaunchOptions;
  role?: Role;
}): () => Dashboard {
  let d: Dashboard | undefined;
  let h: Harness | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    await ensureWebBuild();
    h = await startHarness({ webRoot, pollMs: 200 });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    await opts.seed?.(h);
    const user = opts.role === undefined ? USER : `${opts.role}-user`;
    if (opts.role !== undefined) await h.ctx.users.add(user, PASSWORD, opts.role, ACTOR);
    browser = await launchChromium(opts.chromium);
    const page = await browser.context.newPage();
    // A missing element fails its step with a message, well before the test's own timeout.
    page.setDefaultTimeout(10_000);
    await page.goto(`${base}${opts.path}`);
    await page.getByLabel('User').fill(user);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('navigation', { name: 'main' }).waitFor();
    d = { h, page, base };
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });
  return () => {
    if (!d) throw new Error('the dashboard did not start');
    return d;
  };
}
