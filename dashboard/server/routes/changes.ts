import type { FastifyInstance } from 'fastify';
import type { DashboardContext } from '../context.js';
import type { DashboardOptions } from '../options.js';
import { storeVersion } from '../queries/store-version.js';
import { openEventStream } from './event-stream.js';

/**
 * One server-sent-events stream that says `change` whenever the store's lists change (a run
 * started, ended or got results; a host collected), from this process or any other writing to the
 * same store: the runs list, the overview and the hosts page fetch again on it, with no reload.
 * One look at the store serves every open stream, however many tabs hold one: at once when the
 * store is written (`store-watch.ts`), else every `pollMs`.
 */
export function changeRoutes(app: FastifyInstance, ctx: DashboardContext, opts: DashboardOptions): void {
  const streams = new Set<() => void>();
  let timer: NodeJS.Timeout | undefined;
  let unwake = () => {};
  let last = '';
  const look = () => {
    let now: string;
    try {
      now = storeVersion(ctx.store);
    } catch (err) {
      // A store locked past its busy timeout: the next look tries again.
      app.log.warn({ err }, 'change stream could not read the store');
      return;
    }
    if (now === last) return;
    last = now;
    for (const notify of streams) notify();
  };
  const watch = (notify: () => void) => {
    if (streams.size === 0) {
      last = storeVersion(ctx.store);
      timer = setInterval(look, opts.pollMs ?? 500);
      unwake = ctx.changes.on(undefined, look);
    }
    streams.add(notify);
    return () => {
      streams.delete(notify);
      if (streams.size === 0) {
        clearInterval(timer);
        unwake();
      }
    };
  };
  app.addHook('onClose', async () => {
    clearInterval(timer);
    unwake();
  });

  app.get('/api/changes', { config: { access: 'viewer' } }, async (req, reply) => {
    const { send } = openEventStream(reply);
    const unwatch = watch(() => send('change', {}));
    req.raw.on('close', unwatch);
  });
}
