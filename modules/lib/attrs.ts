import { argv, type Command } from '../../runner/shell/command.js';
import type { FileState } from './file-state.js';

/** Owner and group by name or numeric id; mode as four octal digits. */
export interface Attrs {
  owner?: string;
  group?: string;
  mode?: string;
}

export interface AttrChange {
  attr: 'owner' | 'group' | 'mode';
  from?: string;
  to: string;
}

/** The attributes of an existing path that differ from the wanted ones. */
export function attrChanges(state: FileState, want: Attrs): AttrChange[] {
  const out: AttrChange[] = [];
  if (want.owner !== undefined && want.owner !== state.owner && want.owner !== String(state.uid)) {
    out.push({ attr: 'owner', from: state.owner, to: want.owner });
  }
  if (want.group !== undefined && want.group !== state.group && want.group !== String(state.gid)) {
    out.push({ attr: 'group', from: state.group, to: want.group });
  }
  if (want.mode !== undefined && want.mode !== state.mode)
    out.push({ attr: 'mode', from: state.mode, to: want.mode });
  return out;
}

/** chown, chgrp, then chmod (chown clears setuid bits), each only for a changed attribute. */
export function attrCommands(path: string, changes: readonly AttrChange[], recursive = false): Command[] {
  const tool = { owner: 'chown', group: 'chgrp', mode: 'chmod' } as const;
  const order = ['owner', 'group', 'mode'] as const;
  return order.flatMap((attr) => {
    const c = changes.find((x) => x.attr === attr);
    return c ? [argv(tool[attr], ...(recursive ? ['-R'] : []), '--', c.to, path)] : [];
  });
}

export function describeChanges(changes: readonly AttrChange[]): string {
  return changes.map((c) => `${c.attr} ${c.from ?? '(none)'} → ${c.to}`).join(', ');
}
