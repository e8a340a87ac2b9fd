/**
 * An Ansible operator's project run as it is, through the built binary on lab hosts: ansible.cfg
 * names the INI inventory, the login, the key, host key checking off (accept-new in vsa), forks
 * and timeout; a vault-encrypted `group_vars/` file holds the secret a task prints. Under CI
 * (strict), an ansible.cfg setting vsa does not honour stops the run before any host is contacted.
 */
import { readFile, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { $ } from 'zx';
import { parseEvents, userEnv } from './faults-support/vsa.js';
import { canRunLab, countLog, useLab } from '../lab/use-lab.js';
import { useVsaHome } from './run-vsa.js';

const PLAYBOOK = resolve('test/fixtures/ansible-dropin/echo-var.ts');
const BIN = resolve('bin/vsa.js');
const SECRET = 'vaulted-Pa55-e2e';

describe.skipIf(!canRunLab)('an Ansible project (ansible.cfg, INI, vaulted group_vars) on lab hosts', () => {
  const lab = useLab({ hosts: 2 });
  const home = useVsaHome();
  let project = '';
  const cfg = (extra = '') =>
    writeFile(
      join(project, 'ansible.cfg'),
      `[defaults]\ninventory = hosts\nremote_user = root\nprivate_key_file = ${lab().keyFile}\nhost_key_checking = False\nforks = 2\ntimeout = 20\n${extra}`,
    );
  const vsa = (...args: string[]) =>
    $({
      quiet: true,
      nothrow: true,
      cwd: project,
      env: userEnv(home(), { VSA_KNOWN_HOSTS: join(project, 'known_hosts'), ANSIBLE_VAULT_PASSWORD_FILE: join(project, '.vault-pass') }),
    })`node ${BIN} run ${PLAYBOOK} ${args} --json`;

  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'vsa-ansible-project-'));
    await writeFile(join(project, 'hosts'), `[web]\n${['h01', 'h02'].map((h) => `${h} ansible_host=${lab().host(h).address}`).join('\n')}\n`);
    await writeFile(join(project, '.vault-pass'), 'project-vault-pass\n');
    await mkdir(join(project, 'group_vars', 'web'), { recursive: true });
    const vault = join(project, 'group_vars', 'web', 'vault.yml');
    await writeFile(vault, `db_password: ${SECRET}\n`);
    await $({ quiet: true, env: { ...process.env, ANSIBLE_NOCOLOR: '1' } })`ansible-vault encrypt --vault-password-file ${join(project, '.vault-pass')} ${vault}`;
  }, 60_000);
  afterAll(async () => {
    if (project) await rm(project, { recursive: true, force: true });
  });

  it('runs with what ansible.cfg says, the vault value decrypted for the task and masked in every output', async () => {
    await cfg();
    const r = await vsa();
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const end = parseEvents<{ type: string; recap?: Record<string, { failed: number; changed: number }> }>(r.stdout).find(
      (e) => e.type === 'run:end',
    );
    expect(Object.keys(end!.recap!).sort()).toEqual(['h01', 'h02']);
    expect(r.stdout).toContain('password is ***');
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(await readFile(join(home(), 'audit.jsonl'), 'utf8')).not.toContain(SECRET);
    // host_key_checking = False recorded both new keys (accept-new) in the known_hosts given.
    expect((await readFile(join(project, 'known_hosts'), 'utf8')).trim().split('\n')).toHaveLength(2);
  });

  it('under CI, an ansible.cfg setting vsa does not honour is exit 5 naming it, and no host is contacted', async () => {
    await cfg('[ssh_connection]\npipelining = True\n');
    const before = await countLog(lab(), 'h01', /Connection from /);
    const r = await vsa();
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toContain(`${join(project, 'ansible.cfg')}:9: [ssh_connection] pipelining is not supported by vsa and is ignored`);
    expect(await countLog(lab(), 'h01', /Connection from /)).toBe(before);
  });
});
