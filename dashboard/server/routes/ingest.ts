import type { FastifyInstance } from 'fastify';
import type { DashboardContext } from '../context.js';
import { HttpError, parse } from '../errors.js';
import { applyEvents } from '../ingest/apply.js';
import { ingestBody } from '../ingest/event-schema.js';
import { hostsOutside } from '../ingest/host-scope.js';
import { checkRuns } from '../ingest/run-consistency.js';

/** Runners push their events here with an `ingest` token (runner/push), each batch all or nothing. */
export function ingestRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  app.post('/api/ingest/events', { config: { access: 'ingest' }, bodyLimit: 16 * 1024 * 1024 }, async (req, reply) => {
    const { events } = parse(ingestBody, req.body, 'events');
    const touched = checkRuns(ctx.store, events);
    // The guard let only an ingest token through; it may report only on the hosts it was made for.
    const token = req.principal?.kind === 'token' ? req.principal.token : undefined;
    if (!token) throw new HttpError(403, 'needs a token with scope ingest');
    const outside = hostsOutside(touched, token.hosts);
    if (outside.length > 0)
      throw new HttpError(
        403,
        `token "${token.name}" may report only on ${token.hosts!.join(', ')}; this batch names ${outside.slice(0, 5).join(', ')}${outside.length > 5 ? ` and ${outside.length - 5} more` : ''}: nothing was stored`,
      );
    const { runIds, ...counts } = applyEvents(ctx.store, events);
    for (const id of runIds) ctx.changes.notify(id);
    reply.code(202);
    return counts;
  });
}
