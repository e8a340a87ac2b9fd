import { z } from 'zod';
import { describeError, UsageError } from '../errors.js';
import { unknownArgs } from '../module/arg-names.js';
import { MAX_TIMER_MS } from '../util/bounds.js';
import { describeZodError } from '../util/zod-message.js';
import type { HostContext, PlaybookDef, Task } from './types.js';

const timer = `must be at most ${MAX_TIMER_MS} ms (about 24.8 days, what a timer holds)`;

/** A task's own numbers: each becomes a timer or a loop on the control machine. Other keys pass. */
const TaskTimingSchema = z.object({
  timeoutMs: z.number().int().min(1).max(MAX_TIMER_MS, timer).optional(),
  delayMs: z.number().int().min(0).max(MAX_TIMER_MS, timer).optional(),
  retries: z.number().int().min(0).max(1000).optional(),
});

/**
 * The play's tasks and handlers for its params. They are built before any host is touched, so a
 * throw in `tasks()`, a task option out of range or a module argument that does not exist is bad
 * input (exit 5) naming the playbook and the task. Arguments given as closures are tried on the
 * hosts' contexts (`hosts`) as they stand before the first task.
 */
export function buildTasks(
  playbook: PlaybookDef,
  params: Record<string, unknown>,
  source = playbook.name,
  hosts: readonly HostContext[] = [],
): { tasks: Task[]; handlers: Task[] } {
  const build = (what: 'tasks' | 'handlers', fn: () => Task[]): Task[] => {
    try {
      return fn();
    } catch (err) {
      // A playbook's own refusal of its input already names the cause.
      if (err instanceof UsageError) throw err;
      throw new UsageError(`playbook ${source}: ${what}() threw: ${describeError(err)}`, { cause: err });
    }
  };
  const tasks = build('tasks', () => playbook.tasks(params));
  const handlers = build('handlers', () => playbook.handlers?.(params) ?? []);
  for (const t of [...tasks, ...handlers]) {
    const checked = TaskTimingSchema.safeParse(t);
    if (!checked.success)
      throw new UsageError(describeZodError(checked.error, `playbook ${source}: task "${t.name}"`));
    const wrong = argsProblem(t, hosts);
    if (wrong) throw new UsageError(`playbook ${source}: task "${t.name}": ${wrong}`);
  }
  return { tasks, handlers };
}

/**
 * Fixed arguments are checked in full. A closure may need what earlier tasks found (it throws
 * then, and is checked when it runs); the first host it answers for shows its argument names.
 */
function argsProblem(t: Task, hosts: readonly HostContext[]): string | undefined {
  if (typeof t.args !== 'function') {
    const parsed = t.module.params.safeParse(t.args);
    return unknownArgs(t.module, t.args) ?? (parsed.success ? undefined : describeZodError(parsed.error, `${t.module.name} arguments`));
  }
  for (const h of hosts) {
    let args: unknown;
    try {
      args = (t.args as (h: HostContext) => unknown)(h);
    } catch {
      continue;
    }
    return unknownArgs(t.module, args);
  }
  return undefined;
}
