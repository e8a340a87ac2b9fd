// How long a task result takes from its commit by a runner process to an open dashboard stream:
// a dashboard on a temp store (its default poll interval), a writer process recording a run of
// 150 hosts × 10 tasks as `vsa run` does (test/bench/live-writer.ts), and one live stream of that
// run over HTTP. Prints one JSON line: the latency figures in ms.
// Run: npx tsx test/bench/live-bench.ts
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { AddressInfo } from 'node:net';
import { buildDashboard, createContext, openDashboardStore } from '../../dashboard/server/index.js';
import { median, percentile, round } from './stats.js';

const HOSTS = 150;
const TASKS = 10;
/** Between two results: 150 hosts finishing a task within a second or so, as a real run does. */
const GAP_MS = 2;

const dir = mkdtempSync(join(tmpdir(), 'vsa-live-'));
const store = openDashboardStore(dir);
const ctx = createContext(store);
const app = await buildDashboard(ctx, {});
try {
  await ctx.users.add('bench', 'bench password long enough', 'viewer', 'bench');
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { name: 'bench', password: 'bench password long enough' },
  });
  const session = login.cookies.find((c) => c.name === 'vsa_session');
  if (!session) throw new Error(`login failed: ${login.statusCode} ${login.body}`);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;

  const writer = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./live-writer.ts', import.meta.url).pathname, dir, String(HOSTS), String(TASKS), String(GAP_MS)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: writer.stdout });
  const [first] = (await once(lines, 'line')) as [string];
  if (first !== 'ready') throw new Error('the writer did not start its run');
  const commits = new Map<string, number>();
  lines.on('line', (line) => {
    const [host, task, ms] = line.split(' ');
    commits.set(`${host} ${task}`, Number(ms));
  });
  const written = once(lines, 'close');

  const res = await fetch(`http://127.0.0.1:${port}/api/runs/live/events`, {
    headers: { cookie: `vsa_session=${session.value}` },
  });
  if (res.status !== 200) throw new Error(`stream: ${res.status}`);
  const arrivals = new Map<string, number>();
  const reading = readResults(res.body!, HOSTS * TASKS, arrivals);
  writer.stdin.end('go\n');
  await Promise.all([reading, written]);
  const latencies = [...arrivals].map(([key, at]) => at - commits.get(key)!);
  console.log(
    JSON.stringify({
      hosts: HOSTS,
      tasks: TASKS,
      results: latencies.length,
      medianMs: round(median(latencies), 1),
      p90Ms: round(percentile(latencies, 90), 1),
      maxMs: round(Math.max(...latencies), 1),
    }),
  );
} finally {
  await app.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
}

/** Notes when each `result` event arrives, until `count` have; the clock is the writer's too. */
async function readResults(body: ReadableStream<Uint8Array>, count: number, arrivals: Map<string, number>): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  while (arrivals.size < count) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the stream ended after ${arrivals.size} of ${count} results`);
    const at = performance.timeOrigin + performance.now();
    buffer += decoder.decode(value, { stream: true });
    const events = buffer.split('\n\n');
    buffer = events.pop()!;
    for (const e of events) {
      if (!e.includes('event: result')) continue;
      const data = JSON.parse(e.split('\n').find((l) => l.startsWith('data: '))!.slice(6)) as { host: string; taskIndex: number };
      arrivals.set(`${data.host} ${data.taskIndex}`, at);
    }
  }
  await reader.cancel();
}
