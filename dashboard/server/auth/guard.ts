import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DashboardContext } from '../context.js';
import { HttpError } from '../errors.js';
import { sameSecret } from './secrets.js';
import type { Session } from './sessions.js';
import type { TokenInfo } from './tokens.js';

/**
 * Who may call a route: `public` anyone; `read` a logged-in user or a `read` token; `write` a
 * logged-in user sending the session's CSRF token; `ingest` an `ingest` token.
 */
export type Access = 'public' | 'read' | 'write' | 'ingest';

export type Principal =
  | { kind: 'user'; sessionId: string; session: Session }
  | { kind: 'token'; token: TokenInfo };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

export const SESSION_COOKIE = 'vsa_session';
export const CSRF_HEADER = 'x-csrf-token';

/** Routes under /api and /metrics need a principal unless they say otherwise; the web app's files are public. */
function accessOf(req: FastifyRequest): Access {
  const declared = req.routeOptions.config?.access;
  if (declared) return declared;
  const guarded = req.url.startsWith('/api/') || req.url.startsWith('/metrics');
  if (!guarded) return 'public';
  return req.method === 'GET' || req.method === 'HEAD' ? 'read' : 'write';
}

function identify(ctx: DashboardContext, req: FastifyRequest): Principal | undefined {
  // Other schemes (Basic from a proxy in front) are not ours to judge.
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (bearer) {
    const token = ctx.tokens.verify(bearer[1]!);
    // A bearer header that does not hold a live token is refused outright, cookie or not.
    if (!token) throw new HttpError(401, 'invalid or revoked token');
    return { kind: 'token', token };
  }
  const sessionId = req.cookies[SESSION_COOKIE];
  const session = sessionId ? ctx.sessions.get(sessionId) : undefined;
  return session && sessionId ? { kind: 'user', sessionId, session } : undefined;
}

function check(access: Access, p: Principal | undefined, req: FastifyRequest): void {
  if (access === 'public') return;
  if (!p) throw new HttpError(401, 'login required');
  if (access === 'ingest') {
    if (p.kind !== 'token' || p.token.scope !== 'ingest') throw new HttpError(403, 'needs a token with scope ingest');
    return;
  }
  if (p.kind === 'token') {
    if (access === 'read' && p.token.scope === 'read') return;
    throw new HttpError(403, `a ${p.token.scope} token may not ${access === 'read' ? 'read' : 'change'} this`);
  }
  if (access === 'write') {
    const sent = req.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !sameSecret(sent, p.session.csrfToken)) throw new HttpError(403, 'missing or wrong CSRF token');
  }
}

export function registerGuard(app: FastifyInstance, ctx: DashboardContext): void {
  app.addHook('onRequest', async (req) => {
    const access = accessOf(req);
    const principal = identify(ctx, req);
    check(access, principal, req);
    req.principal = principal;
  });
}

/** The name audit events and started runs carry for the caller. */
export function actorOf(req: FastifyRequest): string {
  const p = req.principal;
  if (!p) return 'anonymous';
  return p.kind === 'user' ? `dashboard:${p.session.user.name}` : `token:${p.token.name}`;
}
