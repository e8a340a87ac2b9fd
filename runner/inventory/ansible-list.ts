import { UsageError } from '../errors.js';
import type { Inventory } from './types.js';

export interface AnsibleGroupEntry {
  hosts?: string[];
  children?: string[];
}

/** The JSON of `ansible-inventory --list`: groups by name plus `_meta.hostvars`. */
export type AnsibleList = Record<string, AnsibleGroupEntry> & {
  _meta: { hostvars: Record<string, Record<string, unknown>> };
};

/**
 * What `ansible-inventory -i FILE --list` prints: every group reachable from `all` with its direct
 * hosts and children (`all` lists no hosts; empty keys and empty groups are left out, though a
 * parent still names them as children), and each host's merged variables when it has any.
 */
export function toAnsibleList(inv: Inventory): AnsibleList {
  const groups: Record<string, AnsibleGroupEntry> = {};
  const seen = new Set<string>();
  const visit = (name: string) => {
    const g = inv.groups.get(name)!;
    const entry: AnsibleGroupEntry = {};
    if (name !== 'all' && g.hosts.length) entry.hosts = [...g.hosts];
    if (g.children.length) entry.children = [...g.children];
    if (entry.hosts || entry.children) groups[name] = entry;
    for (const child of g.children) {
      if (!seen.has(child)) {
        seen.add(child);
        visit(child);
      }
    }
  };
  visit('all');

  const hostvars: Record<string, Record<string, unknown>> = {};
  for (const h of inv.hosts.values()) {
    if (Object.keys(h.vars).length) hostvars[h.name] = h.vars;
  }
  return { ...groups, _meta: { hostvars } } as AnsibleList;
}

/** JSON as ansible-inventory prints it (`sort_keys=True, indent=4`), so outputs diff cleanly. */
export function formatAnsibleJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v,
    4,
  );
}

/** What `ansible-inventory --graph [GROUP]` prints: the group tree with hosts under their groups. */
export function toAnsibleGraph(inv: Inventory, root = 'all'): string {
  if (!inv.groups.has(root)) throw new UsageError(`--graph takes a group name; '${root}' is not a group`);
  const lines: string[] = [];
  const name = (text: string, depth: number) => (depth ? '  |'.repeat(depth) + '--' + text : text);
  const visit = (group: string, depth: number) => {
    const g = inv.groups.get(group)!;
    lines.push(name(`@${group}:`, depth));
    for (const child of g.children) visit(child, depth + 1);
    if (group !== 'all') for (const h of g.hosts) lines.push(name(h, depth + 1));
  };
  visit(root, 0);
  return lines.join('\n');
}
