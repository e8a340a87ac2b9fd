import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { DashboardContext } from '../context.js';
import type { Principal } from './guard.js';

/** Often enough that a stream ends within a second of its credentials. */
const EVERY_MS = 250;

function stillValid(ctx: DashboardContext, p: Principal): boolean {
  return p.kind === 'user' ? ctx.sessions.get(p.sessionId) !== undefined : ctx.tokens.isLive(p.token.id);
}

/**
 * Ends every open response whose session ended (logout, expiry, a new password, the user
 * removed) or whose token was revoked, whichever process did it: the store is asked, so a
 * revoke from the CLI counts too. Long-lived responses are what it is for: the live streams,
 * whatever route serves them, need nothing of their own. The guard has decided before this runs.
 */
export function endResponsesWithTheirCredentials(app: FastifyInstance, ctx: DashboardContext): void {
  const open = new Map<ServerResponse, Principal>();
  app.addHook('onRequest', async (req, reply) => {
    const p = req.principal;
    if (!p) return;
    const res = reply.raw;
    open.set(res, p);
    res.once('close', () => open.delete(res));
  });
  const sweep = () => {
    const valid = new Map<string, boolean>();
    try {
      for (const [res, p] of open) {
        const key = p.kind === 'user' ? `session:${p.sessionId}` : `token:${p.token.id}`;
        const ok = valid.get(key) ?? stillValid(ctx, p);
        valid.set(key, ok);
        if (ok) continue;
        open.delete(res);
        res.destroy();
      }
    } catch (err) {
      // A store locked past its busy timeout is asked again at the next sweep.
      app.log.warn({ err }, 'could not check the credentials of open responses');
    }
  };
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    timer = setInterval(sweep, EVERY_MS);
    timer.unref();
  });
  app.addHook('onClose', async () => clearInterval(timer));
}
