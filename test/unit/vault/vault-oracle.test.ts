/**
 * The oracle test for vault: what ansible-vault encrypts (`encrypt` of whole files, with and
 * without a vault id, and `encrypt_string` for `!vault` values) vsa decrypts to the same text,
 * and an inventory holding both lists as ansible-inventory lists it. ansible-core is a test
 * dependency (.ci/run installs it): without it this file fails rather than skips.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../../runner/errors.js';
import { loadInventory } from '../../../runner/inventory/index.js';
import { createRedactor } from '../../../runner/redact/index.js';
import { decryptVault } from '../../../runner/vault/decrypt.js';
import { revealVault } from '../../../runner/vault/reveal.js';
import type { VaultSecret } from '../../../runner/vault/secret.js';
import { vsaInventory } from '../inventory/vsa-inventory.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'vsa-vault-'));
const pwFile = join(dir, 'password');
const password = 'correct horse battery staple';
const secrets: VaultSecret[] = [{ id: 'default', password, source: pwFile }];
const env = { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'False' };

/** Plaintexts around AES's 16-byte block (padding) and beyond ASCII. */
const plaintexts = [
  'x',
  'fifteen bytes..',
  'sixteen bytes...',
  'seventeen bytes..',
  'línea 1\nzeile 2 — ✓\n',
  'k'.repeat(1000),
];
const encrypted: string[] = [];
let withId = '';
let vaultValue = '';
const invDir = join(dir, 'inv');
let ansibleList = '';

async function ansibleVault(...args: string[]): Promise<string> {
  return (await run('ansible-vault', args, { env })).stdout;
}

