import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InventoryError } from '../../../runner/errors.js';
import { loadInventory, parseInventory } from '../../../runner/inventory/index.js';

function errorOf(text: string): InventoryError {
  try {
    parseInventory(text, 'inv.yml');
  } catch (e) {
    if (e instanceof InventoryError) return e;
    throw e;
  }
  throw new Error('expected an InventoryError');
}

describe('inventory errors name the file, the line and the cause', () => {
  it.each([
    ['malformed YAML', 'all:\n  hosts:\n    a: {x: 1\n  vars: {}\n', 4, /Flow map/],
    ['a duplicate host', 'all:\n  hosts:\n    a:\n    b:\n    a:\n', 5, /duplicate key 'a': map keys must be unique/],
    ['a duplicate variable', 'all:\n  vars:\n    x: 1\n    x: 2\n', 4, /duplicate key 'x': map keys must be unique/],
    [
      'a host that is not a mapping',
      'all:\n  children:\n    web:\n      hosts:\n        web1: foo\n',
      5,
      /all\.children\.web\.hosts\.web1: expected a mapping of variables/,
    ],
    ['hosts given as a list', 'all:\n  hosts:\n    - a\n', 2, /all\.hosts: expected a mapping of host names/],
    [
      'a bad host port',
      'all:\n  hosts:\n    a:\n      ansible_port: 70000\n',
      4,
      /ansible_port of host 'a': .*1 to 65535/,
    ],
    [
      'a bad port set on a group',
      'all:\n  children:\n    web:\n      vars:\n        port: abc\n      hosts:\n        w1:\n',
      5,
      /port of host 'w1'/,
    ],
    [
      'a group that is its own ancestor',
      'a:\n  children:\n    b:\n      children:\n        a:\n',
      3,
      /'b' would be its own ancestor/,
    ],
    ['a group inside itself', 'a:\n  children:\n    a:\n', 3, /'a' would be its own ancestor/],
    [
      'a misspelt section',
      'all:\n  children:\n    web:\n      host:\n        w1:\n',
      4,
      /unexpected key 'host'/,
    ],
    ['a bad host range', 'all:\n  hosts:\n    web[01:100]:\n', 3, /equal-length/],
    [
      'an unsupported connection',
      'all:\n  hosts:\n    a:\n      ansible_connection: docker\n',
      4,
      /ssh or local/,
    ],
    [
      'a bad boolean',
      'all:\n  vars:\n    ansible_become: maybe\n  hosts:\n    a:\n',
      3,
      /expected a boolean/,
    ],
    ['a group that is a string', 'web: foo\n', 1, /web: a group must be a mapping/],
    ['all as a child', 'web:\n  children:\n    all:\n', 3, /cannot have 'all' as a child/],
    ['a plugin configuration', 'plugin: aws_ec2\n', 1, /plugin configurations are not supported/],
    ['several YAML documents', 'a:\n---\nb:\n', 2, /one YAML document/],
  ])('%s', (_what, text, line, cause) => {
    const err = errorOf(text);
    expect(err).toMatchObject({ file: 'inv.yml', line, exitCode: 5 });
    expect(err.message).toMatch(new RegExp(`^inv\\.yml:${line}: `));
    expect(err.message).toMatch(cause);
  });

  // Where the parser runs out of stack depends on the machine: only the file and the cause are fixed.
  it.each([
    ['lists nested 20,000 deep', `all:\n  vars:\n    x: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`],
    [
      'block lists nested 3,000 deep',
      `all:\n  vars:\n    x:\n${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(4 + i)}- `).join('\n')}a\n`,
    ],
  ])('says that %s nest too deeply (exit 5), not that a stack overflowed', (_what, text) => {
    const err = errorOf(text);
    expect(err).toMatchObject({ file: 'inv.yml', exitCode: 5 });
    expect(err.message).toMatch(/^inv\.yml:\d+: the YAML nests too deeply to be read/);
    expect(err.message).not.toMatch(/stack/);
  });

  it.each([
    ['an empty file', '', /the inventory is empty/],
    ['a list at the top', '- a\n- b\n', /must be a mapping of groups/],
  ])('%s', (_what, text, cause) => {
    expect(errorOf(text).message).toMatch(cause);
  });
});

describe('loadInventory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vsa-inv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says clearly when the file is missing', async () => {
    const file = join(dir, 'missing.yml');
    await expect(loadInventory(file)).rejects.toThrow(`${file}: cannot read inventory: no such file`);
  });

  it('rejects a folder that holds no inventory file', async () => {
    await expect(loadInventory(dir)).rejects.toThrow(/holds no inventory file/);
  });

  it('loads the shipped local inventory', async () => {
    const inv = await loadInventory('inventory/local.yml');
    expect([...inv.hosts.values()]).toMatchObject([{ name: 'localhost', connection: 'local' }]);
  });
});
