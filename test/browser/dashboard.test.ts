import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunLauncher } from '../../dashboard/server/index.js';
import { PASSWORD, startHarness, USER, type Harness } from '../unit/dashboard/harness.js';
import { launchChromium, type Browser } from './chromium.js';
import { plannedRun, vhostDiff, XSS } from './fixtures.js';
import { ensureWebBuild, webRoot } from './web-build.js';

const shots = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const DAY = 86_400_000;

let h: Harness;
let browser: Browser;
let page: Page;
let base: string;
let ingestToken: string;

const hosts = ['lab01', 'lab02', 'lab03'];
const live = plannedRun('live-7f3a9c21', 'provision-site', hosts, [
  { task: 'attach flowbiz_ext', status: 'ok' },
  { task: 'write HTTP vhost', status: 'changed', diff: vhostDiff },
  { task: 'nginx -t', status: (host) => (host === 'lab03' ? 'failed' : 'ok'), message: 'nginx: configuration file test' },
  { task: 'reload nginx', status: (host) => (host === 'lab03' ? 'skipped' : 'changed') },
]);

// Waits from the test's side: the page's CSP (rightly) refuses the eval a string predicate needs,
// and this project's TypeScript has no DOM types outside the web app.
const countIs = (selector: string, n: number) => expect.poll(() => page.locator(selector).count(), { timeout: 10_000 }).toBe(n);
const shot = (name: string) => page.screenshot({ path: `${shots}${name}.png`, fullPage: true });
const ingest = async (events: unknown[]) => {
  const res = await h.ingest(events as never, ingestToken);
  expect(res.statusCode).toBe(202);
};

