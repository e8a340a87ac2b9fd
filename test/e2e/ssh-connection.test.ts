import { describe, expect, it } from 'vitest';
import { openSsh } from '../../runner/connection/ssh/open-ssh.js';
import { sshSettings } from '../../runner/connection/ssh/settings.js';
import { argv, script } from '../../runner/shell/command.js';
import { TimeoutError } from '../../runner/errors.js';
import { canRunLab, countLog, labInventoryHost, useLab } from '../lab/use-lab.js';

describe.skipIf(!canRunLab)('SshConnection on lab hosts', () => {
  const lab = useLab({ hosts: 3 });
  const open = (name: string, vars: Record<string, unknown> = {}, maxSessions?: number) =>
    openSsh(sshSettings(labInventoryHost(lab(), name, vars), maxSessions ? { maxSessions } : {}));

  it('runs commands with stdout, stderr and exit codes, on the right host', async () => {
    const c = await open('h02');
    try {
      expect(await c.exec(argv('hostname'))).toEqual({ code: 0, stdout: 'h02\n', stderr: '' });
      expect(await c.exec(script('echo out; echo err >&2; exit 7'))).toEqual({
        code: 7,
        stdout: 'out\n',
        stderr: 'err\n',
      });
      expect((await c.exec(argv('printf', '%s|', 'a b', "it's", '$HOME'))).stdout).toBe("a b|it's|$HOME|");
    } finally {
      await c.close();
    }
  });

  it('survives a syntax error and an exit in a command', async () => {
    const c = await open('h01');
    try {
      const bad = await c.exec(script('if then fi ('));
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/syntax error/i);
      expect((await c.exec(script('exit 3'))).code).toBe(3);
      expect(await c.exec(script('echo still here'))).toEqual({
        code: 0,
        stdout: 'still here\n',
        stderr: '',
      });
    } finally {
      await c.close();
    }
  });

  it('kills a timed-out command with its processes and runs the next one on a fresh shell', async () => {
    const c = await open('h01');
    try {
      const hung = c.exec(script('echo $$ > /srv/hung.pid; exec sleep 60'), { timeoutMs: 400 });
      await expect(hung).rejects.toThrow(TimeoutError);
      expect(await c.exec(script('echo next'))).toEqual({ code: 0, stdout: 'next\n', stderr: '' });
      // The kill is asynchronous on the host: give a loaded machine up to 5 s before calling it a leak.
      const alive = await c.exec(
        script(
          'i=0; while kill -0 "$(cat /srv/hung.pid)" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; kill -0 "$(cat /srv/hung.pid)" 2>/dev/null && echo alive || echo gone',
        ),
      );
      expect(alive.stdout).toBe('gone\n');
    } finally {
      await c.close();
    }
  });

  it('puts and gets files over SFTP, atomically and with their mode', async () => {
    const c = await open('h03');
    try {
      const bytes = Buffer.from([0, 1, 2, 255, 10, 13]);
      await c.put('/srv/blob.bin', bytes, { mode: '0640' });
      expect(await c.get('/srv/blob.bin')).toEqual(bytes);
      expect(
        (await c.exec(script('stat -c %a /srv/blob.bin; ls -A /srv | grep -c vsa || true'))).stdout,
      ).toBe('640\n0\n');
      await c.put('/srv/blob.bin', 'second\n');
      expect((await c.get('/srv/blob.bin')).toString()).toBe('second\n');
      await expect(c.get('/srv/missing')).rejects.toThrow(/h03: download of \/srv\/missing/);
      // The host's own /srv: the other hosts do not see the file.
      const other = await open('h02');
      expect((await other.exec(script('test -e /srv/blob.bin; echo $?'))).stdout).toBe('1\n');
      await other.close();
    } finally {
      await c.close();
    }
  });

  it('uses exactly one TCP connection and login per host for many commands and files', async () => {
    const before = await countLog(lab(), 'h02', /Connection from /);
    const loginsBefore = await countLog(lab(), 'h02', /Accepted publickey/);
    const c = await open('h02');
    for (let i = 0; i < 50; i++) expect((await c.exec(argv('echo', String(i)))).stdout).toBe(`${i}\n`);
    await Promise.all(Array.from({ length: 10 }, (_, i) => c.exec(argv('echo', String(i)))));
    await c.put('/srv/one.txt', 'x');
    await c.get('/srv/one.txt');
    await c.close();
    expect((await countLog(lab(), 'h02', /Connection from /)) - before).toBe(1);
    expect((await countLog(lab(), 'h02', /Accepted publickey/)) - loginsBefore).toBe(1);
  });

  it('queues commands when the channels allowed are all busy', async () => {
    const sessions = () => countLog(lab(), 'h03', /Starting session: command/);
    const before = await sessions();
    const c = await open('h03', {}, 4);
    const started = Date.now();
    const out = await Promise.all(
      Array.from({ length: 8 }, (_, i) => c.exec(script(`sleep 0.25; echo ${i}`))),
    );
    const took = Date.now() - started;
    await c.close();
    expect(out.map((r) => r.stdout)).toEqual(Array.from({ length: 8 }, (_, i) => `${i}\n`));
    // maxSessions 4 leaves 2 shells: 8 commands of 0.25 s take at least 4 rounds.
    expect((await sessions()) - before).toBe(2);
    expect(took).toBeGreaterThanOrEqual(1000);
  });

  it('reaches a host through a jump host', async () => {
    const jumpAddr = lab().host('h01').address;
    const before = await countLog(
      lab(),
      'h03',
      new RegExp(`Connection from ${jumpAddr.replace(/\./g, '\\.')} `),
    );
    const c = await open('h03', { jump: `root@${jumpAddr}` });
    try {
      expect((await c.exec(argv('hostname'))).stdout).toBe('h03\n');
    } finally {
      await c.close();
    }
    expect(
      await countLog(lab(), 'h03', new RegExp(`Connection from ${jumpAddr.replace(/\./g, '\\.')} `)),
    ).toBe(before + 1);
  });
});
