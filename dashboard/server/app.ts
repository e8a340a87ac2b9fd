import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { RunNotFoundError } from '../../runner/store/errors.js';
import { endResponsesWithTheirCredentials } from './auth/credential-sweep.js';
import { registerGuard } from './auth/guard.js';
import type { DashboardContext } from './context.js';
import { HttpError } from './errors.js';
import { createStarter } from './launch/starter.js';
import type { DashboardOptions } from './options.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { cancelRoutes } from './routes/cancel.js';
import { fleetRoutes } from './routes/fleet.js';
import { ingestRoutes } from './routes/ingest.js';
import { metricsRoutes } from './routes/metrics.js';
import { playbookRoutes } from './routes/playbooks.js';
import { rerunRoutes } from './routes/rerun.js';
import { runRoutes } from './routes/runs.js';
import { streamRoutes } from './routes/stream.js';
import { changeRoutes } from './routes/changes.js';
import { watchSilentRuns } from './silent-runs.js';
import { watchStoreWrites } from './store-watch.js';
import { securityHeaders, serveWebApp } from './static.js';

/**
 * A path under /api that no route serves, and any request that matched nothing, is private like
 * every route: without credentials it gets the guard's 401, as a real route would; with them, 404.
 */
function noRouteAnswers(app: FastifyInstance): void {
  const noRoute = async (req: FastifyRequest) => {
    throw new HttpError(404, `no route ${req.method} ${req.url.split('?')[0]}`);
  };
  // Any logged-in caller learns that a path does not exist; an anonymous one only that it needs a login.
  const anyRole = { config: { access: 'viewer' as const } };
  app.all('/api', anyRole, noRoute);
  app.all('/api/*', anyRole, noRoute);
  app.setNotFoundHandler(noRoute);
}

/** The dashboard: API, live streams, ingest, metrics and (when built) the web app, on one store. */
export async function buildDashboard(ctx: DashboardContext, opts: DashboardOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: opts.logger ?? false, trustProxy: opts.trustProxy ?? false });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof HttpError) return reply.code(err.statusCode).send({ error: err.message });
    if (err instanceof RunNotFoundError) return reply.code(404).send({ error: err.message });
    // Fastify's own (bad JSON, body too large, rate limited) carry their status and a safe message.
    if (err.statusCode && err.statusCode < 500) return reply.code(err.statusCode).send({ error: err.message });
    req.log.error({ err }, 'request failed');
    return reply.code(500).send({ error: 'internal error' });
  });
  securityHeaders(app);
  registerGuard(app, ctx);
  endResponsesWithTheirCredentials(app, ctx);

  app.get('/api/health', { config: { access: 'public' } }, async () => ({ ok: true }));
  authRoutes(app, ctx, opts);
  runRoutes(app, ctx);
  cancelRoutes(app, ctx);
  streamRoutes(app, ctx, opts);
  changeRoutes(app, ctx, opts);
  fleetRoutes(app, ctx);
  auditRoutes(app, ctx);
  const starter = createStarter(ctx, opts);
  playbookRoutes(app, starter, opts.launcher !== undefined);
  rerunRoutes(app, ctx, starter);
  ingestRoutes(app, ctx);
  metricsRoutes(app, ctx);
  noRouteAnswers(app);
  watchSilentRuns(app, ctx, opts.sweepMs ?? 5_000);
  watchStoreWrites(app, ctx);
  if (opts.webRoot) await serveWebApp(app, opts.webRoot);
  return app;
}