beforeAll(async () => {
  await ensureWebBuild();
  mkdirSync(shots, { recursive: true });
  // Starting a run records its start as the CLI would; the page then follows it like any run.
  const launcher: RunLauncher = {
    launch: async (req) => {
      const runId = 'started-5eed1e55';
      const at = new Date().toISOString();
      h.store.runs.start({ runId, playbook: req.playbook, params: req.params, hosts, check: req.check, diff: req.diff, actor: req.actor, origin: 'dashboard', startedAt: at });
      return { runId };
    },
  };
  h = await startHarness({ webRoot, pollMs: 200, launcher });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  ingestToken = h.token('ingest');
  // History to browse: an ok run last week, a failed one yesterday, one carrying hostile output.
  const earlier = plannedRun('ok-2b61e0d4', 'renew-certs', hosts, [{ task: 'renew due certificates', status: 'ok' }], new Date(Date.now() - 7 * DAY));
  const failed = plannedRun('bad-91c0ffee', 'provision-site', ['lab02'], [
    { task: 'write HTTP vhost', status: 'changed', diff: vhostDiff },
    { task: 'nginx -t', status: 'failed', message: 'nginx: [emerg] unknown directive "lsten"' },
  ], new Date(Date.now() - DAY));
  const hostile = plannedRun('xss-0d15ea5e', 'vhost-sync', ['lab01'], [{ task: `render ${XSS}`, status: 'changed', message: XSS, diff: () => `--- a\n+++ b\n+${XSS}\n` }], new Date(Date.now() - 2 * DAY));
  for (const r of [earlier, failed, hostile]) await ingest(r.all);
  const cert = (name: string, days: number) => ({
    name,
    issuer: 'CN=Pebble Intermediate CA 5f1e2d',
    notAfter: new Date(Date.now() + days * DAY + 3600_000).toISOString(),
    daysLeft: days,
    sans: [name, `www.${name}`],
  });
  h.store.hostState.saveHostState('lab01', {
    certificates: [cert('shop.example.test', 12), cert('blog.example.test', 89)],
    containers: [
      { name: 'shop', image: 'localhost/vsa-web:latest', state: 'running', status: 'Up 2 hours (healthy)', health: 'healthy' },
      { name: 'blog', image: 'localhost/vsa-web:latest', state: 'exited', status: 'Exited (1) 5 minutes ago' },
    ],
    sites: [
      { version: 1, domain: 'shop.example.test', container: 'shop', port: 8080, www: true, auth: false },
      { version: 1, domain: 'blog.example.test', container: 'blog', port: 8080, www: true, auth: true },
    ],
    load: { one: 0.42, five: 0.35, fifteen: 0.2 },
    disk: [
      { filesystem: '/dev/vda1', mount: '/', sizeKb: 20_000_000, usedKb: 8_000_000, availKb: 12_000_000, usePercent: 40 },
      { filesystem: '/dev/vdb1', mount: '/srv', sizeKb: 10_000_000, usedKb: 9_400_000, availKb: 600_000, usePercent: 94 },
    ],
  });
  h.store.hostState.saveHostState('lab02', { certificates: [cert('old.example.test', 3)], containers: [], sites: [] });
  browser = await launchChromium();
  page = await browser.context.newPage();
  // A missing element fails its step with a message, well before the test's own timeout.
  page.setDefaultTimeout(10_000);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe('dashboard in Chromium', () => {
  it('is refused without login: the API answers 401 and the app shows the login form', async () => {
    const api = await page.request.get(`${base}/api/runs`);
    expect(api.status()).toBe(401);
    await page.goto(`${base}/runs`);
    await page.getByRole('form', { name: 'login' }).waitFor();
    expect(await page.getByRole('table', { name: 'runs' }).count()).toBe(0);
    await shot('login');
  });

  it('logs in and lands on the page it asked for', async () => {
    await page.getByLabel('User').fill(USER);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'wrong user name or password' }).waitFor();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Runs' }).waitFor();
    const cookie = (await browser.context.cookies()).find((c) => c.name === 'vsa_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await page.evaluate('document.cookie')).not.toContain('vsa_session');
  });

  it('filters runs by status and keeps the filter in the URL', async () => {
    await page.getByRole('table', { name: 'runs' }).waitFor();
    expect(await page.locator('tr[data-run]').count()).toBe(3);
    await page.getByLabel('Status').selectOption('failed');
    await countIs('tr[data-run]', 1);
    expect(await page.locator('tr[data-run]').getAttribute('data-run')).toBe('bad-91c0ffee');
    expect(page.url()).toContain('status=failed');
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Playbook').selectOption('renew-certs');
    await countIs('tr[data-run]', 1);
    expect(await page.locator('tr[data-run]').getAttribute('data-run')).toBe('ok-2b61e0d4');
    await page.getByRole('button', { name: 'Clear' }).click();
    await countIs('tr[data-run]', 3);
    await shot('runs');
  });

  it('watches a run on 3 hosts update live to its final recap, without a reload', async () => {
    await ingest(live.start);
    await page.goto(`${base}/runs/${live.start[0]!.runId}`);
    await page.getByLabel('live').waitFor();
    await page.evaluate('window.__sameDocument = true');
    const cells = page.getByRole('table', { name: 'host by task results' }).locator('button.cell');
    for (const [i, step] of live.steps.entries()) {
      await ingest(step);
      await countIs('button.cell', (i + 1) * hosts.length);
      if (i === 1) await shot('run-live');
    }
    expect(await cells.count()).toBe(12);
    expect(await page.getByLabel('lab03 nginx -t: failed').count()).toBe(1);
    expect(await page.getByRole('region', { name: 'recap' }).count()).toBe(0);
    await ingest(live.end);
    const recap = page.getByRole('region', { name: 'recap' });
    await recap.waitFor();
    expect(await recap.locator('tr[data-host]').count()).toBe(3);
    expect(await recap.locator('tr[data-host="lab03"] td').allInnerTexts()).toEqual(['lab03', '1', '1', '1', '1', '0', '0']);
    await page.getByLabel('live').waitFor({ state: 'detached' });
    expect(await page.locator('h1 .status').innerText()).toBe('failed');
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
  });

  it('opens a diff inline, and filters the grid to changed and failed', async () => {
    await page.getByLabel('lab02 write HTTP vhost: changed').click();
    const diff = page.getByRole('region', { name: 'result' }).getByLabel('diff');
    await diff.waitFor();
    expect(await diff.innerText()).toContain('+    server_name shop.example.test; # lab02');
    expect(await diff.locator('.diff-del').innerText()).toContain('-    listen 80;');
    await shot('run-detail');
    await page.getByLabel('only changed / failed').check();
    await countIs('button.cell', 6);
    expect(await page.getByLabel('lab01 attach flowbiz_ext: ok').count()).toBe(0);
  });

  it('renders hostile task output as inert text', async () => {
    await page.goto(`${base}/runs/xss-0d15ea5e`);
    await page.locator('button.cell').first().click();
    const panel = page.getByRole('region', { name: 'result' });
    await panel.getByLabel('message').waitFor();
    expect(await panel.getByLabel('message').innerText()).toBe(XSS);
    expect(await panel.getByLabel('diff').innerText()).toContain(XSS);
    expect(await page.locator('main img, main script').count()).toBe(0);
    await page.waitForTimeout(300);
    expect(await page.evaluate('window.__xss')).toBeUndefined();
  });

  it('shows a certificate with its days left, coloured by urgency', async () => {
    await page.goto(`${base}/certificates`);
    const row = page.locator('tr[data-cert="shop.example.test"]');
    await row.waitFor();
    expect(await row.locator('td').nth(3).innerText()).toContain('Pebble');
    expect(await row.locator('.days-left').innerText()).toMatch(/warning\s+12$/);
    expect(await row.getAttribute('class')).toBe('urgency-warning');
    expect(await page.locator('tr[data-cert="old.example.test"]').getAttribute('class')).toBe('urgency-critical');
    await shot('certificates');
  });

  it("shows each host's load and fullest filesystem from its last collection, a full one marked", async () => {
    await page.goto(`${base}/hosts`);
    const row = page.getByRole('link', { name: 'lab01', exact: true }).locator('xpath=ancestor::div[contains(@class, "row-cols")][1]');
    await row.waitFor();
    const cells = await row.locator('> span').allInnerTexts();
    expect(cells[4]).toBe('0.42 0.35 0.2');
    expect(cells[5]).toBe('94% /srv');
    expect(await row.locator('> span').nth(5).getAttribute('class')).toBe('error');
    expect(await row.locator('> span').nth(5).getAttribute('title')).toBe('586 MB free on /srv, as of the collection');
    expect(cells[6]).not.toBe('');
    const lab03 = page.getByRole('link', { name: 'lab03', exact: true }).locator('xpath=ancestor::div[contains(@class, "row-cols")][1]');
    expect((await lab03.locator('> span').allInnerTexts()).slice(4, 6)).toEqual(['—', '—']);
  });

  it('renders every other page (screenshots for the docs)', async () => {
    const pages: [string, string, string][] = [
      ['/', 'Overview', 'overview'],
      ['/hosts', 'Hosts', 'hosts'],
      ['/hosts/lab02', 'lab02', 'host-timeline'],
      ['/sites', 'Sites', 'sites'],
      ['/containers', 'Containers', 'containers'],
      ['/audit', 'Audit', 'audit'],
      ['/settings', 'Settings', 'settings'],
      ['/compare?a=bad-91c0ffee&b=live-7f3a9c21', 'Compare runs', 'compare'],
    ];
    for (const [path, heading, name] of pages) {
      await page.goto(`${base}${path}`);
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await page.waitForLoadState('networkidle');
      await shot(name);
    }
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Certificates expiring within 30 days' }).waitFor();
    expect(await page.locator('tr.urgency-warning, tr.urgency-critical').count()).toBe(2);
  });

  it('builds the start-run form from the playbook schema and checks it before sending', async () => {
    await page.goto(`${base}/start`);
    await page.getByLabel('Playbook').selectOption('provision-site');
    await page.locator('#param-domain').fill('Not A Domain');
    await page.locator('#param-port').fill('70000');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('alert').filter({ hasText: 'port: at most 65535' }).waitFor();
    expect(await page.getByRole('alert').filter({ hasText: 'domain: does not match' }).count()).toBe(1);
    await shot('start-run');
    await page.locator('#param-domain').fill('shop.example.test');
    await page.locator('#param-port').fill('8080');
    await page.getByRole('button', { name: 'Start' }).click();
    // A rule only the playbook's own schema knows comes back from the server's check.
    await page.getByRole('alert').filter({ hasText: 'container: is required unless externalPort is given' }).waitFor();
    await page.locator('#param-container').fill('shop');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('heading', { name: /provision-site/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/runs/started-5eed1e55');
    expect(h.store.history.get('started-5eed1e55')).toMatchObject({ actor: 'dashboard:alice', params: { domain: 'shop.example.test', container: 'shop', port: 8080 } });
  });

  it('logs out and is refused again', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('form', { name: 'login' }).waitFor();
    expect((await page.request.get(`${base}/api/runs`)).status()).toBe(401);
  });
});
