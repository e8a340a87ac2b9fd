import { existsSync } from 'node:fs';
import { chown, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { $ } from 'zx';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireHostLock } from '../../runner/connection/host-lock.js';
import { openSsh } from '../../runner/connection/ssh/open-ssh.js';
import { sshSettings } from '../../runner/connection/ssh/settings.js';
import { script } from '../../runner/shell/command.js';
import { enterArgv } from '../lab/host-fs.js';
import { canRunLab, labInventoryHost, useLab } from '../lab/use-lab.js';
import { auditLines, ensureBuilt, onHost, resultsOf, said, startVsa, tempHome, vsa, type JsonEvent } from './faults-support/vsa.js';
import { CLOSED_SITE } from './faults-support/pending.js';
import { PENDING, SLOW } from './playbook-files.js';
import { nginxPlugin } from '../lab/plugins/nginx.js';

const q = $({ quiet: true });

/** The lock and the pending handlers of a host under kill -9, a lying clock, a full disk and a hostile local user. */
describe.skipIf(!canRunLab)('the host lock under faults, on lab hosts', () => {
  const lab = useLab({ hosts: 2, plugins: [nginxPlugin()] });
  let home: { dir: string; remove(): Promise<void> };
  beforeAll(async () => {
    home = await tempHome('lock');
    await ensureBuilt();
  });
  afterAll(() => home?.remove());

  const run = (args: string[], inventory = lab().inventoryFile) => vsa(['run', ...args, '-i', inventory, '--json'], home.dir);
  const inHost = (host: string, argv: string[]) => q`${[...enterArgv(lab().host(host)), ...argv]}`;
  const lockDir = (host: string) => readdir(onHost(lab(), host, '/var/lib/vsa'));
  const handlerResults = (events: JsonEvent[]) => resultsOf(events).filter((e) => e.handler).map((e) => `${e.task}:${e.status}`);

  /** The HTTP status h01's NGINX answers for the closed site, once a reload has taken effect. */
  const statusOf = async (want: string) => {
    let last = '';
    for (let i = 0; i < 40 && last !== want; i++) {
      if (i > 0) await sleep(50);
      last = (await q`curl -s -o /dev/null -w %{http_code} -H ${`Host: ${CLOSED_SITE}`} http://${lab().host('h01').address}/`).stdout;
    }
    return last;
  };

  it('a run killed between a vhost write and the NGINX reload: the next run of another playbook reloads, once', async () => {
    expect(await statusOf('200')).toBe('200');
    const p = startVsa(['run', PENDING, '--limit', 'h01', '-e', 'pause=30', '-i', lab().inventoryFile, '--json'], home.dir);
    await p.until((events) => events.some((e) => e.type === 'task:start' && e.task === 'pause'));
    // The run's session shells on h01 (their folders name them), stopped so that they die below
    // without their cleanup trap, as in an OOM kill or a reboot.
    const inH01 = new Set((await q`ip netns pids ${lab().host('h01').ns}`).stdout.split('\n').filter(Boolean));
    const mine: { folder: string; pid: string }[] = [];
    for (const folder of (await readdir('/tmp')).filter((f) => f.startsWith('.vsa-'))) {
      // `PID START HOLDER HOLDER_START`: the shell, then its run's lock holder.
      const pid = (await readFile(`/tmp/${folder}/pid`, 'utf8').catch(() => '')).split(' ')[0]!.trim();
      if (inH01.has(pid)) mine.push({ folder: `/tmp/${folder}`, pid });
    }
    if (mine.length > 0) await q`kill -STOP ${mine.map((m) => m.pid)}`;
    p.child.kill('SIGKILL');
    const killed = await p.done;
    expect(killed.signal).toBe('SIGKILL');
    const killedId = killed.events[0]!.runId!;
    await q`pkill -KILL -P ${mine.map((m) => m.pid).join(',')}`.nothrow();
    await q`kill -KILL ${mine.map((m) => m.pid)}`.nothrow();
    // Gone as after an OOM kill: until sshd has reaped them, /proc still lists them (zombies).
    for (let i = 0; i < 100 && mine.some((m) => existsSync(`/proc/${m.pid}`)); i++) await sleep(50);

    // The vhost says auth_basic, but NGINX still serves the site open.
    expect(await readFile(onHost(lab(), 'h01', `/etc/nginx/conf.d/${CLOSED_SITE}.conf`), 'utf8')).toContain('auth_basic "closed"');
    expect(await statusOf('200')).toBe('200');
    const pending = await readFile(onHost(lab(), 'h01', '/var/lib/vsa/pending'), 'utf8');
    expect(JSON.parse(pending)).toEqual({ handler: 'reload nginx', module: 'nginx_reload', params: { nginxArgs: [] }, become: false });
    expect(await lockDir('h01')).toEqual(['pending', 'run.lock']);
    expect(mine.length).toBeGreaterThan(0);

    const next = await run([SLOW, '--limit', 'h01', '-e', 'root=/srv/after-kill']);
    expect(next.code, said(next)).toBe(0);
    expect(handlerResults(next.events)).toEqual(['reload nginx:changed']);
    expect(await statusOf('401')).toBe('401');
    expect(await lockDir('h01')).toEqual([]);
    for (const m of mine) await expect(readdir(m.folder)).rejects.toThrow(/ENOENT/);

    const third = await run([SLOW, '--limit', 'h01', '-e', 'root=/srv/after-kill']);
    expect(handlerResults(third.events)).toEqual([]);

    // The next start recorded the end the killed run never wrote, in audit.jsonl as in SQLite.
    const ends = (await auditLines(home.dir)).filter((e) => e.runId === killedId && e.type === 'run:end');
    expect(ends).toEqual([expect.objectContaining({ reason: 'interrupted', exitCode: 130 })]);
  });

  it("a host whose clock is 7 h ahead never lets a second run break a live run's lock", async () => {
    const bin = `${lab().layout.dir}/lying-date`;
    await mkdir(bin, { recursive: true });
    await writeFile(`${bin}/date`, '#!/bin/sh\nexec /bin/date -d "@$(( $(/bin/date +%s) + 25200 ))" "$@"\n', { mode: 0o755 });
    // sshd's PATH puts /usr/local/bin first: every `date` of h02's sessions lies.
    await inHost('h02', ['mount', '--bind', bin, '/usr/local/bin']);
    const holder = await openSsh(sshSettings(labInventoryHost(lab(), 'h02')));
    try {
      const skew = Number((await holder.exec(script('date +%s'))).stdout) - Math.floor(Date.now() / 1000);
      expect(skew).toBeGreaterThan(25000);
      const lease = await acquireHostLock(holder, { runId: 'live-run' });
      const second = await run([SLOW, '--limit', 'h02', '-e', 'root=/srv/skew']);
      expect(second.code, said(second)).toBe(2);
      expect(resultsOf(second.events, 'h02')[0]!.message).toMatch(/^h02: locked by another run \(.*run live-run, .*session pid \d+ on the host, for \d+ s/);
      await lease.release();
      const third = await run([SLOW, '--limit', 'h02', '-e', 'root=/srv/skew']);
      expect(third.code, said(third)).toBe(0);
    } finally {
      await holder.close();
      await inHost('h02', ['umount', '/usr/local/bin']);
      await rm(bin, { recursive: true, force: true });
    }
  });

  it('a full lock directory takes no lock and leaves none; once space is freed the next run runs', async () => {
    await inHost('h01', ['mount', '-t', 'tmpfs', '-o', 'size=16k', 'vsa-lock-full', '/var/lib/vsa']);
    try {
      await inHost('h01', ['sh', '-c', 'head -c 1000000 /dev/zero > /var/lib/vsa/filler 2>/dev/null; true']);
      const full = await run([SLOW, '--limit', 'h01', '-e', 'root=/srv/full-lock']);
      expect(full.code, said(full)).toBe(2);
      expect(resultsOf(full.events, 'h01')[0]!.message).toMatch(/^h01: cannot take the run lock \/var\/lib\/vsa\/run\.lock: .*No space left on device/);
      expect((await inHost('h01', ['ls', '-A', '/var/lib/vsa'])).stdout).toBe('filler\n');

      // What an older vsa left on a full disk: a lock with an empty record, which is no live run's.
      await inHost('h01', ['sh', '-c', 'rm /var/lib/vsa/filler && mkdir /var/lib/vsa/run.lock && : > /var/lib/vsa/run.lock/info']);
      const freed = await run([SLOW, '--limit', 'h01', '-e', 'root=/srv/full-lock']);
      expect(freed.code, said(freed)).toBe(0);
      expect((await inHost('h01', ['ls', '-A', '/var/lib/vsa'])).stdout).toBe('');
    } finally {
      await inHost('h01', ['umount', '/var/lib/vsa']);
    }
  });

  it('another local user cannot block a non-root login: its lock is in its own home, and it says so', async () => {
    // A login user `ops` on h02 only (its own /etc/passwd there), home /srv/ops, no sudo.
    const etc = `${lab().layout.dir}/ops-etc`;
    await mkdir(etc, { recursive: true });
    await writeFile(`${etc}/passwd`, `${await readFile('/etc/passwd', 'utf8')}ops:x:4242:4242:ops:/srv/ops:/bin/sh\n`);
    await writeFile(`${etc}/group`, `${await readFile('/etc/group', 'utf8')}ops:x:4242:\n`);
    const opsHome = onHost(lab(), 'h02', '/srv/ops');
    await mkdir(opsHome, { recursive: true });
    await chown(opsHome, 4242, 4242);
    await inHost('h02', ['mount', '--bind', `${etc}/passwd`, '/etc/passwd']);
    await inHost('h02', ['mount', '--bind', `${etc}/group`, '/etc/group']);
    // sshd reads authorized keys as the user who logs in, so ops gets its own copy in its home:
    // the lab's file may sit in a checkout only root can enter.
    await mkdir(`${opsHome}/.ssh`);
    await writeFile(`${opsHome}/.ssh/authorized_keys`, await readFile(`${lab().layout.dir}/authorized_keys`));
    await q`chown -R 4242:4242 ${opsHome}/.ssh`;
    const inventory = `${lab().layout.dir}/ops-inventory.yml`;
    const inv = parse(await readFile(lab().inventoryFile, 'utf8')) as { all: { children: { lab: { hosts: Record<string, Record<string, unknown>> } } } };
    inv.all.children.lab.hosts.h02!.ansible_user = 'ops';
    await writeFile(inventory, stringify(inv));
    // The path an older vsa fell back to, planted by `nobody` with a record that never goes stale.
    await q`setpriv --reuid=65534 --regid=65534 --clear-groups sh -c ${'mkdir /tmp/vsa-run.lock && echo run=squatter > /tmp/vsa-run.lock/info'}`;
    try {
      const r = await run([SLOW, '--limit', 'h02', '-e', 'root=/srv/ops/work'], inventory);
      expect(r.code, said(r)).toBe(0);
      expect(r.stderr).toContain(
        'vsa: warning: h02: the login user cannot become root (no passwordless sudo): the run lock is /srv/ops/.local/state/vsa/run.lock, which keeps out other runs of this user only',
      );
      expect(await readdir(`${opsHome}/.local/state/vsa`)).toEqual([]);
    } finally {
      await rm(`${opsHome}/.ssh`, { recursive: true, force: true });
      await rm('/tmp/vsa-run.lock', { recursive: true, force: true });
      await inHost('h02', ['umount', '/etc/passwd']);
      await inHost('h02', ['umount', '/etc/group']);
      await rm(etc, { recursive: true, force: true });
      await rm(inventory, { force: true });
    }
  });
});
