import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sshSettings } from '../../../runner/connection/ssh/settings.js';
import { SshConfig } from '../../../runner/connection/ssh/ssh-config.js';
import type { InventoryHost } from '../../../runner/inventory/types.js';

const host = (name: string, vars: Record<string, unknown> = {}, fields: Partial<InventoryHost> = {}): InventoryHost => ({
  name,
  address: typeof vars.ansible_host === 'string' ? vars.ansible_host : name,
  port: typeof vars.ansible_port === 'number' ? vars.ansible_port : 22,
  become: false,
  connection: 'ssh',
  vars,
  groups: ['all'],
  ...fields,
});

const CONFIG = `
Host web !web-old
  HostName %h.lab.example
  User deploy
  Port 2200
  IdentityFile ~/.ssh/%r@%h
  IdentityFile /keys/%u-%%
  ProxyJump bastion
  IdentitiesOnly yes

Host web web-old
  User second-match
  StrictHostKeyChecking accept-new

Host bastion
  HostName 198.18.0.9
  User ops
  Port 2022
  IdentityFile /keys/bastion

Host *
  UserKnownHostsFile ~/kh/%h
  ConnectTimeout 9
  User fallback
`;

describe('~/.ssh/config', () => {
  let home: string;
  const savedHome = process.env.HOME;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'vsa-sshcfg-'));
    process.env.HOME = home;
  });
  afterEach(async () => {
    process.env.HOME = savedHome;
    await rm(home, { recursive: true, force: true });
  });
  const config = (text = CONFIG, warn?: (m: string) => void) => SshConfig.parse(text, '/home/u/.ssh/config', warn);

  it('gives each setting from the first Host block that sets it, tokens expanded', () => {
    const s = sshSettings(host('web'), {}, {}, config());
    expect(s).toMatchObject({
      address: 'web.lab.example',
      port: 2200,
      user: 'deploy',
      identities: [
        { file: `${home}/.ssh/deploy@web.lab.example`, from: 'ssh config' },
        { file: `/keys/${userInfo().username}-%`, from: 'ssh config' },
      ],
      identitiesOnly: true,
      hostKeyPolicy: 'accept-new',
      knownHostsFile: `${home}/kh/web.lab.example`,
      readyTimeoutMs: 9000,
    });
  });

  it('looks each ProxyJump hop up in the config too', () => {
    expect(sshSettings(host('web'), {}, {}, config()).jumps).toEqual([
      { address: '198.18.0.9', port: 2022, user: 'ops', identities: [{ file: '/keys/bastion', from: 'ssh config' }] },
    ]);
  });

  it('skips a block whose !pattern matches, and falls through to Host *', () => {
    const s = sshSettings(host('web-old'), {}, {}, config());
    expect(s).toMatchObject({ address: 'web-old', port: 22, user: 'second-match', jumps: [] });
    expect(sshSettings(host('db'), {}, {}, config()).user).toBe('fallback');
  });

  it('matches Host patterns against ansible_host, as ssh is given it', () => {
    const s = sshSettings(host('inventory-name', { ansible_host: 'web' }), {}, {}, config());
    expect(s.address).toBe('web.lab.example');
  });

  it('lets the inventory win over it: user, port, key, host key checking, timeout, jump, -o options', () => {
    const vars = { ansible_port: 2222, ansible_host_key_checking: true, ansible_timeout: 4 };
    const s = sshSettings(host('web', vars, { port: 2222, user: 'root', keyFile: '/inv/key' }), {}, {}, config());
    expect(s).toMatchObject({
      address: 'web.lab.example',
      port: 2222,
      user: 'root',
      identities: [{ file: '/inv/key', from: 'inventory' }],
      hostKeyPolicy: 'strict',
      readyTimeoutMs: 4000,
    });
    const j = sshSettings(host('web', { jump: 'none', ansible_ssh_common_args: '-o Port=2323 -o User=argsuser' }), {}, {}, config());
    expect(j).toMatchObject({ jumps: [], port: 2323, user: 'argsuser' });
  });

  it('warns about Match and Include, ignores what is under them, and never runs Match exec', () => {
    const marker = join(home, 'ran');
    const warnings: string[] = [];
    const c = config(
      `Include ~/.ssh/conf.d/*\nHost web\n  User first\nMatch exec "touch ${marker}"\n  User from-match\n  Port 2999\nHost *\n  Port 2100\n`,
      (m) => warnings.push(m),
    );
    expect(sshSettings(host('web'), {}, {}, c)).toMatchObject({ user: 'first', port: 2100 });
    expect(sshSettings(host('other'), {}, {}, c).user).toBe(userInfo().username);
    expect(existsSync(marker)).toBe(false);
    expect(warnings).toEqual([
      '/home/u/.ssh/config: "Include ~/.ssh/conf.d/*" is not supported by vsa; the settings under it are ignored',
      `/home/u/.ssh/config: "Match exec touch ${marker}" is not supported by vsa; the settings under it are ignored`,
    ]);
  });

  it('offers the default identities that exist, in OpenSSH order, when nothing names a key', async () => {
    await mkdir(join(home, '.ssh'));
    for (const f of ['id_rsa', 'id_ed25519']) {
      await writeFile(join(home, '.ssh', f), 'x');
      await chmod(join(home, '.ssh', f), 0o600);
    }
    expect(sshSettings(host('db'), {}, {}, SshConfig.none).identities).toEqual([
      { file: join(home, '.ssh/id_ed25519'), from: 'default' },
      { file: join(home, '.ssh/id_rsa'), from: 'default' },
    ]);
  });

  it('reads a missing file as empty', () => {
    expect(SshConfig.load(join(home, 'nope'))).toBe(SshConfig.none);
  });
});
