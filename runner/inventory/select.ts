import picomatch from 'picomatch';
import { InventoryError, UsageError } from '../errors.js';
import { applySubscript, orderTerms, splitPattern, splitSubscript } from './pattern.js';
import type { Inventory, InventoryHost } from './types.js';

export interface PatternMatch {
  /** Matching hosts in inventory order, each once. */
  hosts: InventoryHost[];
  /** Terms that named no host or group (Ansible warns "Could not match supplied host pattern"). */
  unmatched: string[];
}

/**
 * Evaluates an Ansible host pattern: names, groups, `all`/`*`, globs, `~regex`, `a:b` / `a,b`
 * unions, `&` intersections, `!` exclusions and `[i]` / `[a:b]` subscripts.
 */
export function matchPattern(inv: Inventory, pattern: string): PatternMatch {
  // A Set keeps first-seen order and makes each step linear in the inventory's size.
  let hosts = new Set<string>();
  const unmatched: string[] = [];
  for (const term of orderTerms(splitPattern(pattern))) {
    if (inv.hosts.has(term)) {
      hosts.add(term);
      continue;
    }
    const found = matchTerm(inv, term.replace(/^[&!]/, ''));
    if (found.unmatched) unmatched.push(term);
    const set = new Set(found.hosts);
    if (term.startsWith('!')) hosts = new Set([...hosts].filter((h) => !set.has(h)));
    else if (term.startsWith('&')) hosts = new Set([...hosts].filter((h) => set.has(h)));
    else for (const h of found.hosts) hosts.add(h);
  }
  return { hosts: [...hosts].map((h) => inv.hosts.get(h)!), unmatched };
}

/** The hosts a pattern selects; an empty list when nothing matched (see `matchPattern` for why). */
export function selectHosts(inv: Inventory, pattern: string): InventoryHost[] {
  return matchPattern(inv, pattern).hosts;
}

/**
 * `--limit` on top of a play's hosts: keeps those the limit pattern also selects, in play order.
 * A term naming no host or group is a typo more often than not, so it fails (exit 5).
 */
export function limitHosts(inv: Inventory, hosts: InventoryHost[], limit: string): InventoryHost[] {
  const m = matchPattern(inv, limit);
  if (m.unmatched.length) {
    const names = m.unmatched.map((t) => `'${t.replace(/^[&!]/, '')}'`).join(', ');
    throw new InventoryError(`--limit ${limit}: no host or group matches ${names}`, inv.source);
  }
  const keep = new Set(m.hosts.map((h) => h.name));
  return hosts.filter((h) => keep.has(h.name));
}

/** Ansible's `_match_one_pattern`: groups whose name matches, else (or for globs) hosts. */
function matchTerm(inv: Inventory, term: string): { hosts: string[]; unmatched: boolean } {
  const { expr, subscript } = splitSubscript(term);
  const test = hostMatcher(expr);
  const groups = [...inv.groups.keys()].filter(test);
  const hosts = new Set(groups.flatMap((g) => hostsOfGroup(inv, g)));
  if (!groups.length || expr.startsWith('~') || /[.?*[]/.test(expr)) {
    for (const h of inv.hosts.keys()) if (test(h)) hosts.add(h);
  }
  const unique = [...hosts];
  const picked = applySubscript(unique, subscript);
  if (!picked) throw new UsageError(`no hosts matched the subscripted pattern '${term}'`);
  return { hosts: picked, unmatched: !unique.length && !groups.length && expr !== 'all' };
}

/** One host pattern term as `--limit` reads it: a name, an fnmatch glob, or `~regex`. */
export function hostMatcher(expr: string): (name: string) => boolean {
  if (expr.startsWith('~')) {
    let re: RegExp;
    try {
      // Python's re.match: anchored at the start only.
      re = new RegExp(`^(?:${expr.slice(1)})`);
    } catch {
      throw new UsageError(`invalid host pattern regex: ${expr}`);
    }
    return (name) => re.test(name);
  }
  // A plain name (`all`, `web`, `web1.example.com`) matches only itself: no glob to compile, which
  // costs milliseconds on every run's start.
  if (/^[\w.:-]+$/.test(expr)) return (name) => name === expr;
  // fnmatch semantics: `*` and `?` match any character (dots included), `[!x]` negates.
  const glob = picomatch(expr, {
    dot: true,
    posix: true,
    nobrace: true,
    noextglob: true,
    noglobstar: true,
  });
  return (name) => glob(name);
}

/**
 * A group's hosts as Ansible lists them: the group and its descendants breadth first, each
 * group's own hosts in file order. (Ansible walks the levels below the first through a set, so
 * deeper order may vary there between runs; here it follows the file.)
 */
function hostsOfGroup(inv: Inventory, name: string): string[] {
  const order = [name];
  const seen = new Set(order);
  for (let i = 0; i < order.length; i++) {
    for (const child of inv.groups.get(order[i]!)!.children) {
      if (!seen.has(child)) {
        seen.add(child);
        order.push(child);
      }
    }
  }
  return [...new Set(order.flatMap((g) => inv.groups.get(g)!.hosts))];
}
