import { Writable } from 'node:stream';
import { EventBus } from '../../../runner/events/bus.js';
import type { EventName, HostStats, RunEvents, Sink, TaskResultEvent } from '../../../runner/events/types.js';

export type Step = { [K in EventName]: [K, RunEvents[K]] }[EventName];
type Outcome = Pick<TaskResultEvent, 'status' | 'durationMs' | 'roundTrips'> & Partial<TaskResultEvent>;

const zero: HostStats = { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, ignored: 0 };

const start = (runId: string, playbook: string, hosts: string[], check: boolean): Step => [
  'run:start',
  {
    runId,
    playbook,
    params: {},
    hosts,
    check,
    diff: !check,
    actor: 'ops',
    origin: 'ci',
    startedAt: '2026-01-02T03:04:05.000Z',
  },
];

/** A task's two events on one host; `split` returns them apart so hosts can interleave. */
function task(host: string, name: string, taskIndex: number, outcome: Outcome, runId = 'r-1'): [Step, Step] {
  const ref = { runId, host, task: name, taskIndex, handler: outcome.handler ?? false };
  return [
    ['task:start', ref],
    ['task:result', { ...ref, ...outcome }],
  ];
}

export const webroot =
  '--- /etc/nginx/sites-available/shop\n+++ /etc/nginx/sites-available/shop\n@@ -1,2 +1,2 @@\n server {\n-  root /srv/old;\n+  root /srv/shop;\n';

const web01: HostStats = { ...zero, ok: 1, changed: 1, failed: 1, skipped: 1, ignored: 1 };
const db01: HostStats = { ...zero, unreachable: 1 };
const [webFacts, webFactsDone] = task('web01', 'Gather facts', 0, {
  status: 'ok',
  durationMs: 40,
  roundTrips: 1,
});
const [dbFacts, dbFactsDone] = task('db01.internal', 'Gather facts', 0, {
  status: 'unreachable',
  durationMs: 3004,
  roundTrips: 0,
  message: 'ssh: Connection refused',
});

/** Two hosts interleaved: every status, an ignored failure, a diff, a multi-line failure message. */
export const failedRun: Step[] = [
  start('r-1', 'provision-site', ['web01', 'db01.internal'], false),
  ['host:start', { runId: 'r-1', host: 'web01' }],
  ['host:start', { runId: 'r-1', host: 'db01.internal' }],
  webFacts,
  dbFacts,
  webFactsDone,
  dbFactsDone,
  ['host:end', { runId: 'r-1', host: 'db01.internal', stats: db01 }],
  ...task('web01', 'Create webroot', 1, { status: 'changed', durationMs: 12, roundTrips: 2, diff: webroot }),
  ...task('web01', 'Install certbot', 2, {
    status: 'skipped',
    durationMs: 0,
    roundTrips: 0,
    message: 'when: false',
  }),
  ...task('web01', 'Check disk', 3, {
    status: 'failed',
    ignored: true,
    durationMs: 85,
    roundTrips: 1,
    message: 'df: /srv: No such file or directory',
  }),
  ...task('web01', 'Test nginx config', 4, {
    status: 'failed',
    durationMs: 1250,
    roundTrips: 1,
    message: 'nginx -t exited 1\nunknown directive "foo" in shop:3',
  }),
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

/** `webroot` as tty and plain print it under its task. */
export const webrootLines = [
  '    --- /etc/nginx/sites-available/shop',
  '    +++ /etc/nginx/sites-available/shop',
  '    @@ -1,2 +1,2 @@',
  '     server {',
  '    -  root /srv/old;',
  '    +  root /srv/shop;',
];

/** What tty and plain output end with for `failedRun`: the recap table and the final line. */
export const failedRunSummary = [
  '',
  'PLAY RECAP',
  'host           ok  changed  failed  skipped  unreachable  ignored',
  'web01           1        1       1        1            0        1',
  'db01.internal   0        0       0        0            1        0',
  '',
  'run r-1 failed after 4.3 s: a task failed (exit 2)',
  '',
].join('\n');

/** Ctrl-C in check mode: the running handler finishes, no `host:end` follows, the recap still comes. */
export const interruptedRun: Step[] = [
  start('r-2', 'renew-certs', ['web01'], true),
  ['host:start', { runId: 'r-2', host: 'web01' }],
  ...task(
    'web01',
    'Reload nginx',
    5,
    { status: 'changed', durationMs: 310, roundTrips: 1, handler: true },
    'r-2',
  ),
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

export const interruptedRunSummary = [
  '',
  'PLAY RECAP',
  'host   ok  changed  failed  skipped  unreachable  ignored',
  'web01   0        1       0        0            0        0',
  '',
  'run r-2 interrupted after 1m 05s: no new tasks were started (exit 130)',
  '',
].join('\n');

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

/** One command task whose output `-v` shows: two lines of stdout, one of stderr. */
export const commandRun: Step[] = [
  start('r-3', 'deploy', ['web01'], false),
  ['host:start', { runId: 'r-3', host: 'web01' }],
  ...task(
    'web01',
    'Migrate',
    0,
    { status: 'changed', durationMs: 20, roundTrips: 1, data: { rc: 0, stdout: 'applied 1\napplied 2\n', stderr: 'slow query\n' } },
    'r-3',
  ),
  ['host:end', { runId: 'r-3', host: 'web01', stats: { ...zero, changed: 1 } }],
];
