import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DashboardContext } from '../context.js';
import { HttpError, parse } from '../errors.js';
import { compareResults } from '../queries/compare.js';
import { resultDetail, resultSummaries } from '../queries/results.js';
import { listRuns, runFilterSchema } from '../queries/runs.js';
import { searchOutput, searchSchema } from '../queries/search.js';

const runRef = z.object({ id: z.string().min(1).max(100) }).strict();
const detailQuery = z.object({ host: z.string().max(253).optional() }).strict();
const resultRef = z.object({ id: z.string().min(1).max(100), resultId: z.coerce.number().int().positive() }).strict();
const compareQuery = z.object({ a: z.string().min(1).max(100), b: z.string().min(1).max(100) }).strict();

export function runRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  const { store } = ctx;

  app.get('/api/runs', { config: { access: 'viewer' } }, async (req) => listRuns(store, parse(runFilterSchema, req.query, 'run filter')));

  /** Values the Runs filters offer. */
  app.get('/api/runs/facets', { config: { access: 'viewer' } }, async () => ({
    playbooks: column(ctx, 'SELECT DISTINCT playbook AS v FROM runs ORDER BY v'),
    hosts: column(ctx, 'SELECT DISTINCT host AS v FROM run_hosts ORDER BY v'),
    actors: column(ctx, 'SELECT DISTINCT actor AS v FROM runs ORDER BY v LIMIT 200'),
  }));

  app.get('/api/runs/:id', { config: { access: 'viewer' } }, async (req) => {
    const { id } = parse(runRef, req.params, 'run id');
    const { host } = parse(detailQuery, req.query, 'query');
    const run = store.history.get(id);
    return { run, results: resultSummaries(store, run.id, 0, host) };
  });

  app.get('/api/runs/:id/results/:resultId', { config: { access: 'viewer' } }, async (req) => {
    const { id, resultId } = parse(resultRef, req.params, 'result id');
    const run = store.history.get(id);
    const result = resultDetail(store, run.id, resultId);
    if (!result) throw new HttpError(404, `run ${run.id} has no result ${resultId}`);
    return result;
  });

  app.get('/api/compare', { config: { access: 'viewer' } }, async (req) => {
    const q = parse(compareQuery, req.query, 'comparison');
    const a = store.history.get(q.a);
    const b = store.history.get(q.b);
    return { a, b, rows: compareResults(resultSummaries(store, a.id), resultSummaries(store, b.id)) };
  });

  app.get('/api/search', { config: { access: 'viewer' } }, async (req) => ({ hits: searchOutput(store, parse(searchSchema, req.query, 'search')) }));
}

function column(ctx: DashboardContext, sql: string): string[] {
  return (ctx.store.db.prepare(sql).all() as { v: string }[]).map((r) => r.v);
}
