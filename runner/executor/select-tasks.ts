import { UsageError } from '../errors.js';
import type { Task } from '../playbook/types.js';

export interface TaskFilter {
  tags?: string[];
  skipTags?: string[];
  startAtTask?: string;
}

/**
 * Applies `--tags`, `--skip-tags` and `--start-at-task` as Ansible does: `always` runs unless
 * skipped by name, `never` runs only when asked by tag, untagged tasks run only without `--tags`.
 */
export function selectTasks(tasks: readonly Task[], filter: TaskFilter): Task[] {
  let list = [...tasks];
  if (filter.startAtTask) {
    const at = list.findIndex((t) => t.name === filter.startAtTask);
    if (at < 0) throw new UsageError(`--start-at-task: no task named "${filter.startAtTask}"`);
    list = list.slice(at);
  }
  const want = new Set(filter.tags ?? []);
  const skip = new Set(filter.skipTags ?? []);
  return list.filter((t) => {
    const tags = new Set(t.tags ?? []);
    if ([...tags].some((x) => skip.has(x))) return false;
    if (tags.has('never') && ![...tags].some((x) => want.has(x))) return false;
    if (want.size === 0 || want.has('all')) return true;
    if (tags.has('always')) return true;
    return [...tags].some((x) => want.has(x)) || (want.has('untagged') && tags.size === 0);
  });
}
