import { z } from 'zod';
import { describeError, UsageError } from '../errors.js';
import { MAX_TIMER_MS } from '../util/bounds.js';
import { describeZodError } from '../util/zod-message.js';
import type { PlaybookDef, Task } from './types.js';

const timer = `must be at most ${MAX_TIMER_MS} ms (about 24.8 days, what a timer holds)`;

/** A task's own numbers: each becomes a timer or a loop on the control machine. Other keys pass. */
const TaskTimingSchema = z.object({
  timeoutMs: z.number().int().min(1).max(MAX_TIMER_MS, timer).optional(),
  delayMs: z.number().int().min(0).max(MAX_TIMER_MS, timer).optional(),
  retries: z.number().int().min(0).max(1000).optional(),
});

/**
 * The play's tasks and handlers for its params. They are built before any host is touched, so a
 * throw in `tasks()` or a task option out of range is bad input (exit 5) naming the playbook.
 */
export function buildTasks(
  playbook: PlaybookDef,
  params: Record<string, unknown>,
  source = playbook.name,
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
  }
  return { tasks, handlers };
}
