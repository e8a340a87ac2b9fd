import { InventoryError } from '../../errors.js';
import { setVar, type Draft, type Origin, type SourceFile } from '../draft.js';
import { hostNames } from '../host-names.js';
import { pythonLiteral } from './py-literal.js';
import { shlexSplit } from './shlex.js';

const section = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const groupName = /^([^:\]\s]+)\s*(?:#.*)?$/;

interface Pending {
  line: number;
  state: 'vars' | 'children';
  parents: string[];
}

/**
 * Adds an INI inventory to the draft as Ansible's `ini` plugin reads it: `[group]` sections of
 * host lines (`name key=value…`), `[group:vars]` of `key=value` lines, `[group:children]` of
 * group names; values are Python literals where they parse as one. A `:vars` or `:children`
 * section may name a group declared further down; one never declared is an error, as in Ansible.
 */
export function addIniInventory(draft: Draft, text: string, source: string): void {
  const file: SourceFile = { source, lineOf: (path) => Number(path[0]) };
  const pending = new Map<string, Pending>();
  let group = 'ungrouped';
  let state = 'hosts';
  const lines = text.split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const at: Origin = { file, path: [String(lineNo)] };
    const fail = (message: string): never => {
      throw new InventoryError(message, source, lineNo);
    };
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const m = section.exec(line);
    if (m) {
      group = m[1]!;
      state = m[2] ?? 'hosts';
      if (!['hosts', 'children', 'vars'].includes(state)) fail(`section [${m[1]}:${m[2]}] has unknown type: ${state}`);
      if (!draft.groups.has(group)) {
        if (state === 'vars' && !pending.has(group)) pending.set(group, { line: lineNo, state: 'vars', parents: [] });
        draft.group(group);
      }
      const p = pending.get(group);
      if (p && state !== 'vars') {
        if (p.state === 'children') addPendingChildren(draft, group, pending, at);
        else pending.delete(group);
      }
      return;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      fail(`invalid section entry: '${line}': a section name has no spaces or other invalid characters`);
    }
    if (state === 'hosts') {
      let tokens: string[];
      try {
        tokens = shlexSplit(line);
      } catch (e) {
        return fail(`cannot parse host definition '${line}': ${(e as Error).message}`);
      }
      const pattern = tokens[0]!;
      const { names, port } = hostNames(pattern, at);
      if (pattern.endsWith(':') && port === undefined) {
        fail(`invalid host pattern '${pattern}': a ':' at the end is reserved for a port`);
      }
      if (names.some((n) => n.trim() === '---')) fail(`invalid host pattern '${pattern}': '---' is a sign this is a YAML file`);
      const vars = tokens.slice(1).map((t) => {
        const eq = t.indexOf('=');
        if (eq < 0) fail(`expected key=value host variable assignment, got: ${t}`);
        return [t.slice(0, eq), pythonLiteral(t.slice(eq + 1))] as const;
      });
      for (const name of names) {
        const h = draft.addHost(name, group, port, at);
        for (const [k, v] of vars) setVar(h, k, v, at);
      }
    } else if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) fail(`expected key=value, got: ${line}`);
      draft.setGroupVar(group, line.slice(0, eq).trim(), pythonLiteral(line.slice(eq + 1).trim()), at);
    } else {
      const child = groupName.exec(line)?.[1] ?? fail(`expected a group name, got: ${line}`);
      if (draft.groups.has(child)) draft.addChild(group, child, at);
      else {
        const p = pending.get(child);
        if (p) p.parents.push(group);
        else pending.set(child, { line: lineNo, state: 'children', parents: [group] });
      }
    }
  });
  for (const [name, p] of pending) {
    const what = p.state === 'vars' ? `section [${name}:vars] is for an undefined group` : `section [${p.parents.at(-1)}:children] includes an undefined group`;
    throw new InventoryError(`${what}: ${name}`, source, p.line);
  }
}

function addPendingChildren(draft: Draft, group: string, pending: Map<string, Pending>, at: Origin): void {
  for (const parent of pending.get(group)!.parents) {
    draft.addChild(parent, group, at);
    if (pending.get(parent)?.state === 'children') addPendingChildren(draft, parent, pending, at);
  }
  pending.delete(group);
}
