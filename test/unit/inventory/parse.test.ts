import { describe, expect, it } from 'vitest';
import { parseInventory } from '../../../runner/inventory/index.js';

const parse = (text: string) => parseInventory(text, 'inv.yml');
const host = (text: string, name: string) => parse(text).hosts.get(name)!;

describe('parseInventory: structure', () => {
  it('reads all/children/hosts/vars nesting and lists groups with their direct members', () => {
    const inv = parse(`
all:
  hosts: { solo: }
  children:
    web:
      hosts: { web1: , web2: }
      children:
        prod: { hosts: { web2: } }
`);
    expect([...inv.hosts.keys()]).toEqual(['solo', 'web1', 'web2']);
    expect(inv.groups.get('all')).toMatchObject({ hosts: ['solo'], children: ['ungrouped', 'web'] });
    expect(inv.groups.get('web')).toMatchObject({ hosts: ['web1', 'web2'], children: ['prod'] });
    expect(inv.groups.get('ungrouped')!.hosts).toEqual(['solo']);
    expect(inv.hosts.get('web2')!.groups).toEqual(['all', 'web', 'prod']);
  });

  it('puts top-level groups under all and group-less hosts in ungrouped', () => {
    const inv = parse(`
web: { hosts: web1 }
ungrouped: { hosts: { loner: , web1: } }
all: { hosts: { stray: } }
`);
    expect(inv.groups.get('all')!.children).toEqual(['ungrouped', 'web']);
    // web1 is in a real group, so Ansible drops it from ungrouped.
    expect(inv.groups.get('ungrouped')!.hosts).toEqual(['loner', 'stray']);
  });

  it('expands ranges and takes the port of a name:port key', () => {
    const inv = parse(`
all:
  hosts:
    web[01:02].x:
    "gw:2222": { ansible_user: admin }
`);
    expect([...inv.hosts.keys()]).toEqual(['web01.x', 'web02.x', 'gw']);
    expect(inv.hosts.get('gw')).toMatchObject({ port: 2222, user: 'admin' });
    expect(inv.hosts.get('gw')!.vars).toEqual({ ansible_port: 2222, ansible_user: 'admin' });
  });

  it('reads scalars as PyYAML does (yes/no booleans, no y/n, no dates)', () => {
    const vars = host(
      `all: { hosts: { h: { a: yes, b: off, c: y, d: 2024-05-01, e: 0755, f: "no" } } }`,
      'h',
    ).vars;
    expect(vars).toEqual({ a: true, b: false, c: 'y', d: '2024-05-01', e: 493, f: 'no' });
  });
});

describe('parseInventory: variable precedence', () => {
  const text = `
all:
  vars: { v: all, only_all: 1 }
  children:
    parent:
      vars: { v: parent }
      children:
        child:
          vars: { v: child }
          hosts:
            h1:
            h2: { v: host }
    zeta:
      vars: { v: zeta }
      hosts: { h3: }
    alpha:
      vars: { v: alpha }
      hosts: { h3: }
`;
  it.each([
    ['h1', 'child'],
    ['h2', 'host'],
    // Equal depth: groups apply by name, so the later name wins.
    ['h3', 'zeta'],
  ])('%s gets v=%s', (name, expected) => {
    expect(host(text, name).vars).toMatchObject({ v: expected, only_all: 1 });
  });

  it('orders by depth before name: a deeper group beats a later name', () => {
    const vars = host(
      `
all:
  children:
    a: { vars: { v: a }, children: { deep: { vars: { v: deep }, hosts: { h: } } } }
    zz: { vars: { v: zz }, hosts: { h: } }
`,
      'h',
    ).vars;
    expect(vars.v).toBe('deep');
  });

  it('lets ansible_group_priority reorder groups of equal depth and keeps it out of vars', () => {
    const inv = parse(`
all:
  children:
    alpha: { vars: { v: alpha, ansible_group_priority: 5 }, hosts: { h: } }
    zeta: { vars: { v: zeta }, hosts: { h: } }
`);
    expect(inv.hosts.get('h')!.vars).toEqual({ v: 'alpha' });
    expect(inv.groups.get('alpha')!.vars).toEqual({ v: 'alpha' });
  });

  it('merges a host listed in several groups, later definitions overriding', () => {
    const vars = host(
      `
a: { hosts: { h: { x: 1, y: 1 } } }
b: { hosts: { h: { y: 2, z: 2 } } }
`,
      'h',
    ).vars;
    expect(vars).toEqual({ x: 1, y: 2, z: 2 });
  });

  it('replaces dictionaries instead of deep-merging them', () => {
    const vars = host(
      `
all:
  vars: { limits: { a: 1, b: 1 } }
  hosts: { h: { limits: { b: 2 } } }
`,
      'h',
    ).vars;
    expect(vars.limits).toEqual({ b: 2 });
  });
});

describe('parseInventory: connection fields', () => {
  it('resolves ansible_* keys', () => {
    expect(
      host(
        `
all:
  hosts:
    h:
      ansible_host: 198.18.0.9
      ansible_port: "2200"
      ansible_user: deploy
      ansible_ssh_private_key_file: keys/h
      ansible_become: yes
      ansible_connection: ssh
`,
        'h',
      ),
    ).toMatchObject({
      address: '198.18.0.9',
      port: 2200,
      user: 'deploy',
      keyFile: 'keys/h',
      become: true,
      connection: 'ssh',
    });
  });

  it('resolves vsa keys and defaults', () => {
    expect(
      host(`all: { hosts: { h: { host: a.example, port: 2022, user: ops, key: k, become: true } } }`, 'h'),
    ).toMatchObject({
      address: 'a.example',
      port: 2022,
      user: 'ops',
      keyFile: 'k',
      become: true,
      connection: 'ssh',
    });
    const plain = host(`all: { hosts: { plain: } }`, 'plain');
    expect(plain).toMatchObject({ address: 'plain', port: 22, become: false, connection: 'ssh' });
    expect(plain.user).toBeUndefined();
  });

  it('takes each field from the most specific level, ansible_* first within one level', () => {
    const h = host(
      `
all:
  vars: { ansible_user: groupuser, ansible_become: true }
  hosts:
    h: { user: hostuser, become: false, host: short, ansible_host: long }
`,
      'h',
    );
    expect(h).toMatchObject({ user: 'hostuser', become: false, address: 'long' });
  });

  it('maps ansible_connection local', () => {
    expect(host(`all: { hosts: { localhost: { ansible_connection: local } } }`, 'localhost').connection).toBe(
      'local',
    );
  });
});
