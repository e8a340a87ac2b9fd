import { Writable } from 'node:stream';
import { EventBus } from '../../../runner/events/bus.js';
import type { EventName, HostStats, RunEvents, Sink } from '../../../runner/events/types.js';

export type Step = { [K in EventName]: [K, RunEvents[K]] }[EventName];

const zero: HostStats = { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, ignored: 0 };
const ref = (host: string, task: string, taskIndex: number, handler = false) => ({
  runId: 'r-1',
  host,
  task,
  taskIndex,
  handler,
});

export const webroot =
  '--- /etc/nginx/sites-available/shop\n+++ /etc/nginx/sites-available/shop\n@@ -1,2 +1,2 @@\n server {\n-  root /srv/old;\n+  root /srv/shop;\n';

const web01: HostStats = { ...zero, ok: 1, changed: 1, failed: 1, skipped: 1, ignored: 1 };
const db01: HostStats = { ...zero, unreachable: 1 };

/** Two hosts interleaved: every status, an ignored failure, a diff, a multi-line failure message. */
export const failedRun: Step[] = [
  [
    'run:start',
    {
      runId: 'r-1',
      playbook: 'provision-site',
      params: { domain: 'shop.example.com' },
      hosts: ['web01', 'db01.internal'],
      check: false,
      diff: true,
      actor: 'ops',
      origin: 'ci',
      startedAt: '2026-01-02T03:04:05.000Z',
    },
  ],
  ['host:start', { runId: 'r-1', host: 'web01' }],
  ['host:start', { runId: 'r-1', host: 'db01.internal' }],
  ['task:start', ref('web01', 'Gather facts', 0)],
  ['task:start', ref('db01.internal', 'Gather facts', 0)],
  ['task:result', { ...ref('web01', 'Gather facts', 0), status: 'ok', durationMs: 40, roundTrips: 1 }],
  [
    'task:result',
    {
      ...ref('db01.internal', 'Gather facts', 0),
      status: 'unreachable',
      durationMs: 3004,
      roundTrips: 0,
      message: 'ssh: Connection refused',
    },
  ],
  ['host:end', { runId: 'r-1', host: 'db01.internal', stats: db01 }],
  ['task:start', ref('web01', 'Create webroot', 1)],
  [
    'task:result',
    { ...ref('web01', 'Create webroot', 1), status: 'changed', durationMs: 12, roundTrips: 2, diff: webroot },
  ],
  ['task:start', ref('web01', 'Install certbot', 2)],
  [
    'task:result',
    {
      ...ref('web01', 'Install certbot', 2),
      status: 'skipped',
      durationMs: 0,
      roundTrips: 0,
      message: 'when: false',
    },
  ],
  ['task:start', ref('web01', 'Check disk', 3)],
  [
    'task:result',
    {
      ...ref('web01', 'Check disk', 3),
      status: 'failed',
      ignored: true,
      durationMs: 85,
      roundTrips: 1,
      message: 'df: /srv: No such file or directory',
    },
  ],
  ['task:start', ref('web01', 'Test nginx config', 4)],
  [
    'task:result',
    {
      ...ref('web01', 'Test nginx config', 4),
      status: 'failed',
      durationMs: 1250,
      roundTrips: 1,
      message: 'nginx -t exited 1\nunknown directive "foo" in shop:3',
    },
  ],
  ['host:end', { runId: 'r-1', host: 'web01', stats: web01 }],
  [
    'run:end',
    {
      runId: 'r-1',
      reason: 'failed',
      exitCode: 2,
      recap: { web01, 'db01.internal': db01 },
      durationMs: 4321,
      endedAt: '2026-01-02T03:04:09.321Z',
    },
  ],
];

/** Ctrl-C in check mode: the running handler finishes, no `host:end` follows, the recap still comes. */
export const interruptedRun: Step[] = [
  [
    'run:start',
    {
      runId: 'r-2',
      playbook: 'renew-certs',
      params: {},
      hosts: ['web01'],
      check: true,
      diff: false,
      actor: 'ops',
      origin: 'tty',
      startedAt: '2026-01-02T03:04:05.000Z',
    },
  ],
  ['host:start', { runId: 'r-2', host: 'web01' }],
  ['task:start', { ...ref('web01', 'Reload nginx', 5, true), runId: 'r-2' }],
  [
    'task:result',
    {
      ...ref('web01', 'Reload nginx', 5, true),
      runId: 'r-2',
      status: 'changed',
      durationMs: 310,
      roundTrips: 1,
    },
  ],
  [
    'run:end',
    {
      runId: 'r-2',
      reason: 'interrupted',
      exitCode: 130,
      recap: { web01: { ...zero, changed: 1 } },
      durationMs: 65_000,
      endedAt: '2026-01-02T03:05:10.000Z',
    },
  ],
];

/** A stream that keeps what is written, synchronously, like a terminal would show it. */
export function bufferStream(): { stream: NodeJS.WritableStream; text: () => string } {
  let text = '';
  const stream = Object.assign(new Writable(), { columns: 100, rows: 40 });
  stream.write = ((chunk: unknown) => {
    text += String(chunk);
    return true;
  }) as typeof stream.write;
  return { stream, text: () => text };
}

/** Feeds the steps through the real bus, as the executor does, and waits for the sink to close. */
export async function play(sink: Sink, steps: Step[]): Promise<void> {
  const bus = new EventBus([sink], undefined, (err) => {
    throw err;
  });
  for (const [type, event] of steps) bus.emit(type, event as never);
  await bus.close();
}
