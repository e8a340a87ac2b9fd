import type { FastifyInstance } from 'fastify';
import type { DashboardContext } from './context.js';

/**
 * Every `everyMs` while the server is up, marks runs whose process stopped beating as interrupted
 * and wakes their live streams, so a run killed outright (SIGKILL, a lost machine) stops showing
 * as running within the heartbeat's stale time, not at the next CLI run.
 */
export function watchSilentRuns(app: FastifyInstance, ctx: DashboardContext, everyMs: number): void {
  let timer: NodeJS.Timeout | undefined;
  const sweep = () => {
    try {
      for (const id of ctx.store.recoverSilent()) ctx.changes.notify(id);
    } catch (err) {
      // A store locked past its busy timeout is looked at again at the next sweep.
      app.log.warn({ err }, 'could not look for interrupted runs');
    }
  };
  app.addHook('onReady', async () => {
    timer = setInterval(sweep, everyMs);
    timer.unref();
  });
  app.addHook('onClose', async () => clearInterval(timer));
}
