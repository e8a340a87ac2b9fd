import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeAccess, type RouteAccess } from '../../../dashboard/server/auth/guard.js';
import { startHarness, type Harness } from './harness.js';

/** Reached by routes that declare themselves public; each must say why in its own definition. */
const PUBLIC = ['GET /*', 'GET /api/auth/session', 'GET /api/health', 'HEAD /*', 'HEAD /api/auth/session', 'HEAD /api/health', 'POST /api/auth/login'];
const INDEX = '<!doctype html><title>vsa</title><div id="root"></div>';

let h: Harness;
let base: { host: string; port: number };
let readToken: string;
/** The access of the route whose handler the last request got to (requests are sent one at a time). */
let reached: Reached | undefined;
/** A route's declared access (`private` when it declares none), or `not-found` for the 404 handler. */
type Reached = RouteAccess['access'] | 'private' | 'not-found';

beforeAll(async () => {
  h = await startHarness((dir) => {
    const web = join(dir, 'web');
    mkdirSync(join(web, 'assets'), { recursive: true });
    writeFileSync(join(web, 'index.html'), INDEX);
    writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
    return { webRoot: web };
  });
  // Runs after the guard's onRequest: a request gets here only if the guard let it through.
  h.app.addHook('preHandler', async (req) => {
    reached = req.is404 ? 'not-found' : (req.routeOptions.config.access ?? 'private');
  });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  base = { host: '127.0.0.1', port: (h.app.server.address() as AddressInfo).port };
  readToken = h.token('read');
});
afterAll(() => h.close());

interface Answer {
  status: number;
  body: string;
  /** The access of the route whose handler ran, if one did. */
  handler: Reached | undefined;
}

/** One request over a real socket, the path sent byte for byte as given (no client-side normalising). */
function send(method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  reached = undefined;
  return new Promise((resolve, reject) => {
    const req = request({ ...base, method, path, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body, handler: reached }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A URL that the route matches: each `:param` and `*` filled in. */
const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, '1').replace(/\*$/, 'x');

const privateRoutes = () => routeAccess(h.app).filter((r) => r.access !== 'public');

/** The same path, spelled the ways a router, a proxy or a file server might read differently. */
function spellings(path: string): string[] {
  const segs = path.split('/').slice(1);
  const encodeFirst = (s: string) => (s ? `%${s.charCodeAt(0).toString(16)}${s.slice(1)}` : s);
  const every = (s: string) => [...s].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
  const [first = '', ...rest] = segs;
  const tail = rest.join('/');
  return [
    path,
    `/${segs.map(encodeFirst).join('/')}`,
    `/${segs.map(every).join('/')}`,
    `/${segs.join('%2F')}`,
    `/${segs.join('%2f')}`,
    `//${segs.join('//')}`,
    `/${first}//${tail}`,
    `/./${segs.join('/./')}`,
    `/x/../${segs.join('/')}`,
    `/${first}/x/../${tail}`,
    `/${first}/%2e/${tail}`,
    `/${first}/x/%2e%2e/${tail}`,
    `/${first}/x/..%2F${tail}`,
    path.toUpperCase(),
    `/${first.charAt(0).toUpperCase()}${first.slice(1)}/${tail}`,
    `${path};jsessionid=abc`,
    `/${first};x=1/${tail}`,
    `${path}%00`,
    `${path}%00.js`,
    `${path}/`,
    `${path}?x=/../api/health`,
    `${path}%3F.js`,
    `${path}%23`,
    `${path}#x`,
    `/${first}\\${tail}`,
    `/api/health/../${segs.join('/')}`,
    `/api/health/..%2F..%2F${segs.join('%2F')}`,
  ];
}

describe('the guard decides on the route the router matched', () => {
  it('knows every route, and only the few declared public ones are public', () => {
    const table = routeAccess(h.app);
    expect(table.length).toBeGreaterThan(30);
    expect(table.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`).sort()).toEqual(PUBLIC);
    // The live stream and /metrics are routes like any other.
    expect(table).toContainEqual({ method: 'GET', url: '/api/runs/:id/events', access: 'read' });
    expect(table).toContainEqual({ method: 'GET', url: '/metrics', access: 'read' });
  });

  it('answers 401 on every private route without credentials, and runs no handler', async () => {
    for (const r of privateRoutes()) {
      const a = await send(r.method, concrete(r.url));
      // Node's HTTP parser refuses some methods (QUERY) before any route is chosen.
      if (a.status === 400 && a.handler === undefined) continue;
      expect({ route: `${r.method} ${r.url}`, status: a.status, handler: a.handler }).toEqual({
        route: `${r.method} ${r.url}`,
        status: 401,
        handler: undefined,
      });
      if (r.method !== 'HEAD') expect(JSON.parse(a.body)).toEqual({ error: 'login required' });
    }
  });

  it('answers an unknown API path exactly like a known one, and 404 once logged in', async () => {
    for (const [method, path] of [
      ['GET', '/api/no-such'],
      ['POST', '/api/no-such'],
      ['GET', '/api'],
      ['DELETE', '/api/runs'],
      ['POST', '/no-such'],
    ] as const) {
      const a = await send(method, path);
      expect({ path, status: a.status, body: a.body }).toEqual({ path, status: 401, body: JSON.stringify({ error: 'login required' }) });
    }
    const authed = await send('GET', '/api/no-such', { authorization: `Bearer ${readToken}` });
    expect(authed.status).toBe(404);
  });

  it('lets no spelling of a private path reach its handler without credentials', async () => {
    const paths = [...new Set(privateRoutes().filter((r) => r.method === 'GET').map((r) => concrete(r.url)))];
    let reachedWithToken = 0;
    for (const path of paths) {
      for (const spelt of spellings(path)) {
        const anon = await send('GET', spelt);
        // Refused by the guard (401) or the parser (400); or the web app: its page, or its refusal of a file name.
        const outcome = `${anon.handler ?? 'none'} ${anon.status}`;
        const allowed = ['none 401', 'none 400', 'public 200', 'public 400', 'public 403', 'public 404', 'not-found 404'];
        expect({ spelt, outcome }).toMatchObject({ spelt, outcome: expect.toBeOneOf(allowed) });
        if (outcome === 'public 200') expect({ spelt, body: anon.body }).toEqual({ spelt, body: INDEX });
        const withToken = await send('GET', spelt, { authorization: `Bearer ${readToken}` });
        if (withToken.handler === 'read' || withToken.handler === 'private') reachedWithToken++;
      }
    }
    // Not vacuous: encoded, dotted and doubled spellings do reach private handlers, for a caller with credentials.
    expect(reachedWithToken).toBeGreaterThan(paths.length * 3);
  });

  it('serves the web app to anyone, and nothing outside it', async () => {
    expect(await send('GET', '/runs/abc')).toMatchObject({ status: 200, body: INDEX, handler: 'public' });
    expect(await send('GET', '/assets/app.js')).toMatchObject({ status: 200, body: 'console.log(1)' });
    expect((await send('GET', '/assets/missing.js')).status).toBe(404);
    for (const path of ['/..%2F..%2F..%2Fetc%2Fpasswd', '/assets/..%2F..%2Fvsa.db', '/%2e%2e/%2e%2e/etc/passwd.txt', '/.env.js']) {
      const a = await send('GET', path);
      // A path without an extension is a page of the app; nothing else may come out.
      expect({ path, status: a.status }).toMatchObject({ path, status: expect.toBeOneOf([200, 400, 403, 404]) });
      if (a.status === 200) expect(a.body).toBe(INDEX);
    }
  });
});
