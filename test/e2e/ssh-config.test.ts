import { execFile } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRunLab, countLog, useLab } from '../lab/use-lab.js';
import { ensureBuilt, said, tempHome, vsa } from './faults-support/vsa.js';
import { TEN_TASKS } from './playbook-files.js';

const run = promisify(execFile);

/**
 * An operator's `~/.ssh/config` (HOME pointed at a temp dir) is what reaches the host: an alias
 * with HostName, User, Port and IdentityFile, through a ProxyJump host that is itself an alias;
 * the inventory names only the alias.
 */
describe.skipIf(!canRunLab)('~/.ssh/config on lab hosts', () => {
  const lab = useLab({ hosts: 2 });
  let home: { dir: string; remove(): Promise<void> };
  let sshHome: string;
  let inventory: string;
  beforeAll(async () => {
    home = await tempHome('ssh-config');
    sshHome = `${home.dir}/user`;
    await mkdir(`${sshHome}/.ssh`, { recursive: true, mode: 0o700 });
    await copyFile(lab().keyFile, `${sshHome}/.ssh/lab_key`);
    await copyFile(lab().keyFile, `${sshHome}/.ssh/locked_key`);
    await run('ssh-keygen', ['-q', '-p', '-P', '', '-N', 'lab passphrase', '-f', `${sshHome}/.ssh/locked_key`]);
    inventory = `${home.dir}/inventory.yml`;
    await writeFile(inventory, 'all:\n  hosts:\n    web: {}\n');
    await ensureBuilt();
  });
  afterAll(() => home?.remove());

  const config = (key: string) =>
    writeFile(
      `${sshHome}/.ssh/config`,
      [
        'Host web',
        `  HostName ${lab().host('h02').address}`,
        '  User root',
        '  Port 22',
        `  IdentityFile ~/.ssh/${key}`,
        '  ProxyJump bastion',
        '',
        'Host bastion',
        `  HostName ${lab().host('h01').address}`,
        '  User root',
        `  IdentityFile ~/.ssh/${key}`,
        '',
        'Host *',
        '  User nobody-by-default',
        `  UserKnownHostsFile ${lab().knownHostsFile}`,
        '  IdentitiesOnly yes',
        '',
      ].join('\n'),
    );
  const runAs = (env: Record<string, string> = {}, root = '/srv/ssh-config') =>
    vsa(['run', TEN_TASKS, '-i', inventory, '--json', '-e', `root=${root}`], home.dir, { HOME: sshHome, ...env });
  const fromJump = () =>
    countLog(lab(), 'h02', new RegExp(`Connection from ${lab().host('h01').address.replace(/\./g, '\\.')} `));

  it('reaches the alias through the jump alias, as root with the config\'s key', async () => {
    await config('lab_key');
    const before = await fromJump();
    const r = await runAs();
    expect(r.code, said(r)).toBe(0);
    expect(r.end?.recap).toMatchObject({ web: { failed: 0, unreachable: 0 } });
    // The user of `Host web` won over the one of `Host *` (first match), and h02 was reached from h01.
    expect(await fromJump()).toBe(before + 1);
    expect(await countLog(lab(), 'h01', /Accepted publickey for root/)).toBeGreaterThan(0);
  });

  it('refuses an encrypted IdentityFile without a passphrase off a terminal: exit 5 naming the key and VSA_SSH_KEY_PASSPHRASE', async () => {
    await config('locked_key');
    const before = await countLog(lab(), 'h01', /Connection from /);
    const r = await runAs();
    expect(r.code, said(r)).toBe(5);
    expect(r.stderr.trim()).toBe(
      `vsa: private key ${sshHome}/.ssh/locked_key is encrypted and no passphrase was given: set VSA_SSH_KEY_PASSPHRASE, run on a terminal to be asked, or add the key to ssh-agent`,
    );
    expect(await countLog(lab(), 'h01', /Connection from /)).toBe(before);
  });

  it('opens the encrypted key with VSA_SSH_KEY_PASSPHRASE, and names a wrong one (exit 5)', async () => {
    await config('locked_key');
    const ok = await runAs({ VSA_SSH_KEY_PASSPHRASE: 'lab passphrase' }, '/srv/ssh-config-locked');
    expect(ok.code, said(ok)).toBe(0);
    expect(ok.stdout + ok.stderr).not.toContain('lab passphrase');
    const wrong = await runAs({ VSA_SSH_KEY_PASSPHRASE: 'not it' });
    expect(wrong.code, said(wrong)).toBe(5);
    expect(wrong.stderr.trim()).toBe(`vsa: web: VSA_SSH_KEY_PASSPHRASE does not decrypt private key ${sshHome}/.ssh/locked_key`);
  });
});
