/**
 * An Ansible operator's files in a real run on local hosts: a `!vault` value is decrypted with
 * `--vault-password-file` and redacted in the output and the run history; without a password
 * the run is exit 5 naming the variable before anything runs; ansible.cfg's `inventory` is the
 * default `-i`; a setting of ansible.cfg or an `ansible_*` variable vsa does not honour is a
 * warning naming it (exit 5 under --strict).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { captureOutput } from './capture-output.js';

const PLAYBOOK = 'test/fixtures/ansible-dropin/echo-var.ts';
const output = captureOutput();
const dir = mkdtempSync(join(tmpdir(), 'vsa-dropin-'));
const pwFile = join(dir, 'vault-pass');
const inventory = join(dir, 'hosts.yml');
const saved = { home: process.env.VSA_HOME, cfg: process.env.ANSIBLE_CONFIG, vault: process.env.ANSIBLE_VAULT_PASSWORD_FILE };

beforeAll(async () => {
  process.env.VSA_HOME = join(dir, 'data');
  delete process.env.ANSIBLE_VAULT_PASSWORD_FILE;
  writeFileSync(pwFile, 'opensesame\n');
  const { stdout } = await promisify(execFile)(
    'ansible-vault',
    ['encrypt_string', '--vault-password-file', pwFile, 'pa55-w0rd-xyz', '--name', 'db_password'],
    { env: { ...process.env, ANSIBLE_NOCOLOR: '1' } },
  );
  writeFileSync(inventory, `all:\n  hosts:\n    box:\n      ansible_connection: local\n${stdout.replace(/^/gm, '      ')}\n`);
}, 60_000);
afterAll(() => {
  for (const [name, value] of [['VSA_HOME', saved.home], ['ANSIBLE_CONFIG', saved.cfg], ['ANSIBLE_VAULT_PASSWORD_FILE', saved.vault]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('vault in a run', () => {
  it('decrypts the value for the task and never shows it: not in the output, not in the history', async () => {
    expect(await main(['run', PLAYBOOK, '-i', inventory, '--vault-password-file', pwFile, '-v', '--no-strict'])).toBe(0);
    expect(output.out()).toContain('password is ***');
    expect(output.out() + output.err()).not.toContain('pa55-w0rd-xyz');
    const runId = /run ([0-9a-f-]{36})/.exec(output.out())![1]!;
    output.clear();
    expect(await main(['history', 'show', runId, '-v'])).toBe(0);
    expect(output.out()).not.toContain('pa55-w0rd-xyz');
    const audit = readFileSync(join(dir, 'data', 'audit.jsonl'), 'utf8');
    expect(audit).toContain('password is ***');
    expect(audit).not.toContain('pa55-w0rd-xyz');
  });

  it('without a password: exit 5 naming the variable, and nothing ran', async () => {
    expect(await main(['run', PLAYBOOK, '-i', inventory, '--no-strict'])).toBe(5);
    expect(output.err()).toContain("variable 'db_password' of host 'box' is encrypted with ansible-vault and no vault password was given");
    expect(output.out()).not.toContain('password is');
  });
});

describe('ansible_* variables vsa does not act on', () => {
  it('each is a warning naming it and its hosts; --strict makes that exit 5 before anything runs', async () => {
    const inv = join(dir, 'become.ini');
    writeFileSync(inv, '[web]\nh1 ansible_connection=local ansible_become_exe=/usr/local/bin/doas ansible_python_interpreter=/usr/bin/python3\nh2 ansible_connection=local ansible_become_exe=/usr/local/bin/doas\n');
    expect(await main(['run', PLAYBOOK, '-i', inv, '--strict'])).toBe(5);
    expect(output.err()).toContain('vsa: warning: ansible_become_exe (h1, h2) is not supported by vsa and is ignored');
    expect(output.err()).toContain('vsa: warning: ansible_python_interpreter (h1) is not supported by vsa and is ignored');
    expect(output.out()).not.toContain('PLAY');
  });
});

describe('ansible.cfg', () => {
  it("gives the default inventory, and warns about each setting vsa does not honour; --strict makes that exit 5", async () => {
    const cfg = join(dir, 'ansible.cfg');
    writeFileSync(cfg, `[defaults]\ninventory = hosts.yml\nforks = 3\ngathering = smart ; a comment\n\n[ssh_connection]\npipelining = True\n`);
    process.env.ANSIBLE_CONFIG = cfg;
    process.env.ANSIBLE_VAULT_PASSWORD_FILE = pwFile;
    expect(await main(['run', PLAYBOOK, '--strict'])).toBe(5);
    expect(output.err()).toContain(`vsa: warning: ${cfg}:4: [defaults] gathering is not supported by vsa and is ignored`);
    expect(output.err()).toContain(`vsa: warning: ${cfg}:7: [ssh_connection] pipelining is not supported by vsa and is ignored`);
    expect(output.out()).not.toContain('password is');
    output.clear();
    expect(await main(['run', PLAYBOOK, '--no-strict', '-v'])).toBe(0);
    expect(output.out()).toContain('password is ***');
  });
});
