import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { actorOf } from '../auth/guard.js';
import type { DashboardContext } from '../context.js';
import { HttpError, parse } from '../errors.js';

const runRef = z.object({ id: z.string().min(1).max(100) }).strict();

/**
 * Cancel a running run: a request in the store that the run's own process reads at its next
 * heartbeat (ADR 0013). 202, since the run stops only then; a run past cancelling is a 409.
 */
export function cancelRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  app.post('/api/runs/:id/cancel', { config: { access: 'operator' } }, async (req, reply) => {
    const { id } = parse(runRef, req.params, 'run id');
    const run = ctx.store.history.get(id);
    const r = ctx.store.runs.requestCancel(run.id, actorOf(req));
    if (!r.asked) throw new HttpError(409, `${r.why}: nothing to cancel`);
    ctx.changes.notify(run.id);
    reply.code(202);
    return { run: ctx.store.history.get(run.id), requests: r.requests };
  });
}
