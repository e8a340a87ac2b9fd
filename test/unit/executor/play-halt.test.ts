import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runPlay, type PlayOptions } from '../../../runner/executor/run-play.js';
import { UsageError } from '../../../runner/errors.js';
import type { AnyEvent } from '../../../runner/events/types.js';
import { definePlaybook, task } from '../../../runner/playbook/define.js';
import type { PlaybookDef, Task } from '../../../runner/playbook/types.js';
import { bus, fail, host, kv, kvHosts, recorder } from './helpers.js';

const play = (tasks: Task[], extra: Partial<PlaybookDef> = {}) =>
  definePlaybook({ name: 'halt', description: 'test', hosts: 'all', params: z.object({}), tasks: () => tasks, ...extra });

async function run(pb: PlaybookDef, names: string[], o: Partial<PlayOptions> = {}) {
  const env = kvHosts(names);
  const rec = recorder();
  const end = await runPlay({
    playbook: pb,
    params: {},
    hosts: names.map((n) => host(n)),
    connect: env.connect,
    bus: bus(rec),
    options: { forks: 1, check: false, diff: false, extraVars: {}, ...o },
    actor: 'tester',
    origin: 'script',
  });
  const results = rec.events.filter((e): e is Extract<AnyEvent, { type: 'task:result' }> => e.type === 'task:result');
  return { end, env, results };
}

const failOn = (...names: string[]) => task(fail, 'boom', { msg: 'x' }, { when: (h) => names.includes(h.name) });
const setA = task(kv, 'set a', { key: 'a', value: '1' });

describe('anyErrorsFatal and maxFailPercentage', () => {
  it('without them, a failure stops only its own host', async () => {
    const { end } = await run(play([failOn('h2'), setA]), ['h1', 'h2', 'h3']);
    expect(end.recap.h3).toMatchObject({ changed: 1, failed: 0 });
  });

  it('anyErrorsFatal: one host failing stops the others before their next task, saying why, and later batches', async () => {
    const { end, env, results } = await run(play([failOn('h2'), setA], { anyErrorsFatal: true, serial: 3 }), ['h1', 'h2', 'h3', 'h4']);
    expect(end.exitCode).toBe(2);
    expect(end.recap.h1).toMatchObject({ changed: 1 });
    expect(env.stores.get('h3')!.has('a')).toBe(false);
    expect(results.find((r) => r.host === 'h3')).toMatchObject({
      status: 'skipped',
      message: 'not run: h2 failed and the play has anyErrorsFatal',
    });
    expect(end.recap.h4).toBeUndefined();
  });

  it('maxFailPercentage: the play stops once more than that share of a batch failed, not at it', async () => {
    const hosts = ['h1', 'h2', 'h3', 'h4'];
    const over = await run(play([failOn('h1', 'h2'), setA], { maxFailPercentage: 25 }), hosts);
    expect(over.end.recap.h3).toMatchObject({ changed: 0, skipped: 1 });
    expect(over.results.find((r) => r.host === 'h3')?.message).toBe(
      "not run: 2 of 4 hosts failed, over the play's maxFailPercentage of 25%",
    );
    const at = await run(play([failOn('h1', 'h2'), setA], { maxFailPercentage: 50 }), hosts);
    expect(at.end.recap.h3).toMatchObject({ changed: 1 });
    expect(at.end.recap.h4).toMatchObject({ changed: 1 });
  });

  it('refuses a maxFailPercentage outside 0-100 before touching a host', async () => {
    await expect(run(play([setA], { maxFailPercentage: 150 }), ['h1'])).rejects.toThrow(
      new UsageError('maxFailPercentage: expected a number from 0 to 100, got 150'),
    );
  });
});

describe('runOnce', () => {
  it('runs on one host; the others report it skipped and register its outcome', async () => {
    const once = task(kv, 'migrate', { key: 'a', value: '1' }, { runOnce: true, register: 'migrated' });
    const after = task(kv, 'mark', { key: 'b', value: '1' }, { when: (h) => h.results.migrated?.status === 'changed' });
    const { env, results, end } = await run(play([once, after]), ['h1', 'h2', 'h3'], { forks: 20 });
    expect([...env.stores.values()].filter((s) => s.has('a'))).toHaveLength(1);
    const ran = results.find((r) => r.task === 'migrate' && r.status === 'changed')!;
    expect(results.filter((r) => r.task === 'migrate' && r.status === 'skipped').map((r) => r.message)).toEqual([
      `runOnce: ran on ${ran.host} (changed)`,
      `runOnce: ran on ${ran.host} (changed)`,
    ]);
    expect([...env.stores.values()].every((s) => s.get('b') === '1')).toBe(true);
    expect(end.exitCode).toBe(0);
  });

  it('a failure of the one run fails every host of the batch', async () => {
    const { end, env } = await run(play([task(fail, 'boom', { msg: 'x' }, { runOnce: true }), setA]), ['h1', 'h2'], { forks: 20 });
    const ranIt = [...env.conns.values()].filter((c) => c.sent.some((s) => s.script.includes('exit 3')));
    expect(ranIt).toHaveLength(1);
    expect(end.recap.h1).toMatchObject({ failed: 1, changed: 0 });
    expect(end.recap.h2).toMatchObject({ failed: 1, changed: 0 });
  });
});
