/**
 * Vault ids as Ansible has them, against the real ansible-vault and ansible-inventory: files and
 * values encrypted for the ids `prod` and `dev` and for no id at all list the same with vsa as
 * with ansible-inventory given the same `--vault-id`s; passwords come from files, scripts
 * (Ansible's `-client` scripts are asked for their id), `$ANSIBLE_VAULT_PASSWORD_FILE` and
 * ansible.cfg; a password that decrypts nothing is exit 5 naming the file and the ids tried.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadAnsibleConfig } from '../../../cli/ansible-cfg/load.js';
import { splitVaultId, vaultSecrets, type VaultIo } from '../../../cli/vault-secrets.js';
import { UsageError } from '../../../runner/errors.js';
import { openVault } from '../../../runner/vault/open.js';
import { vsaInventory } from '../inventory/vsa-inventory.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'vsa-vault-ids-'));
const env = { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'False' };
const pw = { prod: 'prod-Pa55-word', dev: 'dev-Pa55-word', plain: 'no-id-Pa55' };
const prodFile = join(dir, 'prod-pass');
const devScript = join(dir, 'dev-pass.sh');
const clientScript = join(dir, 'keyring-client.sh');
const plainFile = join(dir, 'plain-pass');
const inv = join(dir, 'inv');
const prodVars = join(inv, 'group_vars', 'prod.yml');
const devVars = join(inv, 'group_vars', 'dev.yml');
const flags = (over: Partial<Parameters<typeof vaultSecrets>[0]> = {}) => ({ vaultId: [], vaultPasswordFile: [], askVaultPass: false, ...over });
const noTty = { env: {}, stdin: { isTTY: false } as NodeJS.ReadStream, stderr: process.stderr } satisfies VaultIo;
let ansibleList = '';

beforeAll(async () => {
  writeFileSync(prodFile, `${pw.prod}\n`);
  writeFileSync(plainFile, `${pw.plain}\n`);
  writeFileSync(devScript, `#!/bin/sh\necho '${pw.dev}'\n`);
  // Ansible's client scripts are run with --vault-id ID and print that id's password.
  writeFileSync(clientScript, `#!/bin/sh\n[ "$1" = --vault-id ] && [ "$2" = dev ] && echo '${pw.dev}' || exit 3\n`);
  chmodSync(devScript, 0o700);
  chmodSync(clientScript, 0o700);
  mkdirSync(join(inv, 'group_vars'), { recursive: true });
  const value = (
    await run('ansible-vault', ['encrypt_string', '--vault-id', `dev@${devScript}`, 'dev-inline-secret', '--name', 'inline'], { env })
  ).stdout;
  writeFileSync(
    join(inv, 'hosts.yml'),
    `prod:\n  hosts:\n    p1:\ndev:\n  hosts:\n    d1:\n  vars:\n${value.replace(/^/gm, '    ')}\nother:\n  hosts:\n    o1:\n      from_plain: yes\n`,
  );
  writeFileSync(prodVars, 'db_password: prod-db-secret\n');
  writeFileSync(devVars, 'db_password: dev-db-secret\n');
  writeFileSync(join(inv, 'group_vars', 'other.yml'), 'token: plain-token\n');
  await run('ansible-vault', ['encrypt', '--vault-id', `prod@${prodFile}`, prodVars], { env });
  await run('ansible-vault', ['encrypt', '--vault-id', `dev@${devScript}`, devVars], { env });
  await run('ansible-vault', ['encrypt', '--vault-password-file', plainFile, join(inv, 'group_vars', 'other.yml')], { env });
  ansibleList = (
    await run(
      'ansible-inventory',
      ['-i', join(inv, 'hosts.yml'), '--vault-id', `dev@${devScript}`, '--vault-id', `prod@${prodFile}`, '--vault-password-file', plainFile, '--list'],
      { env },
    )
  ).stdout;
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

describe('vault ids', () => {
  it('lists files encrypted for several ids and for none as ansible-inventory does with the same --vault-id', async () => {
    expect(readFileSync(prodVars, 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.2;AES256;prod\n/);
    const printed = await vsaInventory(
      '-i', join(inv, 'hosts.yml'), '--vault-id', `dev@${devScript}`, '--vault-id', `prod@${prodFile}`, '--vault-password-file', plainFile, '--list',
    );
    expect(printed).toBe(ansibleList);
    const vars = JSON.parse(printed)._meta.hostvars;
    expect([vars.p1.db_password, vars.d1.db_password, vars.o1.token]).toEqual(['prod-db-secret', 'dev-db-secret', 'plain-token']);
  });

  it('reads [label@]source in Ansible order: ansible.cfg list, --vault-id, --vault-password-file, then the configured file', async () => {
    const secrets = await vaultSecrets(
      flags({ vaultId: [`dev@${clientScript}`, prodFile], vaultPasswordFile: [plainFile] }),
      { vaultIdentityList: [`prod@${prodFile}`], vaultPasswordFile: prodFile },
      noTty,
    );
    expect(secrets).toEqual([
      { id: 'prod', password: pw.prod, source: prodFile },
      { id: 'dev', password: pw.dev, source: clientScript },
      { id: 'default', password: pw.prod, source: prodFile },
      { id: 'default', password: pw.plain, source: plainFile },
    ]);
    const fromEnv = await vaultSecrets(flags(), { vaultPasswordFile: prodFile }, {
      ...noTty,
      env: { ANSIBLE_VAULT_PASSWORD_FILE: plainFile, ANSIBLE_VAULT_IDENTITY_LIST: `dev@${devScript}` },
    });
    expect(fromEnv.map((s) => `${s.id}@${s.source}`)).toEqual([`dev@${devScript}`, `default@${plainFile}`]);
    expect(splitVaultId('a@b@c')).toEqual({ id: 'a', source: 'b@c' });
    expect(() => splitVaultId('@file')).toThrow(UsageError);
  });

  it('takes vault_identity_list and vault_password_file from ansible.cfg, the file relative to it', () => {
    const cfgDir = join(dir, 'cfg');
    mkdirSync(cfgDir, { recursive: true, mode: 0o755 });
    writeFileSync(join(cfgDir, 'ansible.cfg'), `[defaults]\nvault_identity_list = dev@${devScript}, prod@${prodFile}\nvault_password_file = ./pass\n`);
    const warn = vi.fn();
    const cfg = loadAnsibleConfig(warn, { ANSIBLE_CONFIG: cfgDir, HOME: dir }, dir);
    expect(warn).not.toHaveBeenCalled();
    expect(cfg.vaultIdentityList).toEqual([`dev@${devScript}`, `prod@${prodFile}`]);
    expect(cfg.vaultPasswordFile).toBe(join(cfgDir, 'pass'));
  });

  it('tries the id the header names first, then the others; none decrypting is exit 5 naming the file and ids, never a password', () => {
    const text = readFileSync(prodVars, 'utf8');
    const wrongProd = { id: 'prod', password: 'not-it', source: '/etc/wrong' };
    const dev = { id: 'dev', password: pw.dev, source: devScript };
    expect(openVault(text, [dev, { id: 'default', password: pw.prod, source: prodFile }], prodVars)).toBe('db_password: prod-db-secret\n');
    let err: unknown;
    try {
      openVault(text, [dev, wrongProd], prodVars);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(5);
    expect((err as Error).message).toBe(
      `${prodVars} (encrypted for vault id 'prod'): no vault password decrypts it; vault ids tried: 'prod' (/etc/wrong), 'dev' (${devScript})`,
    );
    expect((err as Error).message).not.toContain(pw.dev);
  });

  it('a wrong password in a run of vsa inventory is exit 5 naming the file', async () => {
    await expect(vsaInventory('-i', join(inv, 'hosts.yml'), '--vault-id', `prod@${plainFile}`, '--list')).rejects.toThrow(
      /prod\.yml \(encrypted for vault id 'prod'\): no vault password decrypts it; vault ids tried: 'prod'/,
    );
  });

  it('prompt and --ask-vault-pass need a terminal; a failing script is exit 5 naming it and its id', async () => {
    await expect(vaultSecrets(flags({ vaultId: ['prod@prompt'] }), {}, noTty)).rejects.toThrow(
      '--vault-id prod@prompt needs a terminal to prompt on',
    );
    await expect(vaultSecrets(flags({ askVaultPass: true }), {}, noTty)).rejects.toThrow('--ask-vault-pass needs a terminal');
    await expect(vaultSecrets(flags({ vaultId: [`prod@${clientScript}`] }), {}, noTty)).rejects.toThrow(
      `vault password file ${clientScript} (vault id 'prod'):`,
    );
  });
});
