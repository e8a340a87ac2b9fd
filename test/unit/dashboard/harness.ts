import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildDashboard, createContext, openDashboardStore, type DashboardContext, type DashboardOptions } from '../../../dashboard/server/index.js';
import type { Role } from '../../../dashboard/server/auth/roles.js';
import type { AnyEvent } from '../../../runner/events/types.js';
import type { Store } from '../../../runner/store/index.js';
import type { Step } from '../store/fixtures/events.js';

export const USER = 'alice';
export const PASSWORD = 'correct horse battery';
/** Who the harness's own user and token changes are by, in the audit log. */
export const ACTOR = 'test@harness';

export interface Harness {
  dir: string;
  store: Store;
  ctx: DashboardContext;
  app: FastifyInstance;
  /**
   * Logs in as the harness user (an admin), or as a user of `role` made on first use; the cookie
   * header and CSRF token to send with later requests.
   */
  login(role?: Role): Promise<{ cookie: string; csrf: string }>;
  token(scope: 'ingest' | 'read'): string;
  ingest(events: AnyEvent[], token: string): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * A dashboard on a fresh store in a temp dir, with one user; `close` removes everything. Options
 * may depend on the data dir (a launcher whose runs record into the same store).
 */
export async function startHarness(options: DashboardOptions | ((dir: string) => DashboardOptions) = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'vsa-dashboard-'));
  const opts = typeof options === 'function' ? options(dir) : options;
  const store = openDashboardStore(dir);
  const ctx = createContext(store);
  await ctx.users.add(USER, PASSWORD, 'admin', ACTOR);
  const app = await buildDashboard(ctx, { pollMs: 20, ...opts });
  return {
    dir,
    store,
    ctx,
    app,
    async login(role) {
      const name = role === undefined ? USER : `${role}-user`;
      if (role !== undefined && !ctx.users.get(name)) await ctx.users.add(name, PASSWORD, role, ACTOR);
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { name, password: PASSWORD } });
      if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === 'vsa_session')!;
      return { cookie: `vsa_session=${cookie.value}`, csrf: (res.json() as { csrfToken: string }).csrfToken };
    },
    token: (scope) => ctx.tokens.create(scope, `test-${scope}`, ACTOR).token,
    ingest: (events, token) =>
      app.inject({ method: 'POST', url: '/api/ingest/events', headers: { authorization: `Bearer ${token}` }, payload: { events } }),
    async close() {
      await app.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A scripted run as the runner pushes it: each event with its `type` and a time a second apart. */
export function pushed(steps: Step[], from = Date.parse('2026-01-10T10:00:00.000Z')): AnyEvent[] {
  return steps.map(([type, e], i) => ({ type, time: new Date(from + i * 1000).toISOString(), ...e }) as AnyEvent);
}
