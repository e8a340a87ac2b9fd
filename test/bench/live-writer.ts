// The runner's side of test/bench/live-bench.ts: a separate process that records a run of HOSTS
// hosts × TASKS tasks into the store in DIR through the store sink, as `vsa run` does. It says
// `ready` once the run is started, waits for `go` on stdin, then prints `host taskIndex ms` for
// each result right after its commit (ms on the clock both processes share).
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { openStore } from '../../runner/store/index.js';
import { createStoreSink } from '../../runner/store/sink.js';
import type { Sink } from '../../runner/events/types.js';
import { scriptedRun, startOf } from '../unit/store/fixtures/events.js';

const [dir, hostsArg, tasksArg, gapArg] = process.argv.slice(2);
const hosts = Array.from({ length: Number(hostsArg) }, (_, i) => `web${i + 1}`);
const tasks = Number(tasksArg);
const gapMs = Number(gapArg);
const store = openStore(dir!);
// The store sink handles every event; the type only says a sink may skip some.
const sink = createStoreSink(store) as Required<Sink>;
const runId = 'live';
sink['run:start']({ ...startOf(scriptedRun(runId, hosts)), startedAt: new Date().toISOString() });
process.stdout.write('ready\n');
await new Promise<void>((go) => createInterface({ input: process.stdin }).once('line', () => go()));

const out: string[] = [];
for (let taskIndex = 0; taskIndex < tasks; taskIndex++)
  for (const host of hosts) {
    const ref = { runId, host, task: `task ${taskIndex}`, taskIndex, handler: false };
    sink['task:start'](ref);
    sink['task:result']({ ...ref, status: 'ok', durationMs: gapMs, roundTrips: 1 });
    out.push(`${host} ${taskIndex} ${performance.timeOrigin + performance.now()}`);
    await sleep(gapMs);
  }
sink.close();
store.close();
process.stdout.write(`${out.join('\n')}\n`);
