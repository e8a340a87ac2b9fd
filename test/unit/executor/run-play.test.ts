import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runPlay, type PlayOptions } from '../../../runner/executor/run-play.js';
import { definePlaybook, task } from '../../../runner/playbook/define.js';
import type { Task } from '../../../runner/playbook/types.js';
import { bus, fail, host, kv, kvHosts, recorder } from './helpers.js';

const opts = (o: Partial<PlayOptions> = {}): PlayOptions => ({ forks: 20, check: false, diff: false, extraVars: {}, ...o });

const setA = task(kv, 'set a', { key: 'a', value: '1' }, { notify: ['h'] });
const setB = task(kv, 'set b', { key: 'b', value: '2' }, { notify: ['h'], tags: ['b'] });
const handler = task(kv, 'h', { key: 'handled', value: 'yes' });

function play(tasks: Task[], handlers: Task[] = [handler], extra: { serial?: number | string } = {}) {
  return definePlaybook({
    name: 'test',
    description: 'test',
    hosts: 'all',
    params: z.object({}),
    tasks: () => tasks,
    handlers: () => handlers,
    ...extra,
  });
}

/** A task that interrupts the run (as Ctrl-C would) while it runs. */
function interrupting() {
  const ac = new AbortController();
  // In `when`, not in the arguments: a closure of arguments is also tried before the run starts.
  const stopper = task(kv, 'stop', (h) => ({ key: 'k', value: h.name }), {
    when: () => {
      ac.abort();
      return true;
    },
  });
  return { ac, stopper };
}

async function run(pb: ReturnType<typeof play>, hostNames: string[], o: Partial<PlayOptions> = {}, env = kvHosts(hostNames)) {
  const rec = recorder();
  const end = await runPlay({
    playbook: pb,
    params: {},
    hosts: hostNames.map((n) => host(n)),
    connect: env.connect,
    bus: bus(rec),
    options: opts(o),
    actor: 'tester',
    origin: 'script',
  });
  const results = rec.events.filter((e) => e.type === 'task:result' && !e.handler);
  return { end, rec, results, env };
}

