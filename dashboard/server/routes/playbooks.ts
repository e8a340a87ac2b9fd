import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ParamsError, UsageError } from '../../../runner/errors.js';
import { listPlaybookNames, loadPlaybook } from '../../../runner/playbook/load.js';
import { describeParams, validateParams } from '../../../runner/playbook/params.js';
import type { PlaybookDef } from '../../../runner/playbook/types.js';
import { actorOf } from '../auth/guard.js';
import type { DashboardContext } from '../context.js';
import { HttpError, parse } from '../errors.js';
import type { DashboardOptions } from '../options.js';

const startBody = z
  .object({
    playbook: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a playbook name'),
    params: z.record(z.string(), z.unknown()).default({}),
    // Never starts with "-": it becomes one argv element after --limit, and must not read as a flag.
    limit: z.string().max(500).regex(/^[^-\s][^\s]*$/, 'a host pattern').optional(),
    check: z.boolean().default(false),
    diff: z.boolean().default(true),
  })
  .strict();

/** The built-in playbooks with the JSON Schema of their params (forms), and starting one. */
export function playbookRoutes(app: FastifyInstance, ctx: DashboardContext, opts: DashboardOptions): void {
  const cache = new Map<string, PlaybookDef>();
  const load = async (name: string) => {
    if (!listPlaybookNames().includes(name)) throw new HttpError(404, `unknown playbook "${name}"`);
    const pb = cache.get(name) ?? (await loadPlaybook(name));
    cache.set(name, pb);
    return pb;
  };

  app.get('/api/playbooks', async () => {
    const playbooks = [];
    for (const name of listPlaybookNames()) {
      try {
        const pb = await load(name);
        playbooks.push({
          name,
          description: pb.description,
          params: describeParams(pb),
          schema: z.toJSONSchema(pb.params, { io: 'input', unrepresentable: 'any' }),
        });
      } catch (err) {
        // One playbook that does not load must not hide the others.
        if (!(err instanceof UsageError)) throw err;
        playbooks.push({ name, description: '', params: [], schema: null, error: err.message });
      }
    }
    return { playbooks, canStart: opts.launcher !== undefined };
  });

  app.post('/api/runs', async (req, reply) => {
    const body = parse(startBody, req.body, 'run request');
    const pb = await load(body.playbook);
    try {
      validateParams(pb, body.params);
    } catch (err) {
      if (err instanceof ParamsError) throw new HttpError(400, err.message);
      throw err;
    }
    if (!opts.launcher) throw new HttpError(503, 'this dashboard does not start runs (no inventory configured)');
    const actor = actorOf(req);
    const { runId } = await opts.launcher.launch({ ...body, actor });
    ctx.store.audit.add({
      time: new Date().toISOString(),
      actor,
      action: 'dashboard:run',
      target: body.playbook,
      result: 'started',
      details: { params: Object.keys(body.params), limit: body.limit ?? null, check: body.check },
      runId,
    });
    reply.code(201);
    return { runId };
  });
}
