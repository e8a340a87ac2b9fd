import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isLiteralHostName } from '../../../runner/inventory/pattern.js';
import { describeParams } from '../../../runner/playbook/params.js';
import type { RunRecord } from '../../../runner/store/types.js';
import { actorOf } from '../auth/guard.js';
import type { DashboardContext } from '../context.js';
import { HttpError, parse } from '../errors.js';
import { dashboardOwned } from '../launch/offer.js';
import type { Starter } from '../launch/starter.js';

const runRef = z.object({ id: z.string().min(1).max(100) }).strict();
const rerunBody = z.object({ failedOnly: z.boolean().default(false) }).strict();

/**
 * Re-run a run: the same playbook, params, check and diff, on the same hosts (by name, so an
 * inventory whose groups changed since still gets the hosts the run had) or only on those that
 * failed or were unreachable. It goes through the start route's own checks, so a playbook this
 * dashboard does not offer, or params its schema no longer takes, are refused as a new run would be.
 */
export function rerunRoutes(app: FastifyInstance, ctx: DashboardContext, starter: Starter): void {
  app.post('/api/runs/:id/rerun', { config: { access: 'operator' } }, async (req, reply) => {
    const { id } = parse(runRef, req.params, 'run id');
    const { failedOnly } = parse(rerunBody, req.body ?? {}, 're-run request');
    const run = ctx.store.history.get(id);
    if (run.status === 'running') throw new HttpError(409, `run ${run.id} is still running: cancel it or wait for its end`);
    const hosts = failedOnly ? failedHosts(ctx, run.id) : run.hosts;
    if (hosts.length === 0) throw new HttpError(409, failedOnly ? `no host failed in run ${run.id}` : `run ${run.id} had no hosts`);
    // The new run's --limit names the hosts: a name it would read as a pattern would reach others.
    const odd = hosts.find((h) => !isLiteralHostName(h));
    if (odd !== undefined) throw new HttpError(409, `run ${run.id} has a host --limit cannot name exactly (${JSON.stringify(odd)}): re-run it from the CLI`);
    const ref = await starter.refOf(run.playbook);
    // A playbook the offer lacks goes by its recorded name: the start checks refuse it as they would a new run.
    const params = ref ? await requestable(starter, ref, run) : run.params;
    const runId = await starter.start(
      { playbook: ref ?? run.playbook, params, limit: hosts.join(','), check: run.check, diff: run.diff },
      actorOf(req),
      { action: 'dashboard:rerun', details: { from: run.id, failedOnly } },
    );
    reply.code(201);
    return { runId };
  });
}

/** The run's params a request may set: the dashboard's own are set again by the start; a secret was stored masked. */
async function requestable(starter: Starter, ref: string, run: RunRecord): Promise<Record<string, unknown>> {
  const info = describeParams(await starter.load(ref));
  const secret = info.filter((p) => p.secret && p.name in run.params).map((p) => p.name);
  if (secret.length)
    throw new HttpError(409, `run ${run.id} has secret params (${secret.join(', ')}), stored masked: start it from the form`);
  const owned = dashboardOwned(info);
  return Object.fromEntries(Object.entries(run.params).filter(([k]) => !owned.includes(k)));
}

/** Hosts with a failed (not ignored) or unreachable result: from the results, so a run cut off before its recap counts too. */
function failedHosts(ctx: DashboardContext, runId: string): string[] {
  return ctx.store.db
    .prepare<[string], { host: string }>(
      "SELECT DISTINCT host FROM task_results WHERE run_id = ? AND (status = 'unreachable' OR (status = 'failed' AND ignored = 0)) ORDER BY host",
    )
    .all(runId)
    .map((r) => r.host);
}
