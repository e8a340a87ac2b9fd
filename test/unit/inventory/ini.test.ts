import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InventoryError } from '../../../runner/errors.js';
import { loadInventory } from '../../../runner/inventory/index.js';
import { pythonLiteral } from '../../../runner/inventory/sources/py-literal.js';
import { shlexSplit } from '../../../runner/inventory/sources/shlex.js';

const dir = mkdtempSync(join(tmpdir(), 'vsa-ini-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** Writes `text` to a new file (executable when asked) and returns its path. */
function file(text: string, name = `inv${n++}.ini`, mode = 0o644): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

describe('INI values are read as Python literals (compared with python3 itself)', () => {
  const values = [
    '22', '-5', '+3', '0x1f', '0o17', '0b101', '1_000', '1.5', '.5', '012', '00', 'True', 'False', 'None', 'yes', 'on',
    "'quoted'", '"dq"', "'it\\'s'", '[1, 2]', '[1, "a", [True, None]]', '(1, 2)', "{'a': 1, 'b': [2]}", '{1: "x"}',
    '{a:1}', 'web-{a}', '1 2', '[1,', 'Truey', '', 'x=y', "'unterminated",
  ];
  it.each(values)('%j', (text) => {
    const py = execFileSync(
      'python3',
      ['-c', 'import ast,json,sys\nv=sys.argv[1]\ntry: v=ast.literal_eval(v)\nexcept (ValueError, SyntaxError): pass\nprint(json.dumps(v))', text],
      { encoding: 'utf8' },
    );
    expect(pythonLiteral(text)).toEqual(JSON.parse(py));
  });
});

describe('INI host lines are split as shlex.split(line, comments=True)', () => {
  it.each([
    ['web1 a=1 b="two words" c=\'x y\'', ['web1', 'a=1', 'b=two words', 'c=x y']],
    ['h esc=a\\ b q="say \\"hi\\"" # comment', ['h', 'esc=a b', 'q=say "hi"']],
    ['h a=b#not-a-value', ['h', 'a=b']],
    ['h empty=""', ['h', 'empty=']],
  ])('%s', (line, tokens) => {
    expect(shlexSplit(line)).toEqual(tokens);
  });

  it('an unclosed quote is an error', () => {
    expect(() => shlexSplit('h a="open')).toThrow('No closing quotation');
  });
});

describe('INI errors name the file and line (exit 5)', () => {
  it.each([
    ['[web:vars]\nx=1\n', 1, 'section [web:vars] is for an undefined group: web'],
    ['[prod:children]\nweb\n', 2, 'section [prod:children] includes an undefined group: web'],
    ['[web:hosts2]\n', 1, 'section [web:hosts2] has unknown type: hosts2'],
    ['[web]\nweb1 novalue\n', 2, 'expected key=value host variable assignment, got: novalue'],
    ['[web]\nweb1 a="open\n', 2, "cannot parse host definition 'web1 a=\"open': No closing quotation"],
    ['[web]\nweb1:\n', 2, "invalid host pattern 'web1:': a ':' at the end is reserved for a port"],
    ['[web]\n[bad section]\n', 2, "invalid section entry: '[bad section]'"],
    ['[web:vars]\n[web]\nh1\n[web:vars]\njust-a-word\n', 5, 'expected key=value, got: just-a-word'],
    ['[web]\nh1 ansible_port=http\n', 2, "ansible_port of host 'h1': expected a port number from 1 to 65535"],
  ])('%j', async (text, line, message) => {
    const path = file(text);
    const err = await loadInventory(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InventoryError);
    expect((err as InventoryError).message).toContain(`${path}:${line}: ${message}`);
  });
});

describe('sources of other kinds', () => {
  it('a script that fails or prints no JSON is exit 5 naming it', async () => {
    const failing = file('#!/bin/sh\necho broken >&2\nexit 3\n', 'failing.sh', 0o755);
    await expect(loadInventory(failing)).rejects.toThrow(`${failing}: inventory script ${failing} --list failed: broken`);
    const chatty = file('#!/bin/sh\necho hello\n', 'chatty.sh', 0o755);
    await expect(loadInventory(chatty)).rejects.toThrow(`inventory script ${chatty} --list did not print JSON`);
    const badHosts = file('#!/bin/sh\necho \'{"web": {"hosts": "web1"}}\'\n', 'bad-hosts.sh', 0o755);
    await expect(loadInventory(badHosts)).rejects.toThrow(/group 'web': hosts: bad data for the host list/);
  });

  it('a group_vars file that is not a mapping is exit 5 naming it', async () => {
    const inv = join(dir, 'gv');
    mkdirSync(join(inv, 'group_vars'), { recursive: true });
    writeFileSync(join(inv, 'hosts'), '[web]\nweb1\n');
    writeFileSync(join(inv, 'group_vars', 'web.yml'), '- a\n- b\n');
    await expect(loadInventory(join(inv, 'hosts'))).rejects.toThrow(
      `${join(inv, 'group_vars', 'web.yml')}:1: a variables file must be a mapping of names to values`,
    );
  });

  it('a bad value in a host_vars file is reported at its line', async () => {
    const inv = join(dir, 'hv');
    mkdirSync(join(inv, 'host_vars'), { recursive: true });
    writeFileSync(join(inv, 'hosts.yml'), 'all:\n  hosts:\n    web1:\n');
    writeFileSync(join(inv, 'host_vars', 'web1.yml'), 'x: 1\nansible_port: 99999\n');
    await expect(loadInventory(join(inv, 'hosts.yml'))).rejects.toThrow(
      `${join(inv, 'host_vars', 'web1.yml')}:2: ansible_port of host 'web1': expected a port number from 1 to 65535`,
    );
  });
});
