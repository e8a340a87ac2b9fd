import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnyEvent } from '../../../runner/events/types.js';

export interface FakeDashboard {
  url: string;
  /** Bodies of the batches it accepted, with the Authorization header each came with. */
  batches: { auth: string | undefined; events: AnyEvent[] }[];
  /** Raw request bodies, accepted or not. */
  raw: string[];
  mode: 'up' | 'slow' | 'error';
  close(): Promise<void>;
}

/** A tiny ingest endpoint on 127.0.0.1: `up` takes batches, `slow` never answers in time, `error` answers 503. */
export async function startDashboard(mode: FakeDashboard['mode'] = 'up'): Promise<FakeDashboard> {
  const held = new Set<import('node:http').ServerResponse>();
  const d: FakeDashboard = {
    url: '',
    batches: [],
    raw: [],
    mode,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      d.raw.push(body);
      if (req.url !== '/api/ingest/events' || req.method !== 'POST') return void res.writeHead(404).end();
      if (d.mode === 'slow') return void held.add(res);
      if (d.mode === 'error') return void res.writeHead(503).end();
      d.batches.push({ auth: req.headers.authorization, events: (JSON.parse(body) as { events: AnyEvent[] }).events });
      res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  d.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return d;
}

/** A URL on which nothing listens. */
export async function downUrl(): Promise<string> {
  const d = await startDashboard();
  await d.close();
  return d.url;
}
