import { parseAddress } from './address.js';

/**
 * Host-pattern syntax as Ansible reads it (inventory/manager.py): how a pattern string splits into
 * terms, the order terms apply in, and the `[i]` / `[a:b]` subscripts on a term.
 */

/** `a,b` splits on commas; else `a:b` on colons, except inside `[...]` or in an address like `fe80::1`. */
export function splitPattern(pattern: string): string[] {
  let terms: string[];
  if (pattern.includes(',')) terms = pattern.split(',');
  else if (parseAddress(pattern)) terms = [pattern];
  else terms = pattern.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? [];
  return terms.map((t) => t.trim()).filter(Boolean);
}

/**
 * Whether `--limit NAME` names exactly the host `name`: no separator, set operator, glob, regex,
 * subscript or `@file` reading, no whitespace. A bare address (`fe80::1`) is one term too.
 */
export function isLiteralHostName(name: string): boolean {
  if (!name || /\s/.test(name) || /[,&!*?~[\]]/.test(name) || name.startsWith('@')) return false;
  return !name.includes(':') || parseAddress(name) !== undefined;
}

/** Plain terms first, then `&` intersections, then `!` exclusions; only modifiers means `all` first. */
export function orderTerms(terms: string[]): string[] {
  const plain = terms.filter((t) => !t.startsWith('&') && !t.startsWith('!'));
  return [
    ...(plain.length ? plain : ['all']),
    ...terms.filter((t) => t.startsWith('&')),
    ...terms.filter((t) => t.startsWith('!')),
  ];
}

export type Subscript = { index: number } | { start: number; end: number | undefined };

const withSubscript = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)[:-]([0-9]*))\]$/;

/** `web[0]`, `web[-1]`, `web[1:3]`, `web[2:]`; regex terms (`~…`) never carry one. */
export function splitSubscript(term: string): { expr: string; subscript?: Subscript } {
  const m = term.startsWith('~') ? null : withSubscript.exec(term);
  if (!m) return { expr: term };
  if (m[2] !== undefined) return { expr: m[1]!, subscript: { index: Number(m[2]) } };
  return {
    expr: m[1]!,
    subscript: { start: Number(m[3]), end: m[4] ? Number(m[4]) : undefined },
  };
}

/** Applies a subscript like Python does; undefined when an index falls outside the list. */
export function applySubscript<T>(items: T[], s: Subscript | undefined): T[] | undefined {
  if (!s || !items.length) return items;
  if ('start' in s) {
    // Ansible quirk kept on purpose: an end of 0 (`web[2:0]`) selects the single item at start.
    if (s.end === 0) return pick(items, s.start);
    return items.slice(s.start, s.end === undefined ? undefined : s.end + 1);
  }
  return pick(items, s.index);
}

function pick<T>(items: T[], i: number): T[] | undefined {
  return i >= items.length || i < -items.length ? undefined : [items.at(i)!];
}