beforeAll(async () => {
  writeFileSync(pwFile, `${password}\n`);
  for (const [i, text] of plaintexts.entries()) {
    const file = join(dir, `plain-${i}`);
    writeFileSync(file, text);
    await ansibleVault('encrypt', '--vault-password-file', pwFile, file);
    encrypted.push(readFileSync(file, 'utf8'));
  }
  const idFile = join(dir, 'with-id');
  writeFileSync(idFile, 'labelled\n');
  await ansibleVault('encrypt', '--vault-id', `prod@${pwFile}`, idFile);
  withId = readFileSync(idFile, 'utf8');
  vaultValue = await ansibleVault(
    'encrypt_string',
    '--vault-password-file',
    pwFile,
    's3cr3t-db-pass',
    '--name',
    'db_password',
  );

  mkdirSync(join(invDir, 'group_vars'), { recursive: true });
  writeFileSync(
    join(invDir, 'hosts.yml'),
    `all:\n  hosts:\n    web1:\n    web2:\n  vars:\n${vaultValue.replace(/^/gm, '    ')}\n`,
  );
  const vars = join(invDir, 'group_vars', 'all.yml');
  writeFileSync(vars, 'api_token: tok-from-vaulted-file\nplain: 7\n');
  await ansibleVault('encrypt', '--vault-password-file', pwFile, vars);
  ansibleList = (
    await run(
      'ansible-inventory',
      ['-i', join(invDir, 'hosts.yml'), '--vault-password-file', pwFile, '--list'],
      { env },
    )
  ).stdout;
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

describe('vault: what ansible-vault encrypts, vsa decrypts', () => {
  it('decrypts ansible-vault encrypt output of every length to the same bytes', () => {
    expect(encrypted.every((t) => t.startsWith('$ANSIBLE_VAULT;1.1;AES256\n'))).toBe(true);
    expect(encrypted.map((t, i) => decryptVault(t, password, `plain-${i}`))).toEqual(plaintexts);
  });

  it('decrypts the 1.2 format that carries a vault id', () => {
    expect(withId.startsWith('$ANSIBLE_VAULT;1.2;AES256;prod\n')).toBe(true);
    expect(decryptVault(withId, password, 'with-id')).toBe('labelled\n');
  });

  it('refuses a wrong password and tampered text before decrypting (HMAC)', () => {
    expect(decryptVault(encrypted[1]!, 'wrong', 'f')).toBeUndefined();
    // One hex digit of the ciphertext changed, still well-formed: only the HMAC can tell.
    const [header, ...body] = encrypted[1]!.trim().split('\n');
    const [salt, hmac, data] = Buffer.from(body.join(''), 'hex').toString().split('\n');
    const tampered = data!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const hex = Buffer.from([salt, hmac, tampered].join('\n')).toString('hex');
    expect(decryptVault(`${header}\n${hex.match(/.{1,80}/g)!.join('\n')}\n`, password, 'f')).toBeUndefined();
    expect(() => decryptVault(encrypted[1]!.replace(/\n[0-9a-f]/, '\nz'), password, 'f')).toThrow(
      /f: malformed vault text/,
    );
  });

  it('lists an inventory with a !vault value and a vault-encrypted group_vars file as ansible-inventory does', async () => {
    const printed = await vsaInventory(
      '-i',
      join(invDir, 'hosts.yml'),
      '--vault-password-file',
      pwFile,
      '--list',
    );
    expect(printed).toBe(ansibleList);
    // The whole-file vault was decrypted; the !vault value is listed still encrypted, as Ansible does.
    expect(JSON.parse(printed)._meta.hostvars.web1.api_token).toBe('tok-from-vaulted-file');
  });

  it('decrypts !vault values for a run, once per ciphertext, and returns every plaintext as a secret', async () => {
    const inv = await loadInventory(join(invDir, 'hosts.yml'), { vault: secrets });
    const hosts = [...inv.hosts.values()];
    const found = [...inv.secrets, ...revealVault(hosts, secrets)];
    expect(hosts.map((h) => h.vars.db_password)).toEqual(['s3cr3t-db-pass', 's3cr3t-db-pass']);
    expect(found).toEqual(['tok-from-vaulted-file', '7', 's3cr3t-db-pass']);
    const redact = createRedactor({ secretValues: found });
    expect(redact({ stdout: 'connected with s3cr3t-db-pass and tok-from-vaulted-file' })).toEqual({
      stdout: 'connected with *** and ***',
    });
  });

  it('without a password: exit 5 naming the variable, or the encrypted file', async () => {
    const plainInv = join(dir, 'only-value.yml');
    writeFileSync(plainInv, `all:\n  hosts:\n    db1:\n${vaultValue.replace(/^/gm, '      ')}\n`);
    const hosts = [...(await loadInventory(plainInv)).hosts.values()];
    let err: unknown;
    try {
      revealVault(hosts, []);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(5);
    expect((err as Error).message).toMatch(
      /^variable 'db_password' of host 'db1' is encrypted with ansible-vault and no vault password was given: pass --vault-id \[LABEL@\]SOURCE, --vault-password-file FILE or --ask-vault-pass/,
    );
    await expect(loadInventory(join(invDir, 'hosts.yml'))).rejects.toThrow(
      `${join(invDir, 'group_vars', 'all.yml')} is encrypted with ansible-vault and no vault password was given`,
    );
  });

  it('decrypts !vault connection fields for the play, and checks them as the inventory does', async () => {
    const value = async (name: string, text: string) =>
      (await ansibleVault('encrypt_string', '--vault-password-file', pwFile, text, '--name', name)).replace(
        /^/gm,
        '      ',
      );
    const file = join(dir, 'connection.yml');
    writeFileSync(
      file,
      `all:\n  hosts:\n    db1:\n${await value('ansible_port', '2222')}\n${await value('ansible_user', 'deploy')}\n    db2:\n${await value('ansible_port', 'ssh')}\n`,
    );
    const inv = await loadInventory(file, { vault: secrets });
    const db1 = inv.hosts.get('db1')!;
    // Never the ciphertext: the default until the play's hosts are decrypted.
    expect(db1).toMatchObject({ port: 22, sealed: { port: 'ansible_port', user: 'ansible_user' } });
    expect(db1.user).toBeUndefined();
    expect(revealVault([db1], secrets).sort()).toEqual(['2222', 'deploy']);
    expect(db1).toMatchObject({ address: 'db1', port: 2222, user: 'deploy' });
    expect(db1.sealed).toBeUndefined();
    expect(() => revealVault([inv.hosts.get('db2')!], secrets)).toThrow(
      /^ansible_port of host 'db2' \(decrypted from !vault\): /,
    );
  });
});
