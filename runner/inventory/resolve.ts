import { InventoryError } from '../errors.js';
import { failAt, groupsByHost, type Draft, type DraftGroup, type Origin } from './draft.js';
import { connectionKeys, HostConnectionSchema, type HostConnection } from './schema.js';
import { isVaulted } from '../vault/vaulted.js';
import type { Inventory, InventoryGroup, InventoryHost } from './types.js';

/** One level of variables, with where each came from. */
export interface Layer {
  vars: Record<string, unknown>;
  varOrigins: Map<string, Origin>;
}

/** `group_vars/` and `host_vars/` of one folder (see vars-dir.ts). */
export interface VarsFolder {
  group(name: string): Layer[];
  host(name: string): Layer[];
  /** The values of files read so far that were vault-encrypted whole. */
  secrets(): string[];
}

/** Where `group_vars/` and `host_vars/` are read: beside each inventory source, then the playbook. */
export interface VarsFolders {
  inventory: VarsFolder[];
  playbook: VarsFolder[];
}

const none: VarsFolders = { inventory: [], playbook: [] };

/**
 * Turns the graph into the runner's Inventory: merged variables and connection fields per host,
 * in the order of Ansible's VariableManager (its default `VARIABLE_PRECEDENCE`): `all`'s vars,
 * the other groups' vars, `group_vars/all` beside the inventory then the playbook, the other
 * groups' `group_vars/` files likewise, the host's vars, then its `host_vars/` files.
 */
export function resolveInventory(draft: Draft, source: string, folders: VarsFolders = none): Inventory {
  const depth = depths(draft);
  const memberOf = groupsByHost(draft);
  const precedence = (a: DraftGroup, b: DraftGroup) =>
    depth(a.name) - depth(b.name) ||
    a.priority - b.priority ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const filesOf = (list: VarsFolder[], names: string[], pick: 'group' | 'host') =>
    list.flatMap((f) => names.flatMap((n) => f[pick](n)));

  const hosts = new Map<string, InventoryHost>();
  for (const h of draft.hosts.values()) {
    const groups = [...memberOf(h.name)].map((n) => draft.groups.get(n)!).sort(precedence);
    const others = groups.filter((g) => g.name !== 'all').map((g) => g.name);
    const layers: Layer[] = [
      ...groups,
      ...filesOf(folders.inventory, ['all'], 'group'),
      ...filesOf(folders.playbook, ['all'], 'group'),
      ...filesOf(folders.inventory, others, 'group'),
      ...filesOf(folders.playbook, others, 'group'),
      h,
      ...filesOf(folders.inventory, [h.name], 'host'),
      ...filesOf(folders.playbook, [h.name], 'host'),
    ];
    // Ansible's default `hash_behaviour = replace`: a later level replaces a whole value, dicts included.
    const vars = structuredClone(Object.assign({}, ...layers.map((l) => l.vars)));
    hosts.set(h.name, {
      name: h.name,
      ...connection(h.name, layers, source),
      vars,
      groups: groups.map((g) => g.name),
    });
  }

  const groups = new Map<string, InventoryGroup>();
  for (const g of draft.groups.values()) {
    groups.set(g.name, {
      name: g.name,
      hosts: [...g.hosts],
      children: [...g.children],
      vars: structuredClone(g.vars),
    });
  }
  const secrets = [...folders.inventory, ...folders.playbook].flatMap((f) => f.secrets());
  return { source, hosts, groups, secrets };
}

/**
 * Each field comes from the most specific level that sets any of its names (so a host's `user`
 * beats a group's `ansible_user`); within one level the `ansible_*` name wins.
 */
function connection(
  name: string,
  layers: Layer[],
  source: string,
): HostConnection & Pick<InventoryHost, 'sealed'> {
  const raw: Record<string, unknown> = {};
  const sealed: NonNullable<InventoryHost['sealed']> = {};
  const origin = new Map<string, { key: string; at?: Origin }>();
  for (const [field, keys] of Object.entries(connectionKeys)) {
    for (const layer of [...layers].reverse()) {
      const key = keys.find((k) => k in layer.vars);
      if (key === undefined) continue;
      // Decrypted only for the play's hosts, by revealVault: the merged vars hold this level's value under `key`.
      if (isVaulted(layer.vars[key])) sealed[field as keyof HostConnection] = key;
      // An empty value (`ansible_user:`) unsets the field, as Ansible's None does.
      else raw[field] = layer.vars[key] ?? undefined;
      origin.set(field, { key, at: layer.varOrigins.get(key) });
      break;
    }
  }
  raw.address ??= name;
  const parsed = HostConnectionSchema.safeParse(raw);
  if (parsed.success) return Object.keys(sealed).length ? { ...parsed.data, sealed } : parsed.data;
  const issue = parsed.error.issues[0]!;
  const from = origin.get(String(issue.path[0]));
  const message = `${from?.key ?? String(issue.path[0])} of host '${name}': ${issue.message}`;
  if (from?.at) failAt(message, from.at);
  throw new InventoryError(message, source);
}

/** Ansible's group depth: the longest path from `all`, which orders variable precedence. */
function depths(draft: Draft): (group: string) => number {
  const memo = new Map<string, number>();
  const depth = (name: string): number => {
    let d = memo.get(name);
    if (d === undefined) {
      const parents = draft.groups.get(name)!.parents;
      d = parents.length ? Math.max(...parents.map((p) => depth(p) + 1)) : 0;
      memo.set(name, d);
    }
    return d;
  };
  return depth;
}
