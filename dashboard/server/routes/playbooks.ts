import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ParamsError, UsageError } from '../../../runner/errors.js';
import { loadPlaybook } from '../../../runner/playbook/load.js';
import { describeParams, validateParams } from '../../../runner/playbook/params.js';
import type { PlaybookDef } from '../../../runner/playbook/types.js';
import { actorOf } from '../auth/guard.js';
import type { DashboardContext } from '../context.js';
import { HttpError, parse } from '../errors.js';
import { requestParams, runOffer, startBody, unavailable } from '../launch/offer.js';
import type { DashboardOptions } from '../options.js';

/**
 * The playbooks this dashboard offers, with the JSON Schema of the params a request may set (forms),
 * and starting one. The offer is checked on the body before anything loads or starts.
 */
export function playbookRoutes(app: FastifyInstance, ctx: DashboardContext, opts: DashboardOptions): void {
  const offer = opts.offer ?? runOffer();
  const body = startBody(offer);
  const cache = new Map<string, PlaybookDef>();
  const load = async (name: string) => {
    const pb = cache.get(name) ?? (await loadPlaybook(name));
    cache.set(name, pb);
    return pb;
  };

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
    return { playbooks, canStart: opts.launcher !== undefined };
  });

  app.post('/api/runs', { config: { access: 'operator' } }, async (req, reply) => {
    const run = parse(body, req.body, 'run request');
    const pb = await load(run.playbook);
    const allowed = requestParams(pb, offer);
    // A request that sets one of the dashboard's own params is refused (unknown key), never overridden quietly.
    parse(allowed.schema, run.params, `parameters for ${pb.name}`);
    const params = { ...run.params, ...allowed.fixed };
    // Then the playbook's whole schema: rules across fields (`container` unless `externalPort`) live there.
    try {
      validateParams(pb, params);
    } catch (err) {
      if (err instanceof ParamsError) throw new HttpError(400, err.message);
      throw err;
    }
    if (!opts.launcher) throw new HttpError(503, 'this dashboard does not start runs (no inventory configured)');
    const actor = actorOf(req);
    const { runId } = await opts.launcher.launch({ ...run, params, actor });
    ctx.store.audit.add({
      time: new Date().toISOString(),
      actor,
      action: 'dashboard:run',
      target: run.playbook,
      result: 'started',
      details: { params: Object.keys(params), limit: run.limit ?? null, check: run.check },
      runId,
    });
    reply.code(201);
    return { runId };
  });
}
