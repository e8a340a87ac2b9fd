import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DashboardContext } from '../context.js';
import { parse } from '../errors.js';
import { certificates, containers, sites } from '../queries/fleet-state.js';
import { hostTimeline, listHosts } from '../queries/hosts.js';
import { listRuns } from '../queries/runs.js';

const hostRef = z.object({ host: z.string().min(1).max(253) }).strict();
const timelineQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }).strict();
const certQuery = z.object({ within: z.coerce.number().int().min(0).max(3650).optional() }).strict();

/** Hosts, their timelines and what `collect-status` found on them; the overview sums it up. */
export function fleetRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  const { store } = ctx;

  app.get('/api/hosts', { config: { access: 'viewer' } }, async () => ({ hosts: listHosts(store) }));

  app.get('/api/hosts/:host/timeline', { config: { access: 'viewer' } }, async (req) => {
    const { host } = parse(hostRef, req.params, 'host');
    const { limit } = parse(timelineQuery, req.query, 'query');
    return { host, state: store.hostState.get(host) ?? null, timeline: hostTimeline(store, host, limit) };
  });

  app.get('/api/certificates', { config: { access: 'viewer' } }, async (req) => {
    const { within } = parse(certQuery, req.query, 'query');
    const all = certificates(store);
    return { certificates: within === undefined ? all : all.filter((c) => c.daysLeft < within) };
  });

  app.get('/api/containers', { config: { access: 'viewer' } }, async () => ({ containers: containers(store) }));

  app.get('/api/sites', { config: { access: 'viewer' } }, async () => ({ sites: sites(store) }));

  app.get('/api/overview', { config: { access: 'viewer' } }, async () => {
    const hosts = listHosts(store);
    const health = Object.fromEntries(
      (['ok', 'changed', 'failed', 'unreachable', 'unknown'] as const).map((h) => [h, hosts.filter((x) => x.health === h).length]),
    );
    const byStatus = Object.fromEntries(
      (store.db.prepare('SELECT status, count(*) AS n FROM runs GROUP BY status').all() as { status: string; n: number }[]).map((r) => [
        r.status,
        r.n,
      ]),
    );
    return {
      hosts: { total: hosts.length, ...health },
      runs: byStatus,
      recentRuns: listRuns(store, { limit: 10, offset: 0 }).runs,
      failedHosts: hosts.filter((h) => h.health === 'failed' || h.health === 'unreachable'),
      expiringCertificates: certificates(store).filter((c) => c.daysLeft < 30),
    };
  });
}
