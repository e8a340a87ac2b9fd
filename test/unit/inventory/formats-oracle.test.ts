/**
 * The oracle test for every inventory format vsa reads: `vsa inventory … --list` must print what
 * Debian's ansible-inventory prints for the same sources, both run here. The fixtures hold INI
 * (Python literals, shell quoting, `:vars`/`:children` declared before their group), a folder of
 * YAML, INI, extension-less YAML and script sources with the files Ansible skips in it, scripts
 * with and without `_meta`, a host list, several `-i`, and `group_vars/`/`host_vars/` as files,
 * folders and JSON beside the inventory and in a playbook folder. ansible-core is a test
 * dependency (.ci/run installs it): without it this file fails rather than skips.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { vsaInventory } from './vsa-inventory.js';

const run = promisify(execFile);
const F = 'test/fixtures/inventory/formats';

const cases: [name: string, args: string[]][] = [
  ['an INI file with group_vars/ and host_vars/ beside it', ['-i', `${F}/ini/hosts.ini`]],
  ['a folder of YAML, INI, script and skipped files', ['-i', `${F}/dir`]],
  ['a script without _meta (--host for each host)', ['-i', `${F}/scripts/no-meta.sh`]],
  ['the folder script on its own', ['-i', `${F}/dir/06-script`]],
  [
    'several -i: INI, YAML, a host list and a folder, in that order',
    ['-i', `${F}/ini/hosts.ini`, '-i', 'test/fixtures/inventory/nested.yml', '-i', 'web9,gw2:2200,', '-i', `${F}/dir`],
  ],
  ['group_vars/ and host_vars/ of a playbook folder', ['-i', `${F}/ini/hosts.ini`, '--playbook-dir', `${F}/playbook`]],
];

const env = {
  ...process.env,
  ANSIBLE_INVENTORY_UNPARSED_WARNING: 'False',
  ANSIBLE_LOCALHOST_WARNING: 'False',
  ANSIBLE_NOCOLOR: '1',
};
const expected = new Map<string, string>();

beforeAll(async () => {
  // Ansible starts in about a second: all at once, two cores.
  await Promise.all(
    cases.map(async ([name, args]) => {
      const { stdout } = await run('ansible-inventory', [...args, '--list'], { env, maxBuffer: 16 << 20 });
      expected.set(name, stdout);
    }),
  );
}, 120_000);

afterEach(() => vi.restoreAllMocks());

describe('vsa inventory --list prints what ansible-inventory --list prints', () => {
  it.each(cases)('%s', async (name, args) => {
    const printed = await vsaInventory(...args, '--list');
    expect(printed).toBe(expected.get(name));
  });

  it('reads every kind of source the fixtures meant to cover (the comparison is not vacuous)', async () => {
    const list = JSON.parse(await vsaInventory('-i', `${F}/dir`, '--list'));
    // YAML, INI without extension, extension-less YAML, the script and the nested folder.
    expect(Object.keys(list._meta.hostvars)).toEqual(expect.arrayContaining(['web1', 'db1', 'dyn1', 'web4']));
    expect(list.cache.hosts).toEqual(['cache1']);
    expect(list.skipped).toBeUndefined();
    expect(list._meta.hostvars.web1).toMatchObject({ host_file: 'plain', tier: 'from-files', web_json: [1, 2] });
    const ini = JSON.parse(await vsaInventory('-i', `${F}/ini/hosts.ini`, '--playbook-dir', `${F}/playbook`, '--list'));
    expect(ini._meta.hostvars['db-a.example.com']).toMatchObject({ role: 'primary-json', replicas: 3 });
    expect(ini._meta.hostvars.loner).toMatchObject({ note: 'from-playbook-host_vars', ansible_user: 'root' });
  });
});
