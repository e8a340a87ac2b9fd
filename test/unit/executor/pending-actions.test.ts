import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { UnreachableError } from '../../../runner/errors.js';
import { runPlay } from '../../../runner/executor/run-play.js';
import type { HostLocker } from '../../../runner/executor/run-host.js';
import { decodeActions } from '../../../runner/executor/pending-actions.js';
import { definePlaybook, task } from '../../../runner/playbook/define.js';
import type { Task } from '../../../runner/playbook/types.js';
import { script } from '../../../runner/shell/command.js';
import { bus, host, kv, kvHosts, recorder } from './helpers.js';

/** Locks over a fake host that keeps its pending actions between runs, as the lock directory does. */
function fakeLocks() {
  const onHost = new Map<string, string[]>();
  const releases: (readonly string[] | undefined)[] = [];
  const lock: HostLocker = async (conn) => ({
    path: '/var/lib/vsa/run.lock',
    scope: 'root',
    pending: [...(onHost.get(conn.host) ?? [])],
    recordPending: (lines) => script(`record-pending ${JSON.stringify(lines)}`),
    release: async (pending) => {
      releases.push(pending);
      if (pending) onHost.set(conn.host, [...pending]);
    },
  });
  // The host's side of `record-pending`: the kv responder ignores that line.
  const record = (s: string) => {
    const m = /^record-pending (.*)$/m.exec(s);
    if (m) onHost.set('h1', JSON.parse(m[1]!) as string[]);
  };
  return { onHost, releases, lock, record };
}

const reload = task(kv, 'reload nginx', { key: 'reloaded', value: 'yes' });
const writeVhost = task(kv, 'write vhost', { key: 'vhost', value: 'auth' }, { notify: ['reload nginx'] });

function play(name: string, tasks: Task[], handlers: Task[]) {
  return definePlaybook({ name, description: name, hosts: 'all', params: z.object({}), tasks: () => tasks, handlers: () => handlers });
}

async function run(pb: ReturnType<typeof play>, env: ReturnType<typeof kvHosts>, locks: ReturnType<typeof fakeLocks>, resolve = true) {
  const rec = recorder();
  const end = await runPlay({
    playbook: pb,
    params: {},
    hosts: [host('h1')],
    connect: env.connect,
    lock: locks.lock,
    resolveModule: (name) => (resolve && name === 'kv' ? kv : undefined),
    bus: bus(rec),
    options: { forks: 1, check: false, diff: false, extraVars: {} },
    actor: 'tester',
    origin: 'script',
  });
  const handlers = rec.events.flatMap((e) => (e.type === 'task:result' && e.handler ? [{ task: e.task, status: e.status, message: e.message }] : []));
  return { end, handlers };
}

/** A host whose connection drops when the reload starts: the run dies between the write and the reload. */
function dyingAtReload(locks: ReturnType<typeof fakeLocks>) {
  let dead = false;
  return kvHosts(['h1'], {
    onExec: (s) => {
      locks.record(s);
      if (dead || /^set reloaded /m.test(s)) {
        dead = true;
        throw new UnreachableError('h1', 'connection lost');
      }
      return undefined;
    },
  });
}

describe('pending actions', () => {
  it('are recorded in the round trip of the write that notifies them, before the write', async () => {
    const locks = fakeLocks();
    const env = dyingAtReload(locks);
    await run(play('add-auth', [writeVhost], [reload]), env, locks);
    const writes = env.conns.get('h1')!.sent.filter((s) => s.script.includes('set vhost auth'));
    expect(writes).toHaveLength(1);
    expect(writes[0]!.script.indexOf('record-pending')).toBeLessThan(writes[0]!.script.indexOf('set vhost auth'));
    expect(decodeActions(locks.onHost.get('h1')!)).toEqual([{ handler: 'reload nginx', module: 'kv', params: { key: 'reloaded', value: 'yes' }, become: false }]);
  });

  it('that never ran run at the next run of the host, of any playbook, and leave the record', async () => {
    const locks = fakeLocks();
    const env = dyingAtReload(locks);
    const killed = await run(play('add-auth', [writeVhost], [reload]), env, locks);
    expect(killed.end.exitCode).toBe(4);
    expect(env.stores.get('h1')!.has('reloaded')).toBe(false);

    // The next run is another playbook, which changes nothing and has no handler of its own.
    const healthy = kvHosts(['h1'], { onExec: (s) => (locks.record(s), undefined) });
    healthy.stores.set('h1', env.stores.get('h1')!);
    const next = await run(play('cert-status', [task(kv, 'read', { key: 'vhost', value: 'auth' })], []), healthy, locks);
    expect(next.handlers).toEqual([{ task: 'reload nginx', status: 'changed', message: undefined }]);
    expect(healthy.stores.get('h1')!.get('reloaded')).toBe('yes');
    expect(locks.onHost.get('h1')).toEqual([]);

    const third = await run(play('cert-status', [], []), healthy, locks);
    expect(third.handlers).toEqual([]);
  });

  it('run once when the next run notifies the same handler again', async () => {
    const locks = fakeLocks();
    locks.onHost.set('h1', [JSON.stringify({ handler: 'old name', module: 'kv', params: { value: 'yes', key: 'reloaded' }, become: false })]);
    const env = kvHosts(['h1'], { onExec: (s) => (locks.record(s), undefined) });
    const r = await run(play('provision', [writeVhost], [reload]), env, locks);
    expect(r.handlers.map((h) => h.task)).toEqual(['reload nginx']);
    expect(locks.onHost.get('h1')).toEqual([]);
  });

  it('stay pending, said so, when no module of that name is known to the run', async () => {
    const locks = fakeLocks();
    const line = JSON.stringify({ handler: 'restart app', module: 'kv', params: { key: 'r', value: '1' }, become: false });
    locks.onHost.set('h1', [line]);
    const env = kvHosts(['h1']);
    const r = await run(play('other', [], []), env, locks, false);
    expect(r.handlers).toEqual([
      { task: 'restart app', status: 'skipped', message: 'pending from an earlier run: module kv is not known to this run, so it stays pending' },
    ]);
    expect(locks.releases.at(-1)).toBeUndefined();
    expect(locks.onHost.get('h1')).toEqual([line]);
  });

  it('cost no round trip and no write when nothing is pending or notified', async () => {
    const locks = fakeLocks();
    const env = kvHosts(['h1']);
    env.stores.get('h1')!.set('vhost', 'auth');
    await run(play('add-auth', [writeVhost], [reload]), env, locks);
    expect(env.conns.get('h1')!.sent).toHaveLength(1);
    expect(locks.releases).toEqual([undefined]);
  });

  it('drop lines from the host that are no action', () => {
    expect(decodeActions(['not json', '{"handler":"x"}', '{"handler":"h","module":"m","params":{},"become":true}'])).toEqual([
      { handler: 'h', module: 'm', params: {}, become: true },
    ]);
  });
});
