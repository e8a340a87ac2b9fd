import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { RouteAccess } from '../../../dashboard/server/auth/guard.js';
import { startHarness, type Harness } from './harness.js';

export const INDEX = '<!doctype html><title>vsa</title><div id="root"></div>';

/** A route's declared access (`undeclared` when it declares none), or `not-found` for the 404 handler. */
export type Reached = RouteAccess['access'] | 'undeclared' | 'not-found';

export interface Answer {
  status: number;
  body: string;
  /** The access of the route whose handler ran, if one did. */
  handler: Reached | undefined;
}

export interface SendOptions {
  headers?: Record<string, string>;
  /** Sent as JSON: a state-changing request the handler would accept. */
  json?: unknown;
  /** Another target than the dashboard itself (a proxy in front), over TLS if `tls`. */
  via?: RequestOptions & { tls?: boolean };
}

export interface Probe {
  h: Harness;
  /** Where the dashboard listens on loopback. */
  port: number;
  /** One request, one at a time, the path sent byte for byte as given (no client-side normalising). */
  send(method: string, path: string, opts?: SendOptions): Promise<Answer>;
}

/**
 * A dashboard with a (tiny) built web app, listening on loopback, that records which route's handler
 * each request got to: a preHandler hook runs after the guard's onRequest, so only for requests
 * the guard let through.
 */
export async function startProbe(): Promise<Probe> {
  const h = await startHarness((dir) => {
    const web = join(dir, 'web');
    mkdirSync(join(web, 'assets'), { recursive: true });
    writeFileSync(join(web, 'index.html'), INDEX);
    writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
    return { webRoot: web };
  });
  let reached: Reached | undefined;
  h.app.addHook('preHandler', async (req) => {
    reached = req.is404 ? 'not-found' : (req.routeOptions.config.access ?? 'undeclared');
  });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  const port = (h.app.server.address() as AddressInfo).port;
  const send: Probe['send'] = (method, path, { headers = {}, json, via = {} } = {}) => {
    reached = undefined;
    const { tls, ...target } = via;
    const body = json === undefined ? undefined : JSON.stringify(json);
    const all = body === undefined ? headers : { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
    return new Promise((resolve, reject) => {
      const request = tls ? httpsRequest : httpRequest;
      const req = request({ host: '127.0.0.1', port, ...target, method, path, headers: all }, (res) => {
        // An event stream never ends by itself: its headers are the answer.
        if (res.headers['content-type']?.startsWith('text/event-stream')) {
          resolve({ status: res.statusCode!, body: '', handler: reached });
          res.destroy();
          return;
        }
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body, handler: reached }));
      });
      req.on('error', reject);
      req.end(body);
    });
  };
  return { h, port, send };
}

/** A URL that the route matches: each `:param` and `*` filled in. */
export const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, '1').replace(/\*$/, 'x');

/** The same path, spelled the ways a router, a proxy or a file server might read differently. */
export function spellings(path: string): string[] {
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

/**
 * What a request without credentials may end in: refused by the guard (401) or before routing
 * (400); or the public web app, which answers its page, or refuses a file name (400, 403, 404,
 * possibly through the 404 handler). Anything else means a private handler ran.
 */
export const ANONYMOUS_OUTCOMES = ['none 401', 'none 400', 'public 200', 'public 400', 'public 403', 'public 404', 'not-found 404'];

export const outcome = (a: Answer) => `${a.handler ?? 'none'} ${a.status}`;
