import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { canRunLab, useLab } from '../lab/use-lab.js';
import { startTarpit, TARPIT_SOFTWARE, type Tarpit, type TarpitKind } from '../lab/tarpit.js';
import { ensureBuilt, resultsOf, said, tempHome, vsa } from './faults-support/vsa.js';
import { SLOW } from './playbook-files.js';

const KINDS: TarpitKind[] = ['silent', 'banner', 'close', 'reset'];

/**
 * Hosts that accept TCP but never let an SSH login finish (loopback listeners the test starts
 * and stops), in one inventory with a real lab host.
 */
describe.skipIf(!canRunLab)('tarpit hosts beside a real host', () => {
  const lab = useLab({ hosts: 1 });
  let home: { dir: string; remove(): Promise<void> };
  const tarpits = new Map<TarpitKind, Tarpit>();
  let inventory: string;

  beforeAll(async () => {
    home = await tempHome('tarpit');
    await ensureBuilt();
    for (const kind of KINDS) tarpits.set(kind, await startTarpit(kind));
    const doc = parse(await readFile(lab().inventoryFile, 'utf8')) as {
      all: { children: { lab: { hosts: Record<string, unknown> } } };
    };
    for (const [kind, t] of tarpits) {
      doc.all.children.lab.hosts[`tarpit-${kind}`] = {
        ansible_host: t.address,
        ansible_port: t.port,
        ansible_ssh_private_key_file: lab().keyFile,
      };
    }
    inventory = `${home.dir}/inventory.yml`;
    await writeFile(inventory, stringify(doc));
  });
  afterAll(async () => {
    await Promise.all([...tarpits.values()].map((t) => t.close()));
    await home?.remove();
  });

  it('are unreachable with the cause, exit 4, and the real host runs and keeps no lock', async () => {
    const r = await vsa(
      ['run', SLOW, '-i', inventory, '--json', '--connect-timeout', '2', '-e', 'root=/srv/tarpit'],
      home.dir,
    );
    expect(r.code, said(r)).toBe(4);
    expect(r.stderr).not.toContain('Unhandled');
    const where = (kind: TarpitKind) => `${tarpits.get(kind)!.address}:${tarpits.get(kind)!.port}`;
    const expected: Record<TarpitKind, string> = {
      silent: `${where('silent')} accepted the connection but sent no SSH banner within 2000 ms (not an SSH server, or one too busy to answer)`,
      banner: `no SSH handshake with ${where('banner')} within 2000 ms (it sent its SSH banner, "${TARPIT_SOFTWARE}", then nothing)`,
      close: `${where('close')} closed the connection before sending an SSH banner (not an SSH server, or sshd refused it, e.g. MaxStartups)`,
      reset: `${where('reset')} closed the connection before sending an SSH banner (not an SSH server, or sshd refused it, e.g. MaxStartups)`,
    };
    for (const kind of KINDS) {
      const name = `tarpit-${kind}`;
      expect(tarpits.get(kind)!.accepted(), said(r)).toBeGreaterThan(0);
      expect(resultsOf(r.events, name).map((e) => [e.status, e.message])).toEqual([
        ['unreachable', `${name}: ${expected[kind]}`],
      ]);
      expect(r.end!.recap![name], name).toMatchObject({ unreachable: 1 });
    }
    expect(r.end!.recap!.h01).toMatchObject({ changed: 3, failed: 0, unreachable: 0 });

    // The real host's lock was released: another run takes it at once.
    const again = await vsa(
      ['run', SLOW, '-i', inventory, '--json', '--limit', 'h01', '-e', 'root=/srv/tarpit'],
      home.dir,
    );
    expect(again.code, said(again)).toBe(0);
  });
});
