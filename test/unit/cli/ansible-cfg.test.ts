import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyAnsibleConfig } from '../../../cli/ansible-cfg/apply.js';
import { findAnsibleConfig, loadAnsibleConfig } from '../../../cli/ansible-cfg/load.js';
import { parseIni } from '../../../cli/ansible-cfg/parse-ini.js';
import { sshSettings } from '../../../runner/connection/ssh/settings.js';
import { UsageError } from '../../../runner/errors.js';
import type { InventoryHost } from '../../../runner/inventory/types.js';

const root = mkdtempSync(join(tmpdir(), 'vsa-cfg-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A folder with an ansible.cfg holding `text`, or none. */
function folder(name: string, text?: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  chmodSync(dir, 0o755);
  if (text !== undefined) writeFileSync(join(dir, 'ansible.cfg'), text);
  return dir;
}

const host = (over: Partial<InventoryHost> = {}): InventoryHost => ({
  name: 'web1',
  address: '198.18.0.5',
  port: 22,
  become: false,
  connection: 'ssh',
  vars: {},
  groups: ['all'],
  ...over,
});

describe('finding ansible.cfg as Ansible does (first found)', () => {
  const home = folder('home', '[defaults]\n');
  const cwd = folder('cwd', '[defaults]\n');
  const empty = folder('empty');
  const quiet = () => {};

  it('$ANSIBLE_CONFIG (a file or a folder holding one), then ./ansible.cfg, then ~/.ansible.cfg', () => {
    writeFileSync(join(home, '.ansible.cfg'), '[defaults]\n');
    const named = folder('named', '[defaults]\n');
    expect(findAnsibleConfig({ ANSIBLE_CONFIG: join(named, 'ansible.cfg'), HOME: home }, quiet, cwd)).toBe(join(named, 'ansible.cfg'));
    expect(findAnsibleConfig({ ANSIBLE_CONFIG: named, HOME: home }, quiet, cwd)).toBe(join(named, 'ansible.cfg'));
    expect(findAnsibleConfig({ ANSIBLE_CONFIG: join(empty, 'missing.cfg'), HOME: home }, quiet, cwd)).toBe(join(cwd, 'ansible.cfg'));
    expect(findAnsibleConfig({ HOME: home }, quiet, empty)).toBe(join(home, '.ansible.cfg'));
    expect(findAnsibleConfig({ HOME: empty }, quiet, empty)).toBeUndefined();
  });

  it('skips ./ansible.cfg in a world-writable folder, with a warning', () => {
    const open = folder('open', '[defaults]\n');
    chmodSync(open, 0o777);
    const warnings: string[] = [];
    expect(findAnsibleConfig({ HOME: empty }, (m) => warnings.push(m), open)).toBeUndefined();
    expect(warnings).toEqual([`${join(open, 'ansible.cfg')} is not read: ${open} is world writable (as Ansible does)`]);
  });
});

describe('reading ansible.cfg', () => {
  it('reads the six honoured settings; paths are relative to the file, ~ is the home', () => {
    const dir = folder(
      'full',
      [
        '# the usual file',
        '[defaults]',
        'inventory = inventory/prod.yml, ./extra',
        'remote_user: deploy',
        'private_key_file = ~/.ssh/deploy_ed25519',
        'host_key_checking = False ; inline comments start with ;',
        'FORKS = 7',
        'timeout = 30',
      ].join('\n'),
    );
    const warnings: string[] = [];
    expect(loadAnsibleConfig((m) => warnings.push(m), { ANSIBLE_CONFIG: dir, HOME: '/home/ops' }, root)).toEqual({
      file: join(dir, 'ansible.cfg'),
      inventory: [join(dir, 'inventory/prod.yml'), join(dir, 'extra')],
      remoteUser: 'deploy',
      privateKeyFile: '/home/ops/.ssh/deploy_ed25519',
      hostKeyChecking: false,
      forks: 7,
      timeout: 30,
    });
    expect(warnings).toEqual([]);
  });

  it('warns about every other setting, naming the file, line, section and key', () => {
    const dir = folder('others', '[defaults]\nroles_path = roles\nstdout_callback = yaml\n[privilege_escalation]\nbecome = True\n');
    const warnings: string[] = [];
    loadAnsibleConfig((m) => warnings.push(m), { ANSIBLE_CONFIG: dir }, root);
    const file = join(dir, 'ansible.cfg');
    expect(warnings).toEqual([
      `${file}:2: [defaults] roles_path is not supported by vsa and is ignored`,
      `${file}:3: [defaults] stdout_callback is not supported by vsa and is ignored`,
      `${file}:5: [privilege_escalation] become is not supported by vsa and is ignored`,
    ]);
  });

  it('refuses a bad value of an honoured setting (exit 5)', () => {
    const dir = folder('bad', '[defaults]\nforks = many\n');
    expect(() => loadAnsibleConfig(() => {}, { ANSIBLE_CONFIG: dir }, root)).toThrow(UsageError);
    expect(() => loadAnsibleConfig(() => {}, { ANSIBLE_CONFIG: dir }, root)).toThrow(`${join(dir, 'ansible.cfg')}:2: forks: expected a whole number`);
  });

  it('parses configparser continuation lines and both separators', () => {
    expect(parseIni('[a]\nk = one\n  two\nj: x;y\n', 'f')).toEqual([
      { section: 'a', key: 'k', value: 'one\ntwo', line: 2 },
      { section: 'a', key: 'j', value: 'x;y', line: 4 },
    ]);
    expect(() => parseIni('k = v\n', 'f')).toThrow('f:1: a setting before any [section]');
  });
});

describe('applying ansible.cfg below the inventory', () => {
  const cfg = { inventory: [], remoteUser: 'cfg-user', privateKeyFile: '/keys/cfg', hostKeyChecking: false, timeout: 33 };

  it('remote_user and private_key_file fill in what the inventory leaves unset', () => {
    const hosts = [host(), host({ name: 'web2', user: 'inv-user', keyFile: '/keys/inv' }), host({ name: 'me', connection: 'local' })];
    applyAnsibleConfig(hosts, cfg);
    expect(hosts.map((h) => [h.user, h.keyFile])).toEqual([
      ['cfg-user', '/keys/cfg'],
      ['inv-user', '/keys/inv'],
      [undefined, undefined],
    ]);
  });

  it('host_key_checking = False is accept-new and timeout the connect timeout, unless the inventory says otherwise', () => {
    const defaults = { ansibleCfg: { hostKeyChecking: cfg.hostKeyChecking, timeoutSec: cfg.timeout } };
    expect(sshSettings(host(), defaults, {})).toMatchObject({ hostKeyPolicy: 'accept-new', readyTimeoutMs: 33_000 });
    expect(sshSettings(host({ vars: { ansible_host_key_checking: true, ansible_timeout: 5 } }), defaults, {})).toMatchObject({
      hostKeyPolicy: 'strict',
      readyTimeoutMs: 5_000,
    });
    expect(sshSettings(host(), {}, {})).toMatchObject({ hostKeyPolicy: 'strict', readyTimeoutMs: 15_000 });
  });
});
