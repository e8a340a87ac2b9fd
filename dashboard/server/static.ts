import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The built web app. Paths the app routes itself (`/runs/abc`) get `index.html`; `/api` and
 * `/metrics` never do, so a wrong API path stays a JSON 404.
 */
export async function serveWebApp(app: FastifyInstance, root: string): Promise<void> {
  if (!existsSync(join(root, 'index.html'))) {
    app.log.warn({ root }, 'web app not built (npm run build:web); serving the API only');
    return;
  }
  await app.register(fastifyStatic, { root, wildcard: false, index: ['index.html'], cacheControl: false });
  app.setNotFoundHandler((req, reply) => {
    const api = req.url.startsWith('/api/') || req.url.startsWith('/metrics');
    if (req.method === 'GET' && !api) return reply.header('cache-control', 'no-cache').sendFile('index.html');
    return reply.code(404).send({ error: `no route ${req.method} ${req.url.split('?')[0]}` });
  });
}

/** Headers every answer carries: no framing, no sniffing, and scripts only from this origin. */
export function securityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_req, reply) => {
    reply.header(
      'content-security-policy',
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    );
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
  });
}
