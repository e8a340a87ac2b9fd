import { chown, lstat, mkdir, mkdtemp, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LockError, LockHeldError, VsaError } from '../../../runner/errors.js';
import { acquireHostLock, parseLockReply } from '../../../runner/connection/host-lock.js';
import {
  acquireLockCommand,
  releaseLockCommand,
  STAGED_UPLOAD_MAX_AGE_SEC,
} from '../../../runner/connection/host-lock-scripts.js';
import { FakeConnection } from '../../../runner/connection/fake.js';
import { LocalConnection } from '../../../runner/connection/local.js';
import { toShell } from '../../../runner/shell/command.js';

const who = { runId: 'r1', owner: "ops@ctl 'x'", controlHost: 'ctl', pid: 42 };
/** Field 22 of /proc/PID/stat: what the lock compares against pid reuse. */
const startOf = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19]!;

describe('lock scripts', () => {
  it('quote every owner field, write the record before the lock exists, and never use /tmp for it', () => {
    const text = toShell(acquireLockCommand([`owner=${who.owner}`], '/var/lib/vsa'));
    expect(text).toContain(`owner=ops@ctl '\\''\\'\\'''\\''x'\\''\\'\\'''\\''`);
    expect(text).toContain('mv -T "$n" "$l"');
    expect(text).not.toMatch(/vsa-run\.lock/);
  });

  it('release only the lock of their own run', () => {
    expect(toShell(releaseLockCommand('r1'))).toContain(`if [ "$run" = r1 ]; then`);
  });
});

describe('lock replies', () => {
  it('parse the holder, the pending actions and the scope', () => {
    expect(parseLockReply('held /d/run.lock\nage=60\nrun=r0\nowner=a@b\ncontrol=b\npid=7\nholder=900\nstart=5\n')).toEqual({
      state: 'held',
      path: '/d/run.lock',
      holder: { run: 'r0', owner: 'a@b', control: 'b', pid: 7, holder: 900 },
      ageSec: 60,
    });
    expect(parseLockReply('acquired /d x/run.lock sudo\npending {"a":1}\npending b c\n')).toEqual({
      state: 'acquired',
      path: '/d x/run.lock',
      scope: 'sudo',
      pending: ['{"a":1}', 'b c'],
    });
  });

  it('turn anything else into a LockError of the VsaError family', () => {
    expect(() => parseLockReply('')).toThrow(LockError);
    expect(() => parseLockReply('bash: sudo: command not found')).toThrow(VsaError);
  });
});

