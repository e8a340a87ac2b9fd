import { InventoryError } from '../errors.js';
import { groupsByHost, type Draft, type DraftGroup, type DraftHost } from './build.js';
import { connectionKeys, HostConnectionSchema, type HostConnection } from './schema.js';
import type { Inventory, InventoryGroup, InventoryHost } from './types.js';
import type { YamlPath, YamlSource } from './yaml-source.js';

type Layer = DraftGroup | DraftHost;

/** Turns the graph into the runner's Inventory: merged variables and connection fields per host. */
export function resolveInventory(draft: Draft, src: YamlSource, source: string): Inventory {
  const depth = depths(draft);
  const memberOf = groupsByHost(draft);
  const precedence = (a: DraftGroup, b: DraftGroup) =>
    depth(a.name) - depth(b.name) ||
    a.priority - b.priority ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

  const hosts = new Map<string, InventoryHost>();
  for (const h of draft.hosts.values()) {
    const groups = [...memberOf(h.name)].map((n) => draft.groups.get(n)!).sort(precedence);
    const layers: Layer[] = [...groups, h];
    // Ansible's default `hash_behaviour = replace`: a later level replaces a whole value, dicts included.
    const vars = structuredClone(Object.assign({}, ...layers.map((l) => l.vars)));
    hosts.set(h.name, {
      name: h.name,
      ...connection(h.name, layers, (message, path) => {
        throw new InventoryError(message, source, src.lineOf(path));
      }),
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
  return { source, hosts, groups };
}

/**
 * Each field comes from the most specific level that sets any of its names (so a host's `user`
 * beats a group's `ansible_user`); within one level the `ansible_*` name wins.
 */
function connection(
  name: string,
  layers: Layer[],
  fail: (message: string, path: YamlPath) => never,
): HostConnection {
  const raw: Record<string, unknown> = {};
  const origin = new Map<string, { key: string; path: YamlPath }>();
  for (const [field, keys] of Object.entries(connectionKeys)) {
    for (const layer of [...layers].reverse()) {
      const key = keys.find((k) => k in layer.vars);
      if (key === undefined) continue;
      // An empty value (`ansible_user:`) unsets the field, as Ansible's None does.
      raw[field] = layer.vars[key] ?? undefined;
      origin.set(field, { key, path: layer.varPaths.get(key) ?? [] });
      break;
    }
  }
  raw.address ??= name;
  const parsed = HostConnectionSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const from = origin.get(String(issue.path[0]));
  return fail(`${from?.key ?? String(issue.path[0])} of host '${name}': ${issue.message}`, from?.path ?? []);
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