describe('runPlay', () => {
  it('changes on the first run, is ok on the second, and runs a notified handler once per host', async () => {
    const env = kvHosts(['h1', 'h2']);
    const first = await run(play([setA, setB], [handler]), ['h1', 'h2'], {}, env);
    expect(first.end.exitCode).toBe(0);
    expect(first.end.recap.h1).toMatchObject({ changed: 3, ok: 0, failed: 0 });
    const handlerRuns = first.rec.events.filter((e) => e.type === 'task:result' && e.handler);
    expect(handlerRuns.map((e) => (e as { host: string }).host).sort()).toEqual(['h1', 'h2']);
    const second = await run(play([setA, setB], [handler]), ['h1', 'h2'], {}, env);
    expect(second.end.recap.h1).toMatchObject({ changed: 0, ok: 2 });
    expect(second.rec.events.some((e) => e.type === 'task:result' && e.handler)).toBe(false);
  });

  it('costs one round trip per unchanged task and two per changed task', async () => {
    const env = kvHosts(['h1']);
    const first = await run(play([setA]), ['h1'], {}, env);
    const second = await run(play([setA]), ['h1'], {}, env);
    expect(first.results.map((e) => (e as { roundTrips: number }).roundTrips)).toEqual([2]);
    expect(second.results.map((e) => (e as { roundTrips: number }).roundTrips)).toEqual([1]);
  });

  it('writes nothing in check mode but reports what would change, with a diff in diff mode', async () => {
    const { results, env } = await run(play([setA]), ['h1'], { check: true, diff: true });
    expect(results[0]).toMatchObject({ status: 'changed', diff: '-\n+1\n' });
    expect(env.stores.get('h1')!.size).toBe(0);
    expect(env.conns.get('h1')!.sent.some((s) => s.script.includes('set a'))).toBe(false);
  });

  it('isolates a failing host and an unreachable one; exit 4 wins over 2', async () => {
    const failing = task(fail, 'boom', { msg: 'x' }, { when: (h) => h.name === 'h2' });
    const env = kvHosts(['h1', 'h2', 'h3'], { unreachable: ['h3'] });
    const { end } = await run(play([failing, setA]), ['h1', 'h2', 'h3'], {}, env);
    expect(end.recap.h1).toMatchObject({ skipped: 1, changed: 2 });
    expect(end.recap.h2).toMatchObject({ failed: 1, changed: 0 });
    expect(end.recap.h3).toMatchObject({ unreachable: 1 });
    expect(end.exitCode).toBe(4);
    expect(env.stores.get('h1')!.get('a')).toBe('1');
    expect(env.stores.get('h2')!.has('a')).toBe(false);
  });

  it('exits 2 when a task failed and reports the command stderr', async () => {
    const { end, results } = await run(play([task(fail, 'boom', { msg: 'x' })]), ['h1']);
    expect(end.exitCode).toBe(2);
    expect(results[0]).toMatchObject({ status: 'failed', message: 'boom' });
  });

  it('goes on after an ignored failure and does not fail the run', async () => {
    const { end } = await run(play([task(fail, 'boom', { msg: 'x' }, { ignoreErrors: true }), setA]), ['h1']);
    expect(end.recap.h1).toMatchObject({ ignored: 1, failed: 0, changed: 2 });
    expect(end.exitCode).toBe(0);
  });

  it('never runs more hosts at once than forks', async () => {
    let active = 0;
    let peak = 0;
    const env = kvHosts(['a', 'b', 'c', 'd', 'e']);
    const connect = async (h: Parameters<typeof env.connect>[0]) => {
      active++;
      peak = Math.max(peak, active);
      const c = await env.connect(h);
      const close = c.close.bind(c);
      c.close = async () => {
        await new Promise((r) => setTimeout(r, 5));
        active--;
        return close();
      };
      return c;
    };
    await run(play([setA]), ['a', 'b', 'c', 'd', 'e'], { forks: 2 }, { ...env, connect });
    expect(peak).toBe(2);
  });

  it('runs serial batches one after the other and stops when a whole batch failed', async () => {
    const pb = play([task(fail, 'boom', { msg: 'x' }, { when: (h) => h.name !== 'h3' })], [handler], { serial: 2 });
    const { end, rec } = await run(pb, ['h1', 'h2', 'h3', 'h4']);
    expect(Object.keys(end.recap).sort()).toEqual(['h1', 'h2']);
    const starts = rec.events.filter((e) => e.type === 'host:start').map((e) => (e as { host: string }).host);
    expect(starts).toEqual(['h1', 'h2']);
  });

  it('selects tasks by tag and skips by tag', async () => {
    const only = await run(play([setA, setB], [handler]), ['h1'], { tags: ['b'] });
    expect(only.results.map((e) => (e as { task: string }).task)).toEqual(['set b']);
    const skipped = await run(play([setA, setB]), ['h1'], { skipTags: ['b'] });
    expect(skipped.results.map((e) => (e as { task: string }).task)).toEqual(['set a']);
  });

  it('retries until the condition holds', async () => {
    let calls = 0;
    const env = kvHosts(['h1'], {
      onExec: (s) => (s.includes('exit 3') && ++calls < 3 ? { code: 3, stderr: 'not yet' } : s.includes('exit 3') ? { code: 0 } : undefined),
    });
    const flaky = task(fail, 'flaky', { msg: 'x' }, { retries: 4 });
    const { results } = await run(play([flaky]), ['h1'], {}, env);
    expect(calls).toBe(3);
    expect(results[0]).toMatchObject({ status: 'changed' });
  });

  it('stops starting tasks once interrupted, still ends the run with a recap and exit 130', async () => {
    const { ac, stopper } = interrupting();
    const { end, results } = await run(play([stopper, setA]), ['h1'], { signal: ac.signal });
    expect(end.exitCode).toBe(130);
    expect(end.reason).toBe('interrupted');
    expect(results.map((e) => (e as { task: string }).task)).toEqual(['stop']);
  });

  describe('rescue: a host whose play stops part way is put back', () => {
    const undo = task(kv, 'undo', { key: 'a', value: 'undone' });
    const withRescue = (tasks: Task[]) =>
      definePlaybook({ ...play(tasks), rescue: () => [undo] });
    const names = (rs: unknown[]) => rs.map((e) => (e as { task: string }).task);

    it('runs after a failed task, the host still failed (exit 2); not when every task succeeded', async () => {
      const { end, results, env } = await run(withRescue([setA, task(fail, 'boom', { msg: 'x' })]), ['h1']);
      expect(end.exitCode).toBe(2);
      expect(names(results)).toEqual(['set a', 'boom', 'undo']);
      expect(env.stores.get('h1')!.get('a')).toBe('undone');
      expect(names((await run(withRescue([setA]), ['h1'])).results)).toEqual(['set a']);
    });

    it('runs after an interrupt although no new task starts (exit 130)', async () => {
      const { ac, stopper } = interrupting();
      const { end, results } = await run(withRescue([stopper, setA]), ['h1'], { signal: ac.signal });
      expect(end.exitCode).toBe(130);
      expect(names(results)).toEqual(['stop', 'undo']);
    });

    it('never runs in check mode, nor on an unreachable host', async () => {
      const checked = await run(withRescue([task(fail, 'boom', { msg: 'x' })]), ['h1'], { check: true });
      expect(names(checked.results)).not.toContain('undo');
      const down = await run(withRescue([setA]), ['h1'], {}, kvHosts(['h1'], { unreachable: ['h1'] }));
      expect(names(down.results)).not.toContain('undo');
    });
  });

  it('applies changedWhen and failedWhen, and registers outcomes for later tasks', async () => {
    const quiet = task(kv, 'quiet', { key: 'q', value: '1' }, { changedWhen: () => false, register: 'q' });
    const uses = task(kv, 'uses', (h) => ({ key: 'r', value: h.results.q!.status }));
    const { results, env } = await run(play([quiet, uses]), ['h1']);
    expect(results[0]).toMatchObject({ status: 'ok' });
    expect(env.stores.get('h1')!.get('r')).toBe('ok');
  });

  it('refuses fixed arguments that break the module schema before touching any host, naming the field', async () => {
    const env = kvHosts(['h1']);
    const bad = task(kv, 'bad', { key: 'a' } as never);
    await expect(run(play([bad]), ['h1'], {}, env)).rejects.toThrow(/task "bad": kv arguments: value: /);
    expect(env.conns.size).toBe(0);
  });

  it('fails a task whose closure gives an unknown argument once known, naming the task and the key', async () => {
    const set = task(kv, 'set a', { key: 'a', value: '1' }, { register: 'a' });
    // Before the first task there is no result to read: the closure throws and is checked when it runs.
    const later = task(kv, 'later', (h) => ({ key: 'b', value: '2', ...(h.results.a!.status ? { vlaue: '3' } : {}) }));
    const { results } = await run(play([set, later], []), ['h1']);
    expect(results[1]).toMatchObject({
      status: 'failed',
      message: 'task "later": kv has no argument "vlaue" (did you mean value?) (its arguments: key, value)',
    });
  });

  it('rejects a notify that names no handler before touching any host', async () => {
    const env = kvHosts(['h1']);
    await expect(run(play([task(kv, 't', { key: 'a', value: '1' }, { notify: ['nope'] })]), ['h1'], {}, env)).rejects.toThrow(
      /not a handler/,
    );
    expect(env.conns.size).toBe(0);
  });
});
