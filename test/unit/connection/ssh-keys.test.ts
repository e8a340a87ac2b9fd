import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkKeyFiles, credentials } from '../../../runner/connection/ssh/auth.js';
import { UsageError } from '../../../runner/errors.js';
import { inventoryHost } from '../support/inventory-host.js';

const run = promisify(execFile);

const host = inventoryHost;

describe('key files checked before the run', () => {
  let dir: string;
  let plain: string;
  let locked: string;
  const savedHome = process.env.HOME;
  const keygen = async (file: string, passphrase: string) => {
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'test', '-f', file]);
    return file;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vsa-keys-'));
    plain = await keygen(join(dir, 'plain'), '');
    locked = await keygen(join(dir, 'locked'), 'open sesame');
    process.env.HOME = join(dir, 'home');
    await mkdir(join(dir, 'home', '.ssh'), { recursive: true });
  });
  afterAll(async () => {
    process.env.HOME = savedHome;
    await rm(dir, { recursive: true, force: true });
  });

  it('pass a plain key with nothing to ask', async () => {
    const u = await checkKeyFiles([host({ keyFile: plain })], { env: {} });
    expect([...u.passphrases, ...u.skipped]).toEqual([]);
  });

  it('refuse an encrypted key with no passphrase and no terminal, naming the key and VSA_SSH_KEY_PASSPHRASE (exit 5)', async () => {
    const p = checkKeyFiles([host({ keyFile: locked })], { env: {} });
    await expect(p).rejects.toThrow(UsageError);
    await expect(p).rejects.toThrow(
      `private key ${locked} is encrypted and no passphrase was given: set VSA_SSH_KEY_PASSPHRASE, run on a terminal to be asked, or add the key to ssh-agent`,
    );
  });

  it('ask on a terminal once per key, and keep the answer for the connection', async () => {
    const ask = vi.fn(async () => 'open sesame');
    const u = await checkKeyFiles([host({ keyFile: locked }), host({ name: 'web2', keyFile: locked })], { env: {}, ask });
    expect(ask).toHaveBeenCalledTimes(1);
    expect(ask).toHaveBeenCalledWith(locked);
    expect(u.passphrases.get(locked)).toBe('open sesame');
    const c = await credentials('web1', { user: 'root', identities: [{ file: locked, from: 'inventory' }], unlocks: u }, {});
    expect(c.methods).toEqual([expect.objectContaining({ type: 'publickey', passphrase: 'open sesame' })]);
  });

  it('take VSA_SSH_KEY_PASSPHRASE, and refuse one that does not open the key', async () => {
    await expect(checkKeyFiles([host({ keyFile: locked })], { env: { VSA_SSH_KEY_PASSPHRASE: 'open sesame' } })).resolves.toBeTruthy();
    await expect(checkKeyFiles([host({ keyFile: locked })], { env: { VSA_SSH_KEY_PASSPHRASE: 'wrong' } })).rejects.toThrow(
      `web1: VSA_SSH_KEY_PASSPHRASE does not decrypt private key ${locked}`,
    );
  });

  it('leave an encrypted default identity to the agent when there is one, and say so if the login fails', async () => {
    const def = await keygen(join(dir, 'home', '.ssh', 'id_ed25519'), 'x');
    try {
      const env = { SSH_AUTH_SOCK: '/run/agent.sock' };
      const u = await checkKeyFiles([host()], { env });
      expect(u.skipped.get(def)).toMatch(/encrypted and no passphrase/);
      const c = await credentials('web1', { user: 'root', identities: [{ file: def, from: 'default' }], unlocks: u }, env);
      expect(c.methods.map((m) => m.type)).toEqual(['agent']);
      expect(c.tried[0]).toContain(`key ${def} not offered: encrypted`);
      await expect(checkKeyFiles([host()], { env: {} })).rejects.toThrow(`private key ${def} is encrypted`);
    } finally {
      await rm(def);
    }
  });

  it('refuse a file that is no private key', async () => {
    const junk = join(dir, 'junk');
    await writeFile(junk, 'not a key\n', { mode: 0o600 });
    await expect(checkKeyFiles([host({ keyFile: junk })], { env: {} })).rejects.toThrow(
      new RegExp(`^web1: ${junk} is not a private key vsa can use`),
    );
  });

  it('warn about a missing IdentityFile of the ssh config and offer the others', async () => {
    const { SshConfig } = await import('../../../runner/connection/ssh/ssh-config.js');
    const config = SshConfig.parse(`Host *\n  IdentityFile ${dir}/absent\n  IdentityFile ${plain}\n`, 'cfg');
    const warn = vi.fn();
    const u = await checkKeyFiles([host()], { env: {}, config, warn });
    expect(warn).toHaveBeenCalledWith(`web1: IdentityFile ${dir}/absent (cfg) does not exist`);
    expect([...u.skipped.keys()]).toEqual([`${dir}/absent`]);
  });

  it('with IdentitiesOnly, do not ask the agent', async () => {
    const c = await credentials(
      'web1',
      { user: 'root', identities: [{ file: plain, from: 'ssh config' }], identitiesOnly: true },
      { SSH_AUTH_SOCK: '/run/agent.sock' },
    );
    expect(c.methods.map((m) => m.type)).toEqual(['publickey']);
  });
});