describe('acquireHostLock with a fake host', () => {
  it('retries while another run clears a stale lock, then takes it', async () => {
    const replies = ['busy /d/run.lock', 'stale /d/run.lock\nrun=old', 'acquired /d/run.lock root'];
    const conn = new FakeConnection('h1', () => ({ stdout: `${replies.shift()}\n` }));
    const lease = await acquireHostLock(conn, who);
    expect(lease.path).toBe('/d/run.lock');
    expect(conn.sent).toHaveLength(3);
  });

  it('say why a lock cannot be written (a full disk) and take no lock', async () => {
    const conn = new FakeConnection('h1', () => ({
      stdout: 'failed /var/lib/vsa/run.lock\n',
      stderr: 'sh: 1: cannot create /var/lib/vsa/run.lock.new.77/info: No space left on device\n',
    }));
    const taken = acquireHostLock(conn, who);
    await expect(taken).rejects.toThrow(LockError);
    await expect(taken).rejects.toThrow(/h1: cannot take the run lock \/var\/lib\/vsa\/run\.lock: .*No space left on device/);
  });

  it('warn when the login cannot become root and the lock is its own', async () => {
    const warnings: string[] = [];
    const conn = new FakeConnection('h1', () => ({ stdout: 'acquired /home/ops/.local/state/vsa/run.lock user\n' }));
    await acquireHostLock(conn, who, { warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([
      'h1: the login user cannot become root (no passwordless sudo): the run lock is /home/ops/.local/state/vsa/run.lock, which keeps out other runs of this user only',
    ]);
  });

  it('record pending actions through the lock\'s sudo when the step runs as the login user', async () => {
    const conn = new FakeConnection('h1', () => ({ stdout: 'acquired /var/lib/vsa/run.lock sudo\n' }));
    const lease = await acquireHostLock(conn, who);
    expect(toShell(lease.recordPending(['x'], false))).toMatch(/^sudo -n sh -c /);
    expect(toShell(lease.recordPending(['x'], true))).toMatch(/^d=\/var\/lib\/vsa\n/);
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
  const take = (runId: string, opts = {}) => acquireHostLock(conn(), { ...who, runId }, { rootDir: dir, ...opts });
  const info = () => readFile(`${dir}/run.lock/info`, 'utf8');
  beforeEach(async () => {
    dir = await mkdtemp(`${tmpdir()}/vsa-lock-`);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  afterAll(() => Promise.all(conns.map((c) => c.close())));

  it('takes, refuses a second run naming the holder, and releases', async () => {
    const lease = await take('a');
    expect(lease.scope).toBe('root');
    // The holder is this test's process: the first ancestor of the lock script that is no shell.
    expect(await info()).toBe(`run=a\nowner=ops@ctl 'x'\ncontrol=ctl\npid=42\nholder=${process.pid}\nstart=${startOf(process.pid)}\n`);
    const second = take('b');
    await expect(second).rejects.toThrow(LockHeldError);
    await expect(second).rejects.toThrow(new RegExp(`locked by another run \\(ops@ctl 'x', run a, pid 42 on ctl, session pid ${process.pid} on the host, for \\d+ s`));
    await lease.release();
    await (await take('b')).release();
  });

  it('lets exactly one of several runs that start at once take it', async () => {
    const tries = await Promise.allSettled(['p', 'q', 'r', 's', 't'].map((id) => take(id)));
    expect(tries.filter((t) => t.status === 'fulfilled')).toHaveLength(1);
    expect(tries.filter((t) => t.status === 'rejected' && t.reason instanceof LockHeldError)).toHaveLength(4);
  });

  it('waits for the holder with `wait`', async () => {
    const lease = await take('c');
    setTimeout(() => void lease.release(), 300);
    const next = await take('d', { wait: true, pollMs: 50 });
    expect(await info()).toContain('run=d\n');
    await next.release();
  });

  const plant = async (record: string) => {
    await mkdir(`${dir}/run.lock`, { recursive: true });
    await writeFile(`${dir}/run.lock/info`, record);
  };

  it('keeps a live holder\'s lock whatever its record says of time and clocks', async () => {
    // An older vsa wrote the control machine's clock; a host 7 h ahead once made that look stale.
    await plant(`run=live\ntime=1\nholder=${process.pid}\nstart=${startOf(process.pid)}\n`);
    await expect(take('e')).rejects.toThrow(/run live/);
  });

  it.each([
    ['whose holder process is gone', 'run=dead\nholder=2147483646\nstart=1\n'],
    ['whose holder pid now belongs to another process', `run=reused\nholder=${process.pid}\nstart=1\n`],
    ['whose record is empty (a full disk under an older vsa)', ''],
    ['whose holder is not a pid', 'run=odd\nholder=self\nstart=1\n'],
  ])('clears a lock %s and takes it', async (_what, record) => {
    await plant(record);
    const lease = await take('f');
    expect(await info()).toContain('run=f\n');
    await lease.release();
  });

  it('clears a lock whose holder has ended but is not yet reaped (a zombie)', async () => {
    // `sleep` never waits for children: the short sleep it inherits ends after the exec and stays a
    // zombie. A child that ended before the exec could be reaped by sh itself.
    const parent = spawn('sh', ['-c', 'sleep 0.3 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const [chunk] = (await once(parent.stdout, 'data')) as [Buffer];
      const zombie = Number(chunk.toString().trim());
      const state = () => readFileSync(`/proc/${zombie}/stat`, 'utf8').split(') ')[1]!.split(' ')[0];
      for (let i = 0; i < 200 && state() !== 'Z'; i++) await new Promise((r) => setTimeout(r, 20));
      expect(state()).toBe('Z');
      await plant(`run=zombie\nholder=${zombie}\nstart=${startOf(zombie)}\n`);
      const lease = await take('z');
      expect(await info()).toContain('run=z\n');
      await lease.release();
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('never releases a lock another run took since', async () => {
    await plant('run=other\n');
    await conn().exec(releaseLockCommand('mine', [], dir));
    expect(await info()).toBe('run=other\n');
  });

  it.each([
    ['a file', (path: string) => writeFile(path, 'run=x\n'), 'a file'],
    ['a link to a directory', (path: string) => mkdir(`${dir}/elsewhere`).then(() => symlink(`${dir}/elsewhere`, path)), 'a symbolic link'],
    ['a dangling link', (path: string) => symlink(`${dir}/nowhere`, path), 'a symbolic link'],
  ])('refuses %s planted at the lock path, saying so', async (_what, put, is) => {
    await put(`${dir}/run.lock`);
    const taken = take('l');
    await expect(taken).rejects.toThrow(LockError);
    await expect(taken).rejects.toThrow(`${dir}/run.lock is ${is}, not a lock directory vsa made`);
    expect((await lstat(`${dir}/run.lock`)).isDirectory()).toBe(false);
  });

  it('refuses a lock directory made by another user', async () => {
    await mkdir(dir, { recursive: true });
    await chown(dir, 65534, 65534);
    const taken = take('g');
    await expect(taken).rejects.toThrow(LockError);
    await expect(taken).rejects.toThrow(/is not a directory of the lock's user \(root\)/);
    await chown(dir, 0, 0);
  });

  it('hands back the pending actions a release left, and clears them', async () => {
    const first = await take('h');
    expect(first.pending).toEqual([]);
    await first.release(['{"action":"reload nginx"}', "it's"]);
    expect((await stat(`${dir}/pending`)).mode & 0o777).toBe(0o600);
    const second = await take('i');
    expect(second.pending).toEqual(['{"action":"reload nginx"}', "it's"]);
    await conn().exec(second.recordPending(['only this'], true));
    expect(await readFile(`${dir}/pending`, 'utf8')).toBe('only this\n');
    await second.release([]);
    await expect(stat(`${dir}/pending`)).rejects.toThrow(/ENOENT/);
  });

  it('removes staged uploads of this login over an hour old, not fresh ones', async () => {
    const old = '/tmp/.vsa-put-oldtest';
    const fresh = '/tmp/.vsa-put-freshtest';
    await writeFile(old, 'secret');
    await writeFile(fresh, 'secret');
    const then = Date.now() / 1000 - STAGED_UPLOAD_MAX_AGE_SEC - 60;
    await utimes(old, then, then);
    try {
      await (await take('m')).release();
      await expect(stat(old)).rejects.toThrow(/ENOENT/);
      expect((await stat(fresh)).isFile()).toBe(true);
    } finally {
      await rm(old, { force: true });
      await rm(fresh, { force: true });
    }
  });

  it("removes the session folders of dead sessions, not of live ones", async () => {
    const dead = await mkdtemp('/tmp/.vsa-deadtest');
    const live = await mkdtemp('/tmp/.vsa-livetest');
    await writeFile(`${dead}/pid`, '2147483646\n');
    await writeFile(`${live}/pid`, `${process.pid}\n`);
    try {
      await (await take('j')).release();
      await expect(stat(dead)).rejects.toThrow(/ENOENT/);
      expect((await stat(live)).isDirectory()).toBe(true);
    } finally {
      await rm(dead, { recursive: true, force: true });
      await rm(live, { recursive: true, force: true });
    }
  });
  it("kills what a dead holder's session shells still run before taking its lock, not what a planted folder names", async () => {
    // A session leader like the shell sshd starts for each channel, with a command still running in it.
    const session = () => spawn('sh', ['-c', 'sleep 60; :'], { detached: true, stdio: 'ignore' });
    const orphan = session();
    const other = session();
    const ours = await mkdtemp('/tmp/.vsa-stoptest');
    const planted = await mkdtemp('/tmp/.vsa-plantedtest');
    await writeFile(`${ours}/pid`, `${orphan.pid} ${startOf(orphan.pid!)} 2147483646 1\n`);
    await writeFile(`${planted}/pid`, `${other.pid} ${startOf(other.pid!)} 2147483646 1\n`);
    await chown(planted, 65534, 65534);
    await plant('run=dead\nholder=2147483646\nstart=1\n');
    const warnings: string[] = [];
    try {
      const gone = once(orphan, 'exit');
      const lease = await take('k', { warn: (m: string) => warnings.push(m) });
      expect(await gone).toEqual([null, 'SIGKILL']);
      expect(other.exitCode).toBeNull();
      expect(warnings.join('\n')).toMatch(/killed 2 process\(es\) still running from the dead run dead/);
      await expect(stat(ours)).rejects.toThrow(/ENOENT/);
      await lease.release();
    } finally {
      orphan.kill('SIGKILL');
      other.kill('SIGKILL');
      await rm(ours, { recursive: true, force: true });
      await rm(planted, { recursive: true, force: true });
    }
  });
});
