import type { FastifyInstance } from 'fastify';
import type { DashboardContext } from '../context.js';
import { certificates } from '../queries/fleet-state.js';

/** A label value in the Prometheus text format: backslash, quote and newline escaped. */
const label = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** `/metrics` for Prometheus: runs by status, task results by status, certificate days left. */
export function metricsRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  app.get('/metrics', { config: { access: 'viewer' } }, async (_req, reply) => {
    const db = ctx.store.db;
    const runs = db.prepare('SELECT status, count(*) AS n FROM runs GROUP BY status').all() as { status: string; n: number }[];
    const tasks = db
      .prepare(
        'SELECT sum(ok) AS ok, sum(changed) AS changed, sum(failed) AS failed, sum(skipped) AS skipped, sum(unreachable) AS unreachable, sum(ignored) AS ignored FROM runs',
      )
      .get() as Record<string, number | null>;
    const lines = [
      '# HELP vsa_runs Recorded runs by status.',
      '# TYPE vsa_runs gauge',
      ...runs.map((r) => `vsa_runs{status="${label(r.status)}"} ${r.n}`),
      '# HELP vsa_task_results Task results of recorded runs by status (failed excludes ignored failures).',
      '# TYPE vsa_task_results gauge',
      ...Object.entries(tasks).map(([s, n]) => `vsa_task_results{status="${s}"} ${n ?? 0}`),
      '# HELP vsa_certificate_days_left Days until a certificate expires, from the last collected host state.',
      '# TYPE vsa_certificate_days_left gauge',
      ...certificates(ctx.store).map((c) => `vsa_certificate_days_left{host="${label(c.host)}",name="${label(c.name)}"} ${c.daysLeft}`),
    ];
    reply.type('text/plain; version=0.0.4; charset=utf-8');
    return `${lines.join('\n')}\n`;
  });
}
