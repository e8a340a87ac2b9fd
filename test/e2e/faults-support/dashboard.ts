import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JsonEvent } from './vsa.js';

/** A stand-in for the dashboard's ingest endpoint: records every body, answers after `delayMs`. */
export interface FakeDashboard {
  url: string;
  /** Raw request bodies, in arrival order. */
  bodies: string[];
  /** Every event received (duplicates included: delivery is at least once). */
  events(): JsonEvent[];
  delayMs: number;
  close(): Promise<void>;
}

export async function fakeDashboard(token: string, delayMs = 0, port = 0): Promise<FakeDashboard> {
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      void (async () => {
        if (dash.delayMs) await sleep(dash.delayMs);
        const ok =
          req.method === 'POST' &&
          req.url === '/api/ingest/events' &&
          req.headers.authorization === `Bearer ${token}`;
        if (ok) bodies.push(body);
        res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(ok ? '{"ok":true}' : '{}');
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const dash: FakeDashboard = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    events: () => bodies.flatMap((b) => (JSON.parse(b) as { events: JsonEvent[] }).events),
    delayMs,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return dash;
}

/** A loopback port nothing listens on (taken, then released). */
export async function closedPort(): Promise<number> {
  const d = await fakeDashboard('');
  const port = Number(new URL(d.url).port);
  await d.close();
  return port;
}
