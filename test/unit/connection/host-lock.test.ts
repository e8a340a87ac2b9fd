import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LockHeldError } from '../../../runner/errors.js';
import {
  acquireHostLock,
  acquireLockCommand,
  breakLockCommand,
  isStale,
  parseLockReply,
  releaseLockCommand,
} from '../../../runner/connection/host-lock.js';
import { LocalConnection } from '../../../runner/connection/local.js';
import { toShell } from '../../../runner/shell/command.js';

const who = { runId: 'r1', owner: "ops@ctl 'x'", controlHost: 'ctl', pid: 42 };

describe('lock commands', () => {
  it('quote every owner field and take the lock with one mkdir', () => {
    const text = toShell(acquireLockCommand(who, '/var/lib/vsa'));
    expect(text).toContain(`'owner=ops@ctl '\\''x'\\'''`);
    expect(text).toContain('if mkdir "$l" 2>/dev/null; then');
    expect(text).toContain("l=/var/lib/vsa/run.lock; else l=/tmp/vsa-run.lock; fi");
  });

  it('release only the lock of their own run', () => {
    expect(toShell(releaseLockCommand('r1', '/d'))).toContain(`read -r first < "$l/info"; } 2>/dev/null && [ "$first" = run=r1 ]`);
  });

  it('break a lock without info only when asked for one without info', () => {
    expect(toShell(breakLockCommand(undefined, '/d'))).toContain('[ ! -e "$l/info" ]');
    expect(toShell(breakLockCommand('old', '/d'))).toContain('[ "$first" = run=old ]');
  });
});

describe('lock replies', () => {
  const held = parseLockReply('held /d/run.lock\nnow=1000\nmtime=900\nrun=r0\nowner=a@b\ncontrol=b\npid=7\ntime=940\n');

  it('parse the holder and its age', () => {
    expect(held).toEqual({
      acquired: false,
      path: '/d/run.lock',
      holder: { run: 'r0', owner: 'a@b', control: 'b', pid: 7, time: 940 },
      ageSec: 60,
    });
    expect(parseLockReply('acquired /d/run.lock\n')).toEqual({ acquired: true, path: '/d/run.lock' });
  });

  it('call a lock stale when its pid died on this control host or it is too old', () => {
    if (held.acquired) throw new Error('expected held');
    const rules = { maxAgeMs: 3600_000, controlHost: 'b', isAlive: () => false };
    expect(isStale(held, rules)).toBe(true);
    expect(isStale(held, { ...rules, isAlive: () => true })).toBe(false);
    expect(isStale(held, { ...rules, controlHost: 'elsewhere' })).toBe(false);
    expect(isStale(held, { ...rules, controlHost: 'elsewhere', maxAgeMs: 59_000 })).toBe(true);
  });
});

describe('acquireHostLock on a real sh', () => {
  let dir: string;
  const conns: LocalConnection[] = [];
  const conn = () => {
    const c = new LocalConnection('t1');
    conns.push(c);
    return c;
  };
  beforeAll(async () => {
    dir = await mkdtemp(`${tmpdir()}/vsa-lock-`);
  });
  afterAll(async () => {
    await Promise.all(conns.map((c) => c.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('takes, refuses a second run naming the holder, and releases', async () => {
    const release = await acquireHostLock(conn(), { ...who, runId: 'a' }, { dir, isAlive: () => true });
    const info = await readFile(`${dir}/run.lock/info`, 'utf8');
    expect(info).toMatch(/^run=a\nowner=ops@ctl 'x'\ncontrol=ctl\npid=42\ntime=\d+\n$/);
    const second = acquireHostLock(conn(), { ...who, runId: 'b' }, { dir, isAlive: () => true });
    await expect(second).rejects.toThrow(LockHeldError);
    await expect(second).rejects.toThrow(/locked by another run \(ops@ctl 'x', run a, pid 42 on ctl/);
    await release();
    const again = await acquireHostLock(conn(), { ...who, runId: 'b' }, { dir, isAlive: () => true });
    await again();
  });

  it('waits for the holder with `wait`', async () => {
    const release = await acquireHostLock(conn(), { ...who, runId: 'c' }, { dir, isAlive: () => true });
    setTimeout(() => void release(), 300);
    const started = Date.now();
    const next = await acquireHostLock(conn(), { ...who, runId: 'd' }, { dir, wait: true, pollMs: 50, isAlive: () => true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await next();
  });

  it('clears a lock whose run died on this control host, but not a live one', async () => {
    await mkdir(`${dir}/run.lock`);
    await writeFile(`${dir}/run.lock/info`, 'run=dead\nowner=x@ctl\ncontrol=ctl\npid=999999\ntime=1\n');
    const alive = acquireHostLock(conn(), { ...who, runId: 'e' }, { dir, isAlive: () => true, maxAgeMs: Number.MAX_SAFE_INTEGER });
    await expect(alive).rejects.toThrow(/run dead/);
    const release = await acquireHostLock(conn(), { ...who, runId: 'e' }, { dir, isAlive: (pid) => pid !== 999999 });
    expect(await readFile(`${dir}/run.lock/info`, 'utf8')).toContain('run=e\n');
    await release();
  });

  it('never releases a lock another run took since', async () => {
    const c = conn();
    await mkdir(`${dir}/run.lock`);
    await writeFile(`${dir}/run.lock/info`, 'run=other\n');
    await c.exec(releaseLockCommand('mine', dir));
    expect(await readFile(`${dir}/run.lock/info`, 'utf8')).toBe('run=other\n');
    await c.exec(breakLockCommand('mine', dir));
    expect(await readFile(`${dir}/run.lock/info`, 'utf8')).toBe('run=other\n');
    await c.exec(breakLockCommand('other', dir));
    await expect(readFile(`${dir}/run.lock/info`, 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
