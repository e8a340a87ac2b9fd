import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { UsageError } from '../../../runner/errors.js';
import { describeParams } from '../../../runner/playbook/params.js';
import { actorOf } from '../auth/guard.js';
import { requestParams, unavailable } from '../launch/offer.js';
import type { Starter } from '../launch/starter.js';

/**
 * The playbooks this dashboard offers, with the JSON Schema of the params a request may set (forms),
 * and starting one. The offer is checked on the body before anything loads or starts.
 */
export function playbookRoutes(app: FastifyInstance, starter: Starter, canStart: boolean): void {
  const { offer, load } = starter;

  app.get('/api/playbooks', { config: { access: 'viewer' } }, async () => {
    const playbooks = [];
    for (const name of offer.playbooks) {
      try {
        const pb = await load(name);
        const why = unavailable(pb, offer);
        playbooks.push({
          name,
          description: pb.description,
          params: describeParams(pb).filter((p) => !p.stacksDir),
          schema: why ? null : z.toJSONSchema(requestParams(pb, offer).schema, { io: 'input', unrepresentable: 'any' }),
          ...(why ? { error: why } : {}),
        });
      } catch (err) {
        // One playbook that does not load must not hide the others.
        if (!(err instanceof UsageError)) throw err;
        playbooks.push({ name, description: '', params: [], schema: null, error: err.message });
      }
    }
    return { playbooks, canStart };
  });

  app.post('/api/runs', { config: { access: 'operator' } }, async (req, reply) => {
    const runId = await starter.start(req.body, actorOf(req), { action: 'dashboard:run' });
    reply.code(201);
    return { runId };
  });
}
