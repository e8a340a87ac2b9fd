import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { cliLauncher, type CliLauncherOptions } from '../../dashboard/server/index.js';
import type { DashboardOptions } from '../../dashboard/server/options.js';
import { startHarness, type Harness } from '../unit/dashboard/harness.js';
import { ensureBuilt } from '../e2e/faults-support/vsa.js';
import { launchChromium, type Browser } from './chromium.js';
import { ensureWebBuild, webRoot } from './web-build.js';

export interface LabDashboard {
  h: Harness;
  base: string;
  browser: Browser;
  page: Page;
}

/**
 * A dashboard that starts runs with the built CLI on the lab's inventory, and a Chromium page.
 * The run writes the very store the dashboard reads (VSA_HOME is the harness's data dir); VITEST is
 * cleared so the CLI loads its built playbooks as a user's would.
 */
export async function startLabDashboard(
  inventory: string,
  opts: { offer?: DashboardOptions['offer']; onExit?: CliLauncherOptions['onExit'] } = {},
): Promise<LabDashboard> {
  await ensureWebBuild();
  await ensureBuilt();
  const h = await startHarness((dir) => ({
    webRoot,
    pollMs: 200,
    ...(opts.offer ? { offer: opts.offer } : {}),
    launcher: cliLauncher({ inventory, env: { VSA_HOME: dir, VITEST: '', CI: 'true' }, onExit: opts.onExit }),
  }));
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  const page = await browser.context.newPage();
  page.setDefaultTimeout(20_000);
  return { h, base, browser, page };
}
