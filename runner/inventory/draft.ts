import { InventoryError } from '../errors.js';

type Vars = Record<string, unknown>;

/** A file an inventory or its variables came from, and a way from a place in it to its line. */
export interface SourceFile {
  source: string;
  lineOf(path: readonly string[]): number | undefined;
}

/** Where a value was set: a file and a path in it (YAML keys; for INI the line number). */
export interface Origin {
  file: SourceFile;
  path: readonly string[];
}

export function failAt(message: string, at: Origin): never {
  throw new InventoryError(message, at.file.source, at.file.lineOf(at.path));
}

export interface DraftGroup {
  name: string;
  /** In file order; a Set so that adding a host stays constant-time in a group of 100,000. */
  hosts: Set<string>;
  children: string[];
  parents: string[];
  vars: Vars;
  varOrigins: Map<string, Origin>;
  /** `ansible_group_priority`: orders groups of equal depth before their names do. */
  priority: number;
}

export interface DraftHost {
  name: string;
  vars: Vars;
  varOrigins: Map<string, Origin>;
}

/**
 * The inventory graph as Ansible's InventoryData holds it while its sources are parsed, one after
 * the other into the same graph: groups and hosts are created on first sight, later definitions
 * add to them and override variables.
 */
export class Draft {
  readonly groups = new Map<string, DraftGroup>();
  readonly hosts = new Map<string, DraftHost>();

  constructor() {
    this.group('all');
    this.addChild('all', 'ungrouped');
  }

  group(name: string): DraftGroup {
    let g = this.groups.get(name);
    if (!g) {
      g = { name, hosts: new Set(), children: [], parents: [], vars: {}, varOrigins: new Map(), priority: 1 };
      this.groups.set(name, g);
    }
    return g;
  }

  addChild(parent: string, child: string, at?: Origin): void {
    const fail = (message: string) => (at ? failAt(message, at) : new InventoryError(message));
    if (child === 'all') throw fail(`group '${parent}' cannot have 'all' as a child`);
    if (child === parent || this.ancestors(parent).has(child)) {
      throw fail(`group '${child}' cannot be a child of '${parent}': '${child}' would be its own ancestor`);
    }
    const p = this.group(parent);
    const c = this.group(child);
    if (!p.children.includes(child)) p.children.push(child);
    if (!c.parents.includes(parent)) c.parents.push(parent);
  }

  /** Like Ansible, a `name:port` sets the port only where the host first appears. */
  addHost(name: string, groupName: string, port: number | undefined, at: Origin): DraftHost {
    let h = this.hosts.get(name);
    if (!h) {
      h = { name, vars: {}, varOrigins: new Map() };
      if (port !== undefined) setVar(h, 'ansible_port', port, at);
      this.hosts.set(name, h);
    }
    this.group(groupName).hosts.add(name);
    return h;
  }

  /** A group variable; `ansible_group_priority` is the group's precedence, not a variable. */
  setGroupVar(name: string, key: string, value: unknown, at: Origin): void {
    const g = this.group(name);
    if (key !== 'ansible_group_priority') return setVar(g, key, value, at);
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n)) failAt('ansible_group_priority must be an integer', at);
    g.priority = n;
  }

  /** Ansible's `reconcile_inventory`: parentless groups join `all`, group-less hosts join `ungrouped`. */
  reconcile(): void {
    for (const g of this.groups.values()) {
      if (g.name !== 'all' && g.parents.length === 0) this.addChild('all', g.name);
    }
    const ungrouped = this.groups.get('ungrouped')!;
    const memberOf = groupsByHost(this);
    for (const host of this.hosts.keys()) {
      const others = [...memberOf(host)].filter((g) => g !== 'all' && g !== 'ungrouped');
      if (others.length) ungrouped.hosts.delete(host);
      else ungrouped.hosts.add(host);
    }
  }

  private ancestors(name: string, acc = new Set<string>()): Set<string> {
    for (const p of this.group(name).parents) if (!acc.has(p)) this.ancestors(p, acc.add(p));
    return acc;
  }
}

export function setVar(target: DraftGroup | DraftHost, key: string, value: unknown, at: Origin): void {
  target.vars[key] = value;
  target.varOrigins.set(key, at);
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
