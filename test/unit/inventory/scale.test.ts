import { describe, expect, it } from 'vitest';
import { InventoryError } from '../../../runner/errors.js';
import { limitHosts, parseInventory, selectHosts } from '../../../runner/inventory/index.js';

const GROUPS = 50;

/** An inventory of `hosts` hosts in `groups` groups, ~120 bytes a host (87,696 hosts make 10 MB). */
function inventoryText(hosts: number, groups = GROUPS): string {
  const out = ['all:', '  vars:', '    ansible_user: deploy', '  children:'];
  const perGroup = Math.ceil(hosts / groups);
  for (let g = 0; g < groups; g++) {
    out.push(`    g${g}:`, '      vars:', `        rack: r${g}`, '      hosts:');
    for (let i = g * perGroup; i < Math.min(hosts, (g + 1) * perGroup); i++) {
      const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      out.push(`        host-${i}.example.test:`, `          ansible_host: ${ip}`, `          role: worker-${i % 7}`, `          team: platform-${g}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** Loads and selects the way a run does (pattern, then --limit), returning the CPU time taken. */
function loadAndSelect(text: string): { ms: number; selected: number } {
  const t0 = process.cpuUsage();
  const inv = parseInventory(text, 'big.yml');
  const play = selectHosts(inv, 'all:!g0');
  const limited = limitHosts(inv, play, 'g1:g2:&host-*');
  const d = process.cpuUsage(t0);
  expect(inv.hosts.size).toBeGreaterThan(0);
  return { ms: (d.user + d.system) / 1000, selected: limited.length };
}

describe('a large inventory loads in time linear in its size', () => {
  it('loads a ~10 MB inventory of 87,696 hosts, with the groups and variables of each host', () => {
    const text = inventoryText(87_696);
    expect(text.length).toBeGreaterThan(9_500_000);
    const inv = parseInventory(text, 'big.yml');
    expect(inv.hosts.size).toBe(87_696);
    expect(inv.groups.get('g49')!.hosts).toHaveLength(87_696 - 49 * Math.ceil(87_696 / GROUPS));
    expect(inv.hosts.get('host-87695.example.test')).toMatchObject({
      address: '10.1.86.143',
      user: 'deploy',
      vars: { rack: 'r49', role: 'worker-6', team: 'platform-49' },
    });
    expect(selectHosts(inv, 'all:!g0')).toHaveLength(87_696 - Math.ceil(87_696 / GROUPS));
  }, 120_000);

  it('a duplicate key is still an error naming the key and its line', () => {
    const text = `${inventoryText(20_000)}        host-19999.example.test:\n`;
    const lines = text.split('\n').length - 1;
    let err: unknown;
    try {
      parseInventory(text, 'big.yml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InventoryError);
    expect((err as InventoryError).message).toBe(
      `big.yml:${lines}: duplicate key 'host-19999.example.test': map keys must be unique`,
    );
  });

  it('four times the hosts cost about four times as much (a quadratic step would cost sixteen)', () => {
    // Three groups: most hosts share one mapping, where a pairwise key check would show.
    const small = inventoryText(5_000, 3);
    const large = inventoryText(20_000, 3);
    loadAndSelect(small); // warm the JIT up first
    const best = (text: string) => Math.min(...[0, 1].map(() => loadAndSelect(text).ms));
    const one = best(small);
    const four = best(large);
    expect(loadAndSelect(large).selected).toBe(20_000 - Math.ceil(20_000 / 3));
    expect(four / one).toBeLessThan(9);
  }, 120_000);
});
