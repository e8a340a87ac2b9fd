import { join } from 'node:path';
import { dataDir } from '../../runner/store/index.js';
import { RETENTION_DAYS } from '../../runner/store/settings.js';
import { projectRoot } from '../../runner/util/package-info.js';
import { buildDashboard } from './app.js';
import { createContext, openDashboardStore } from './context.js';
import { cliLauncher } from './launch/cli-launcher.js';
import { runOffer } from './launch/offer.js';

export interface ServeOptions {
  port: number;
  host: string;
  inventory?: string;
  webRoot?: string;
  playbooks?: string[];
  stacksDir?: string;
  secureCookie: boolean;
  trustProxy: boolean;
}

const HOUR_MS = 3600_000;

/**
 * `vsa dashboard`: listens until SIGINT/SIGTERM, then closes the server and the store. Applies the
 * retention setting every hour, so history older than it goes away without a cron job.
 */
export async function serveDashboard(o: ServeOptions): Promise<void> {
  const offer = runOffer(o.playbooks, o.stacksDir);
  const store = openDashboardStore(dataDir());
  const ctx = createContext(store);
  const app = await buildDashboard(ctx, {
    webRoot: o.webRoot ?? join(projectRoot, 'dashboard', 'web', 'dist'),
    secureCookie: o.secureCookie,
    trustProxy: o.trustProxy,
    launcher: cliLauncher(o.inventory ? { inventory: o.inventory } : {}),
    offer,
    logger: true,
  });
  const prune = () => {
    const days = Number(store.settings.get(RETENTION_DAYS));
    if (Number.isInteger(days) && days > 0) app.log.info({ pruned: store.prune(days) }, 'retention applied');
  };
  prune();
  const timer = setInterval(prune, HOUR_MS);
  await app.listen({ port: o.port, host: o.host });
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  clearInterval(timer);
  await app.close();
  store.close();
}
