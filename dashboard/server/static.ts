import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** A last path segment with an extension names a file of the build (`assets/index-3f2a.js`). */
const ASSET = /\.[A-Za-z0-9]+$/;

/**
 * The built web app, on one route that declares itself public: its files hold no data, and the
 * login page is one of them. A path with an extension is a file of the build (or a 404); any other
 * path is a page the app routes itself (`/runs/abc`) and gets `index.html`. `/api/…` never comes
 * here: the router matches the API's own catch-all first, which is private.
 */
export async function serveWebApp(app: FastifyInstance, root: string): Promise<void> {
  if (!existsSync(join(root, 'index.html'))) {
    app.log.warn({ root }, 'web app not built (npm run build:web); serving the API only');
    return;
  }
  await app.register(fastifyStatic, { root, serve: false, cacheControl: false });
  app.get<{ Params: { '*': string } }>('/*', { config: { access: 'public' } }, (req, reply) => {
    const path = req.params['*'];
    if (ASSET.test(path)) return reply.sendFile(path);
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
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
