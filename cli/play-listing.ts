import type { InventoryHost } from '../runner/inventory/types.js';
import type { PlaybookDef, Task } from '../runner/playbook/types.js';

/** Ansible's run controls that print the play instead of running it. */
export type ListingKind = 'hosts' | 'tasks' | 'tags';

export interface PlayListing {
  playbook: PlaybookDef & { file: string };
  hosts: readonly InventoryHost[];
  /** The tasks `--tags`, `--skip-tags` and `--start-at-task` leave. */
  tasks: readonly Task[];
}

/**
 * What `--list-hosts`, `--list-tasks` and `--list-tags` print, in ansible-playbook's layout: the
 * playbook, then the play with its pattern, then the asked-for lists, indented.
 */
export function renderListing(p: PlayListing, kinds: ReadonlySet<ListingKind>): string {
  const lines = [`playbook: ${p.playbook.file}`, '', `  play #1 (${p.playbook.hosts}): ${p.playbook.name}`];
  if (kinds.has('hosts')) {
    lines.push(`    pattern: ${p.playbook.hosts}`, `    hosts (${p.hosts.length}):`, ...p.hosts.map((h) => `      ${h.name}`));
  }
  if (kinds.has('tasks')) {
    lines.push('    tasks:', ...p.tasks.map((t) => `      ${t.name}\tTAGS: [${(t.tags ?? []).join(', ')}]`));
  }
  if (kinds.has('tags')) {
    const tags = [...new Set(p.tasks.flatMap((t) => t.tags ?? []))].sort();
    lines.push(`    TASK TAGS: [${tags.join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}
