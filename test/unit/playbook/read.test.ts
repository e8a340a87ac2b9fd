import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runPlay } from '../../../runner/executor/run-play.js';
import { defineModule } from '../../../runner/module/define.js';
import { definePlaybook, task } from '../../../runner/playbook/define.js';
import { HostReads, ReadMissingError } from '../../../runner/playbook/host-reads.js';
import { defineOutcome } from '../../../runner/playbook/outcome.js';
import { defineRead } from '../../../runner/playbook/read.js';
import type { Task } from '../../../runner/playbook/types.js';
import { argv } from '../../../runner/shell/command.js';
import { bus, host, kv, kvHosts, recorder } from '../executor/helpers.js';

/** Read-only: the value under a key of the fake host, as data. */
const peek = defineModule({
  name: 'peek',
  description: 'test read',
  params: z.object({ key: z.string() }),
  read: (p) => ({ command: argv('get', p.key), parse: (r) => r.stdout }),
  plan: (_p, value: string) => ({ commands: [], data: { value } }),
});

let parses = 0;
/** A number kept under a key, e.g. `get port` → `8080`. */
const portRead = defineRead({
  name: 'port',
  module: peek,
  probe: (key: string) => ({ key }),
  parse: (data, { host: h }) => {
    parses++;
    const n = Number(data.value);
    if (!Number.isInteger(n)) throw new Error(`${h}: not a port: ${String(data.value)}`);
    return n;
  },
});

async function run(tasks: Task[], hosts: Record<string, Record<string, string>>, check = false) {
  const env = kvHosts(Object.keys(hosts));
  for (const [name, kvs] of Object.entries(hosts))
    for (const [k, v] of Object.entries(kvs)) env.stores.get(name)!.set(k, v);
  const rec = recorder();
  const playbook = definePlaybook({
    name: 't',
    description: 't',
    hosts: 'all',
    params: z.object({}),
    tasks: () => tasks,
  });
  const end = await runPlay({
    playbook,
    params: {},
    hosts: Object.keys(hosts).map((n) => host(n)),
    connect: env.connect,
    bus: bus(rec),
    options: { forks: 5, check, diff: false, extraVars: {} },
    actor: 'tester',
    origin: 'script',
  });
  const results = rec.events.filter((e) => e.type === 'task:result');
  return { end, results, stores: env.stores };
}

const next = (name: string) =>
  task(kv, name, (h) => ({ key: `${name}-next`, value: String(portRead.of(h) + 1) }));

describe('defineRead', () => {
  it('gives later tasks the typed value read on their own host, parsed once per host', async () => {
    parses = 0;
    const { end, results, stores } = await run(
      [portRead.task('read the port', 'port'), next('a'), next('b'), next('c')],
      {
        h1: { port: '8080' },
        h2: { port: '9090' },
      },
    );
    expect(end.exitCode).toBe(0);
    expect(stores.get('h1')!.get('a-next')).toBe('8081');
    expect(stores.get('h2')!.get('c-next')).toBe('9091');
    expect(parses).toBe(2);
    expect(
      results
        .filter((r) => r.type === 'task:result' && r.task === 'read the port')
        .map((r) => r.type === 'task:result' && r.status),
    ).toEqual(['ok', 'ok']);
  });

  it('reads in check mode too, and never counts as a change', async () => {
    const { end, stores } = await run(
      [portRead.task('read the port', 'port'), next('a')],
      { h1: { port: '80' } },
      true,
    );
    expect(end.recap.h1).toMatchObject({ ok: 1, changed: 1 });
    expect(stores.get('h1')!.has('a-next')).toBe(false);
  });

  it('fails the task that needs a read which did not run, naming the host and the read', async () => {
    const { results } = await run(
      [portRead.task('read the port', 'port', { when: () => false }), next('a')],
      { h1: { port: '80' } },
    );
    expect(results.at(-1)).toMatchObject({
      task: 'a',
      status: 'failed',
      message: 'h1: no value of the read "port": its task was skipped, failed or has not run on this host',
    });
  });

  it('fails the task that needs the value when the probe output does not parse', async () => {
    const { results } = await run([portRead.task('read the port', 'port'), next('a')], {
      h1: { port: 'http' },
    });
    expect(results.map((r) => r.type === 'task:result' && [r.task, r.status])).toEqual([
      ['read the port', 'ok'],
      ['a', 'failed'],
    ]);
    expect(results.at(-1)).toMatchObject({ message: 'h1: not a port: http' });
  });

  it('parses with a zod schema, naming the host and the read on data it does not take', () => {
    const flag = defineRead({
      name: 'flag',
      module: peek,
      probe: (key: string) => ({ key }),
      parse: z.object({ value: z.enum(['on', 'off']) }),
    });
    expect(flag.parse({ value: 'on' }, { host: 'h1', arg: 'f' })).toEqual({ value: 'on' });
    expect(() => flag.parse({ value: 'maybe' }, { host: 'h1', arg: 'f' })).toThrow(
      /^h1: read "flag": value: /,
    );
  });

  it('keeps the value per handle: a host context can be given parsed state directly', () => {
    const reads = new HostReads('h1').set(portRead, 443);
    expect(portRead.of({ name: 'h1', vars: {}, results: {}, reads })).toBe(443);
    expect(() =>
      reads.get(
        defineRead({ name: 'other', module: peek, probe: (key: string) => ({ key }), parse: () => 0 }),
      ),
    ).toThrow(ReadMissingError);
  });
});

describe('defineOutcome', () => {
  it('keeps a task’s outcome on each host for later conditions', async () => {
    const wrote = defineOutcome('write a');
    const tasks = [
      task(kv, 'write a', { key: 'a', value: '1' }, { keep: wrote.keep }),
      task(kv, 'after a change', { key: 'b', value: '1' }, { when: (h) => wrote.of(h).status === 'changed' }),
    ];
    const { results } = await run(tasks, { h1: {}, h2: { a: '1' } });
    const status = (h: string) =>
      results
        .filter((r) => r.type === 'task:result' && r.host === h)
        .map((r) => r.type === 'task:result' && r.status);
    expect(status('h1')).toEqual(['changed', 'changed']);
    expect(status('h2')).toEqual(['ok', 'skipped']);
  });
});
