import { InventoryError } from '../errors.js';
import { parseAddress } from './address.js';
import { expandHostRange, hasRange, HostRangeError } from './host-range.js';
import type { GroupData, InventoryFile } from './schema.js';
import type { YamlPath, YamlSource } from './yaml-source.js';

type Vars = Record<string, unknown>;

/** Where each variable was set, so a bad value can be reported at its line. */
export type VarPaths = Map<string, YamlPath>;

export interface DraftGroup {
  name: string;
  /** In file order; a Set so that adding a host stays constant-time in a group of 100,000. */
  hosts: Set<string>;
  children: string[];
  parents: string[];
  vars: Vars;
  varPaths: VarPaths;
  /** `ansible_group_priority`: orders groups of equal depth before their names do. */
  priority: number;
}

export interface DraftHost {
  name: string;
  vars: Vars;
  varPaths: VarPaths;
}

/** The inventory graph as Ansible's YAML plugin builds it, before variables are merged. */
export interface Draft {
  groups: Map<string, DraftGroup>;
  hosts: Map<string, DraftHost>;
}

/**
 * Walks the validated file in document order, the way Ansible's `yaml` inventory plugin does:
 * groups and hosts are created on first sight, later definitions add to them and override
 * variables, and groups without a parent end up under `all`.
 */
export function buildDraft(file: InventoryFile, src: YamlSource, source: string): Draft {
  const draft: Draft = { groups: new Map(), hosts: new Map() };
  const fail = (message: string, path: YamlPath): never => {
    throw new InventoryError(message, source, src.lineOf(path));
  };

  const group = (name: string): DraftGroup => {
    let g = draft.groups.get(name);
    if (!g) {
      g = { name, hosts: new Set(), children: [], parents: [], vars: {}, varPaths: new Map(), priority: 1 };
      draft.groups.set(name, g);
    }
    return g;
  };

  const ancestors = (name: string, acc = new Set<string>()): Set<string> => {
    for (const p of group(name).parents) if (!acc.has(p)) ancestors(p, acc.add(p));
    return acc;
  };

  const addChild = (parent: string, child: string, path: YamlPath) => {
    if (child === 'all') fail(`group '${parent}' cannot have 'all' as a child`, path);
    if (child === parent || ancestors(parent).has(child)) {
      fail(`group '${child}' cannot be a child of '${parent}': '${child}' would be its own ancestor`, path);
    }
    const p = group(parent);
    const c = group(child);
    if (!p.children.includes(child)) p.children.push(child);
    if (!c.parents.includes(parent)) c.parents.push(parent);
  };

  const addHost = (name: string, groupName: string, port: number | undefined, path: YamlPath) => {
    let h = draft.hosts.get(name);
    if (!h) {
      // Like Ansible, a `name:port` key sets the port only where the host first appears.
      h = { name, vars: {}, varPaths: new Map() };
      if (port !== undefined) setVar(h, 'ansible_port', port, path);
      draft.hosts.set(name, h);
    }
    group(groupName).hosts.add(name);
    return h;
  };

  const hostNames = (key: string, path: YamlPath): { names: string[]; port?: number } => {
    if (!key.trim()) fail('a host needs a name', path);
    const addr = parseAddress(key);
    const name = addr?.host ?? key;
    try {
      return { names: hasRange(name) ? expandHostRange(name) : [name], port: addr?.port };
    } catch (e) {
      if (e instanceof HostRangeError) return fail(e.message, path);
      throw e;
    }
  };

  const parseGroup = (name: string, data: GroupData | null, path: YamlPath) => {
    const g = group(name);
    if (!data) return;
    // Sections in the order the file lists them, as Ansible reads them.
    for (const section of Object.keys(data) as (keyof GroupData)[]) {
      const here = [...path, section];
      if (section === 'vars') {
        for (const [k, v] of Object.entries(data.vars ?? {})) {
          if (k === 'ansible_group_priority') g.priority = priority(v, [...here, k]);
          else setVar(g, k, v, [...here, k]);
        }
      } else if (section === 'children') {
        for (const [child, childData] of Object.entries(data.children ?? {})) {
          parseGroup(child, childData, [...here, child]);
          addChild(name, child, [...here, child]);
        }
      } else if (section === 'hosts') {
        for (const [key, hostVars] of Object.entries(data.hosts ?? {})) {
          const { names, port } = hostNames(key, [...here, key]);
          for (const hostName of names) {
            const h = addHost(hostName, name, port, [...here, key]);
            for (const [k, v] of Object.entries(hostVars ?? {})) setVar(h, k, v, [...here, key, k]);
          }
        }
      }
    }
  };

  const priority = (v: unknown, path: YamlPath): number => {
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    return typeof n === 'number' && Number.isInteger(n)
      ? n
      : fail(`ansible_group_priority must be an integer`, path);
  };

  group('all');
  addChild('all', 'ungrouped', []);
  for (const [name, data] of Object.entries(file)) parseGroup(name, data, [name]);
  adoptOrphans(draft, addChild);
  return draft;
}

function setVar(target: DraftGroup | DraftHost, key: string, value: unknown, path: YamlPath) {
  target.vars[key] = value;
  target.varPaths.set(key, path);
}

/** Ansible's `reconcile_inventory`: parentless groups join `all`, group-less hosts join `ungrouped`. */
function adoptOrphans(draft: Draft, addChild: (p: string, c: string, path: YamlPath) => void) {
  for (const g of draft.groups.values()) {
    if (g.name !== 'all' && g.parents.length === 0) addChild('all', g.name, [g.name]);
  }
  const ungrouped = draft.groups.get('ungrouped')!;
  const memberOf = groupsByHost(draft);
  for (const host of draft.hosts.keys()) {
    const others = [...memberOf(host)].filter((g) => g !== 'all' && g !== 'ungrouped');
    if (others.length) ungrouped.hosts.delete(host);
    else ungrouped.hosts.add(host);
  }
}

/** Every group a host is in, directly or through a child group, `all` included. */
export function groupsByHost(draft: Draft): (host: string) => Set<string> {
  const direct = new Map<string, string[]>();
  for (const g of draft.groups.values()) {
    for (const h of g.hosts) {
      const list = direct.get(h);
      if (list) list.push(g.name);
      else direct.set(h, [g.name]);
    }
  }
  return (host) => {
    const out = new Set<string>();
    const visit = (name: string) => {
      if (out.has(name)) return;
      out.add(name);
      for (const p of draft.groups.get(name)!.parents) visit(p);
    };
    for (const g of direct.get(host) ?? []) visit(g);
    return out;
  };
}
