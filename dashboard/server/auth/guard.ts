import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DashboardContext } from '../context.js';
import { DashboardError, HttpError } from '../errors.js';
import { sameSecret } from './secrets.js';
import { hasRole, roles } from './roles.js';
import type { Session } from './sessions.js';
import type { TokenInfo } from './tokens.js';

const accessSchema = z.enum(['public', 'ingest', ...roles]);

/**
 * Who may call a route: `public` anyone; `ingest` an `ingest` token; a role, a logged-in user of
 * that role or above (and on a change, the session's CSRF token), or for `viewer` on GET/HEAD a
 * `read` token too. A route that declares nothing needs `admin`.
 */
export type Access = z.infer<typeof accessSchema>;

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

/**
 * The access a request needs, from the route the router matched and nothing else: the raw URL is
 * not what the router saw (`/%61pi/runs` matches `/api/runs`). A route that declares no access,
 * and a request that matched no route, need `admin`: forgetting to declare one is never an opening,
 * and an unknown path answers 401 to a caller without credentials, exactly like a known one.
 */
function accessOf(req: FastifyRequest): Access {
  return req.routeOptions.config?.access ?? UNDECLARED;
}

const UNDECLARED: Access = 'admin';
const reads = (method: string) => method === 'GET' || method === 'HEAD';

/** One method of a registered route and the access the guard applies to it. */
export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

const routeTables = new WeakMap<FastifyInstance, RouteAccess[]>();

/** Every route registered on `app`, with its access, as the router has it (what the API table documents). */
export function routeAccess(app: FastifyInstance): readonly RouteAccess[] {
  return routeTables.get(app) ?? [];
}

function identify(ctx: DashboardContext, req: FastifyRequest): Principal | undefined {
  const header = req.headers.authorization;
  // Basic is what a proxy in front (NGINX auth_basic) forwards: not ours to judge. Any other
  // header is a client authenticating to us, and must hold a live token, cookie or not.
  if (header !== undefined && !/^Basic\s/i.test(header)) {
    const bearer = /^Bearer\s+(\S+)$/i.exec(header);
    if (!bearer) throw new HttpError(401, 'Authorization header: only "Bearer TOKEN" is accepted');
    const token = ctx.tokens.verify(bearer[1]!);
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
    if (access === 'viewer' && reads(req.method) && p.token.scope === 'read') return;
    throw new HttpError(403, `a ${p.token.scope} token may not ${reads(req.method) ? 'read' : 'change'} this`);
  }
  const { role } = p.session.user;
  if (!hasRole(role, access)) throw new HttpError(403, `needs the ${access} role (${p.session.user.name} is ${role})`);
  if (!reads(req.method)) {
    const sent = req.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !sameSecret(sent, p.session.csrfToken)) throw new HttpError(403, 'missing or wrong CSRF token');
  }
}

/** Must be called before any route is added: it sees every route as it is registered. */
export function registerGuard(app: FastifyInstance, ctx: DashboardContext): void {
  const table: RouteAccess[] = [];
  routeTables.set(app, table);
  app.addHook('onRoute', (route) => {
    // A misspelt access ("pubic") must stop the server, not quietly become something else.
    const declared = route.config?.access;
    if (declared !== undefined && !accessSchema.safeParse(declared).success)
      throw new DashboardError(`route ${route.url}: access must be one of ${accessSchema.options.join(', ')}, got "${String(declared)}"`);
    for (const method of [route.method].flat()) table.push({ method, url: route.url, access: declared ?? UNDECLARED });
  });
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
