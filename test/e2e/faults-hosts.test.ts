import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { $ } from 'zx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterArgv } from '../lab/host-fs.js';
import { canRunLab, useLab } from '../lab/use-lab.js';
import {
  auditLines,
  ensureBuilt,
  onHost,
  resultsOf,
  said,
  startVsa,
  storeRows,
  tempHome,
  vsa,
  type JsonEvent,
} from './faults-support/vsa.js';
import { SLOW, WRITE } from './playbook-files.js';

const q = $({ quiet: true });
const FIVE = 'h01:h02:h03:h04:h05';

const started = (task: string, n: number) => (events: JsonEvent[]) =>
  events.filter((e) => e.type === 'task:start' && e.task === task).length >= n;

/** Faults injected into real hosts while the built `vsa` binary runs a playbook on them. */
describe.skipIf(!canRunLab)('faults on lab hosts', () => {
  const lab = useLab({ hosts: 20 });
  let home: { dir: string; remove(): Promise<void> };
  let inventory: string;
  beforeAll(async () => {
    home = await tempHome('faults');
    inventory = lab().inventoryFile;
    await ensureBuilt();
  });
  afterAll(() => home?.remove());

  const run = (args: string[], env?: Record<string, string>) =>
    vsa(['run', ...args, '-i', inventory, '--json'], home.dir, env);
  const start = (args: string[]) => startVsa(['run', ...args, '-i', inventory, '--json'], home.dir);
  const lockOn = (host: string) => existsSync(onHost(lab(), host, '/var/lib/vsa/run.lock'));
  const names = () => lab().hosts.map((h) => h.name);
  /** Every process in the host's network namespace: its sshd and the sessions' processes. */
  const pidsIn = async (host: string) => (await q`ip netns pids ${lab().host(host).ns}`).stdout.split('\n').filter(Boolean);
  /** The command lines of every process in the host's network namespace. */
  const commandsIn = async (host: string) => {
    const pids = await pidsIn(host);
    const lines = await Promise.all(pids.map((p) => readFile(`/proc/${p}/cmdline`, 'utf8').catch(() => '')));
    return lines.map((l) => l.split('\0').join(' ').trim());
  };

  it('an sshd killed mid-run makes its host unreachable; the other hosts complete and the history is complete', async () => {
    const p = start([SLOW, '--limit', FIVE, '-e', 'pause=3', '-e', 'root=/srv/killed']);
    await p.until(started('pause', 5));
    // The daemon and every session process of h03: what a crash or an OOM kill leaves.
    const pids = await pidsIn('h03');
    expect(pids.length).toBeGreaterThan(2);
    await q`kill -KILL ${pids}`;
    try {
      const r = await p.done;
      expect(r.code, said(r)).toBe(4);
      const h03 = resultsOf(r.events, 'h03');
      expect(h03.map((e) => [e.task, e.status])).toEqual([
        ['root', 'changed'],
        ['pause', 'unreachable'],
      ]);
      expect(h03[1]!.message).toBe('h03: connection lost: closed by the host');
      for (const h of ['h01', 'h02', 'h04', 'h05']) {
        expect(r.end!.recap![h], h).toMatchObject({ ok: 1, changed: 3, failed: 0, unreachable: 0 });
      }

      const { run: row, tasks } = storeRows(home.dir, r.end!.runId!);
      expect(row).toMatchObject({ status: 'unreachable', exit_code: 4 });
      expect(tasks).toHaveLength(18);
      expect(tasks.filter((t) => t.host === 'h03').map((t) => t.status)).toEqual(['changed', 'unreachable']);
      const jsonl = (await auditLines(home.dir)).filter((e) => e.runId === r.end!.runId);
      expect(jsonl.filter((e) => e.type === 'task:result')).toHaveLength(18);
      expect(jsonl.at(-1)).toMatchObject({ type: 'run:end', exitCode: 4 });
    } finally {
      await lab().startSshd('h03');
    }
  });

  it('a network link cut mid-task is detected by keepalives: unreachable with the cause, no hang', async () => {
    // Keepalives as an Ansible inventory sets them; the default (15 s x 3) would take a minute.
    const tight = `${home.dir}/keepalive.yml`;
    const text = await readFile(inventory, 'utf8');
    await writeFile(
      tight,
      text.replace(
        'StrictHostKeyChecking=yes',
        'StrictHostKeyChecking=yes -o ServerAliveInterval=1 -o ServerAliveCountMax=3',
      ),
    );
    const veth = lab().host('h02').veth;
    const p = startVsa(
      ['run', SLOW, '-i', tight, '--json', '--limit', 'h02', '-e', 'pause=20', '-e', 'root=/srv/cut'],
      home.dir,
    );
    try {
      await p.until(started('pause', 1));
      await q`ip link set ${veth} down`;
      const r = await p.done;
      expect(r.code, said(r)).toBe(4);
      const pause = resultsOf(r.events, 'h02').find((e) => e.task === 'pause')!;
      expect(pause).toMatchObject({
        status: 'unreachable',
        message: 'h02: connection lost: the host stopped answering keepalives (network down?)',
      });
      // Cut 20 s before the command would have ended; found within about 3 keepalives of 1 s.
      expect(pause.durationMs as number).toBeLessThan(8000);
      expect(r.ms).toBeLessThan(12_000);

      // A host that cannot be reached at all fails within --connect-timeout.
      const dead = await run([SLOW, '--limit', 'h02', '--connect-timeout', '2']);
      expect(dead.code, said(dead)).toBe(4);
      expect(resultsOf(dead.events, 'h02')[0]!.message).toBe(
        `h02: no SSH handshake with ${lab().host('h02').address}:22 within 2000 ms`,
      );
      expect(dead.ms).toBeLessThan(10_000);
    } finally {
      await q`ip link set ${veth} up`;
      p.child.kill('SIGKILL');
      // The host's sshd still holds the cut session (and with it the run's lock) until it gives
      // up on the client; the tests after this one need h02 as a fresh host would be.
      const pids = await pidsIn('h02');
      if (pids.length > 0) await q`kill -KILL ${pids}`;
      await lab().startSshd('h02');
    }
  });

  it('a full disk fails the template write with ENOSPC, keeps the old file and leaves no temp file', async () => {
    const h01 = lab().host('h01');
    const inH01 = (argv: string[]) => q`${[...enterArgv(h01), ...argv]}`;
    await inH01(['mkdir', '-p', '/srv/full']);
    await inH01(['mount', '-t', 'tmpfs', '-o', 'size=64k', 'vsa-full', '/srv/full']);
    try {
      await inH01([
        'sh',
        '-c',
        'printf "old config\\n" > /srv/full/site.conf && head -c 40000 /dev/zero > /srv/full/filler',
      ]);
      const r = await run([WRITE, '--limit', 'h01', '-e', 'dest=/srv/full/site.conf', '-e', 'lines=2000']);
      expect(r.code, said(r)).toBe(2);
      expect(resultsOf(r.events, 'h01')).toEqual([
        expect.objectContaining({
          task: 'site config',
          status: 'failed',
          message: expect.stringMatching(/No space left on device/),
        }),
      ]);
      const listing = await inH01(['sh', '-c', 'ls -A /srv/full; cat /srv/full/site.conf']);
      expect(listing.stdout).toBe('filler\nsite.conf\nold config\n');
    } finally {
      await inH01(['umount', '/srv/full']);
    }
  });

  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s during a 20-host run stops cleanly: exit 130, every lock released, recorded as interrupted',
    async (signal) => {
      const p = start([SLOW, '-e', 'pause=2', '-e', `root=/srv/${signal}`]);
      await p.until(started('pause', 20));
      p.child.kill(signal);
      const r = await p.done;
      expect(r.code, said(r)).toBe(130);
      expect(r.stderr).toContain(`${signal}: stopping — no new tasks will start`);
      expect(r.end).toMatchObject({ reason: 'interrupted', exitCode: 130 });
      // Running tasks finished; no new task started.
      for (const h of names()) {
        expect(
          resultsOf(r.events, h).map((e) => `${e.task}:${e.status}`),
          h,
        ).toEqual(['root:changed', 'pause:ok']);
        expect(lockOn(h), `lock left on ${h}`).toBe(false);
      }
      const runId = r.end!.runId!;
      const history = await vsa(['history', '--json', '--limit', '1'], home.dir);
      expect(JSON.parse(history.stdout)).toMatchObject({ id: runId, status: 'interrupted', exitCode: 130 });
      expect(storeRows(home.dir, runId).tasks).toHaveLength(40);
      const jsonl = (await auditLines(home.dir)).filter((e) => e.runId === runId);
      expect(jsonl.at(-1)).toMatchObject({ type: 'run:end', reason: 'interrupted' });
    },
  );

  it('a second SIGINT cancels the running tasks, and every lock is still released', async () => {
    const p = start([SLOW, '--limit', FIVE, '-e', 'pause=30', '-e', 'root=/srv/cancelled']);
    await p.until(started('pause', 5));
    p.child.kill('SIGINT');
    await sleep(300);
    p.child.kill('SIGINT');
    const r = await p.done;
    expect(r.code, said(r)).toBe(130);
    expect(r.stderr).toContain('SIGINT: cancelling running tasks');
    expect(r.ms).toBeLessThan(20_000);
    for (const h of FIVE.split(':')) {
      const [root, pause, ...rest] = resultsOf(r.events, h);
      expect(root).toMatchObject({ task: 'root', status: 'changed' });
      expect(pause).toMatchObject({
        task: 'pause',
        status: 'failed',
        message: `${h}: cancelled (the running command was killed)`,
      });
      expect(rest).toEqual([]);
      expect(lockOn(h), `lock left on ${h}`).toBe(false);
      expect(await commandsIn(h), h).not.toContain('sleep 30');
    }
  });

  it('a run killed with SIGKILL leaves stale locks that the next run detects and clears', async () => {
    const p = start([SLOW, '--limit', FIVE, '-e', 'pause=20', '-e', 'root=/srv/killed-run']);
    await p.until(started('pause', 5));
    p.child.kill('SIGKILL');
    const killed = await p.done;
    expect(killed.signal).toBe('SIGKILL');
    const killedId = killed.events[0]!.runId!;
    for (const h of FIVE.split(':')) {
      expect(await readFile(onHost(lab(), h, '/var/lib/vsa/run.lock/info'), 'utf8')).toContain(
        `pid=${p.child.pid}`,
      );
    }

    const next = await run([SLOW, '--limit', FIVE, '-e', 'root=/srv/killed-run']);
    expect(next.code, said(next)).toBe(0);
    for (const h of FIVE.split(':')) {
      expect(next.end!.recap![h]).toMatchObject({ failed: 0, unreachable: 0 });
      expect(lockOn(h)).toBe(false);
      expect(await readdir(onHost(lab(), h, '/var/lib/vsa'))).toEqual([]);
    }
    // The killed run's process is gone: the store marks it interrupted.
    const rows = (await vsa(['history', '--json', '--limit', '5'], home.dir)).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; status: string });
    expect(rows.find((r) => r.id === killedId)?.status).toBe('interrupted');
  });
});
