import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { acquireHostLock } from '../../runner/connection/host-lock.js';
import { openSsh } from '../../runner/connection/ssh/open-ssh.js';
import { sshSettings } from '../../runner/connection/ssh/settings.js';
import { LockHeldError } from '../../runner/errors.js';
import { script } from '../../runner/shell/command.js';
import { canRunLab, labInventoryHost, useLab } from '../lab/use-lab.js';

describe.skipIf(!canRunLab)('the per-host run lock on lab hosts', () => {
  const lab = useLab({ hosts: 2 });
  const open = (name: string) => openSsh(sshSettings(labInventoryHost(lab(), name)));

  it('lets one of two connections change a host at a time', async () => {
    const [a, b, other] = await Promise.all([open('h01'), open('h01'), open('h02')]);
    try {
      const leaseA = await acquireHostLock(a, { runId: 'run-a' });
      const info = await a.exec(script('cat /var/lib/vsa/run.lock/info'));
      expect(info.stdout).toMatch(/^run=run-a\nowner=\S+@\S+\ncontrol=\S+\npid=\d+\nholder=\d+\nstart=\d+\n$/);

      const refused = acquireHostLock(b, { runId: 'run-b' });
      await expect(refused).rejects.toThrow(LockHeldError);
      await expect(refused).rejects.toThrow(/h01: locked by another run \(.*run run-a, pid \d+/);

      // Another host's lock is its own.
      await (await acquireHostLock(other, { runId: 'run-b' })).release();

      setTimeout(() => void leaseA.release(), 500);
      const started = Date.now();
      const leaseB = await acquireHostLock(b, { runId: 'run-b' }, { wait: true, pollMs: 100, timeoutMs: 10_000 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
      expect((await b.exec(script('cat /var/lib/vsa/run.lock/info'))).stdout).toContain('run=run-b\n');
      await leaseB.release();
      expect((await b.exec(script('test -e /var/lib/vsa/run.lock; echo $?'))).stdout).toBe('1\n');
    } finally {
      await Promise.all([a, b, other].map((c) => c.close()));
    }
  });

  it('clears the lock of a run whose SSH session is gone from the host', async () => {
    const c = await open('h02');
    try {
      // pid 2147483646 never runs on the host: the recorded session is gone.
      const info = `run=dead\nowner=x@y\ncontrol=${hostname()}\npid=${process.pid}\nholder=2147483646\nstart=1\n`;
      await c.exec(script('mkdir -p /var/lib/vsa/run.lock'));
      await c.put('/var/lib/vsa/run.lock/info', info);
      const lease = await acquireHostLock(c, { runId: 'fresh' });
      expect((await c.exec(script('cat /var/lib/vsa/run.lock/info'))).stdout).toContain('run=fresh\n');
      await lease.release();
    } finally {
      await c.close();
    }
  });
});
