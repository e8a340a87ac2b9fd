import type { FastifyInstance } from 'fastify';
import type { DashboardContext } from '../context.js';
import { parse } from '../errors.js';
import { applyEvents } from '../ingest/apply.js';
import { ingestBody } from '../ingest/event-schema.js';

/** Runners push their events here with an `ingest` token (runner/push). */
export function ingestRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  app.post('/api/ingest/events', { config: { access: 'ingest' }, bodyLimit: 16 * 1024 * 1024 }, async (req, reply) => {
    const { events } = parse(ingestBody, req.body, 'events');
    const { runIds, ...counts } = applyEvents(ctx.store, events);
    for (const id of runIds) ctx.changes.notify(id);
    reply.code(202);
    return counts;
  });
}
