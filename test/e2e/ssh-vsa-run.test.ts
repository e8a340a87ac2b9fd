import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Recap } from '../../runner/events/types.js';
import { acquireHostLock } from '../../runner/connection/host-lock.js';
import { fingerprint } from '../../runner/connection/known-hosts/parse.js';
import { openSsh } from '../../runner/connection/ssh/open-ssh.js';
import { sshSettings } from '../../runner/connection/ssh/settings.js';
import { script } from '../../runner/shell/command.js';
import { canRunLab, countLog, labInventoryHost, useLab } from '../lab/use-lab.js';
import { runVsa, useVsaHome } from './run-vsa.js';
import { TEN_TASKS } from './playbook-files.js';

describe.skipIf(!canRunLab)('vsa run (the built binary, a 10-task playbook) on lab hosts', () => {
  const lab = useLab({ hosts: 3 });
  const home = useVsaHome();
  const vsa = async (...args: string[]) =>
    runVsa(home(), ['run', TEN_TASKS, '-i', lab().inventoryFile, ...args]);
  const sum = (recap: Recap, key: 'changed' | 'failed' | 'unreachable') =>
    Object.values(recap).reduce((n, h) => n + h[key], 0);

  it('checks without writing, applies, then reports nothing to change, over one connection per host per run', async () => {
    const check = await vsa('--check');
    expect(check.code, check.output).toBe(0);
    expect(sum(check.recap, 'changed')).toBe(24);
    const c = await openSsh(sshSettings(labInventoryHost(lab(), 'h01')));
    expect((await c.exec(script('test -e /srv/vsa-e2e; echo $?'))).stdout).toBe('1\n');
    await c.close();

    const connections = () =>
      Promise.all(['h01', 'h02', 'h03'].map((h) => countLog(lab(), h, /Connection from /)));
    const before = await connections();
    const first = await vsa();
    expect(first.code, first.output).toBe(0);
    expect(Object.keys(first.recap).sort()).toEqual(['h01', 'h02', 'h03']);
    for (const h of Object.values(first.recap)) expect(h).toMatchObject({ ok: 2, changed: 8, failed: 0 });
    expect(await connections()).toEqual(before.map((n) => n + 1));

    const second = await vsa();
    expect(second.code, second.output).toBe(0);
    expect(sum(second.recap, 'changed')).toBe(0);
    for (const h of Object.values(second.recap)) expect(h.ok).toBe(10);
    expect(await connections()).toEqual(before.map((n) => n + 2));
  });

  it('reports a host whose sshd is stopped as unreachable (exit 4) while the others complete', async () => {
    await lab().stopSshd('h03');
    try {
      const r = await vsa('-e', 'root=/srv/vsa-down');
      expect(r.code).toBe(4);
      expect(r.recap.h03?.unreachable).toBeGreaterThan(0);
      expect(r.output).toContain(`connection refused by ${lab().host('h03').address}:22`);
      for (const h of ['h01', 'h02']) expect(r.recap[h]).toMatchObject({ failed: 0, unreachable: 0 });
      expect(r.recap.h01!.changed).toBeGreaterThan(0);
    } finally {
      await lab().startSshd('h03');
    }
  });

  it('refuses unknown host keys by default, records them with accept-new, refuses changed ones', async () => {
    const kh = `${home()}/known_hosts`;
    const refused = await vsa('--known-hosts', kh, '--limit', 'h01');
    expect(refused.code).toBe(4);
    expect(refused.output).toContain(`host key for ${lab().host('h01').address} is not in ${kh}`);

    const accepted = await vsa('--known-hosts', kh, '--host-key', 'accept-new');
    expect(accepted.code, accepted.output).toBe(0);
    expect((await readFile(kh, 'utf8')).trim().split('\n')).toHaveLength(3);

    const address = lab().host('h02').address;
    await writeFile(kh, `${address} ${lab().hostKey('h01')}\n`);
    const changed = await vsa('--known-hosts', kh, '--host-key', 'accept-new', '--limit', 'h02');
    expect(changed.code).toBe(4);
    const blob = (h: string) => Buffer.from(lab().hostKey(h).split(' ')[1]!, 'base64');
    expect(changed.output).toContain(`HOST KEY CHANGED for ${address}`);
    expect(changed.output).toContain(fingerprint(blob('h01')));
    expect(changed.output).toContain(fingerprint(blob('h02')));
  });

  it("honours the inventory's StrictHostKeyChecking=accept-new; only an explicit --host-key overrides it", async () => {
    const kh = `${home()}/inventory_known_hosts`;
    const doc = parse(await readFile(lab().inventoryFile, 'utf8')) as {
      all: { children: { lab: { vars: Record<string, unknown> } } };
    };
    doc.all.children.lab.vars.ansible_ssh_common_args = `-o UserKnownHostsFile=${kh} -o StrictHostKeyChecking=accept-new`;
    const inv = `${home()}/accept-new.yml`;
    await writeFile(inv, stringify(doc));
    const run = (...args: string[]) =>
      runVsa(home(), ['run', TEN_TASKS, '-i', inv, '--limit', 'h01', '-e', 'root=/srv/vsa-accept-new', ...args]);

    const strict = await run('--host-key', 'strict');
    expect(strict.code, strict.output).toBe(4);
    expect(strict.output).toContain(`host key for ${lab().host('h01').address} is not in ${kh}`);

    const r = await run();
    expect(r.code, r.output).toBe(0);
    expect(await readFile(kh, 'utf8')).toBe(`${lab().host('h01').address} ${lab().hostKey('h01')}\n`);
  });

  it('never lets two runs change a host at once: the second fails clearly, or waits with --wait-lock', async () => {
    const other = await openSsh(sshSettings(labInventoryHost(lab(), 'h02')));
    try {
      const lease = await acquireHostLock(other, { runId: 'other-run' });
      const failed = await vsa('--limit', 'h02');
      expect(failed.code).toBe(2);
      expect(failed.output).toMatch(/h02: locked by another run \(.*run other-run/);

      setTimeout(() => void lease.release(), 1500);
      const waited = await vsa('--limit', 'h02', '--wait-lock', '20');
      expect(waited.code, waited.output).toBe(0);
    } finally {
      await other.close();
    }
    const [a, b] = await Promise.all([vsa('--wait-lock', '30'), vsa('--wait-lock', '30')]);
    expect([a.code, b.code]).toEqual([0, 0]);
  });
});
