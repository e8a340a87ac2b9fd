import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { actorOf, SESSION_COOKIE } from '../auth/guard.js';
import type { Session } from '../auth/sessions.js';
import type { DashboardContext } from '../context.js';
import { HttpError, parse } from '../errors.js';
import type { DashboardOptions } from '../options.js';

const loginBody = z.object({ name: z.string().min(1).max(64), password: z.string().min(1).max(1024) }).strict();

const view = (s: Session) => ({ user: { name: s.user.name, role: s.user.role }, csrfToken: s.csrfToken, expiresAt: s.expiresAt });

export function authRoutes(app: FastifyInstance, ctx: DashboardContext, opts: DashboardOptions): void {
  const limit = opts.loginLimit ?? { max: 10, windowMs: 60_000 };

  app.post(
    '/api/auth/login',
    { config: { access: 'public', rateLimit: { max: limit.max, timeWindow: limit.windowMs } } },
    async (req, reply) => {
      const body = parse(loginBody, req.body, 'login');
      const user = await ctx.users.verify(body.name, body.password);
      ctx.store.audit.add({
        time: new Date().toISOString(),
        actor: `dashboard:${body.name}`,
        action: 'dashboard:login',
        target: 'dashboard',
        result: user ? 'ok' : 'failed',
        details: { ip: req.ip },
      });
      if (!user) throw new HttpError(401, 'wrong user name or password');
      // Whatever session the browser had ends here; the new id was never seen before login.
      const old = req.cookies[SESSION_COOKIE];
      if (old) ctx.sessions.delete(old);
      const { id, session } = ctx.sessions.create(user);
      setSessionCookie(reply, id, session, opts);
      return view(session);
    },
  );

  app.post('/api/auth/logout', { config: { access: 'viewer' } }, async (req, reply) => {
    if (req.principal?.kind === 'user') ctx.sessions.delete(req.principal.sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true, actor: actorOf(req) };
  });

  app.get('/api/auth/session', { config: { access: 'public' } }, async (req) => {
    const p = req.principal;
    if (p?.kind !== 'user') throw new HttpError(401, 'login required');
    return view(p.session);
  });
}

function setSessionCookie(reply: FastifyReply, id: string, session: Session, opts: DashboardOptions): void {
  reply.setCookie(SESSION_COOKIE, id, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: opts.secureCookie === true,
    expires: new Date(session.expiresAt),
  });
}
