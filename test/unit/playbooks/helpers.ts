import type { Outcome } from '../../../runner/module/types.js';
import type { HostContext, PlaybookDef, Task } from '../../../runner/playbook/types.js';
import { validateParams } from '../../../runner/playbook/params.js';

export function hostCtx(
  results: Record<string, Outcome> = {},
  vars: Record<string, unknown> = {},
): HostContext {
  return { name: 'web01', vars, results };
}

/** A registered read: what a `readTask` leaves for later tasks. */
export const read = (stdout: string): Outcome => ({ status: 'ok', data: { rc: 0, stdout, stderr: '' } });

export function tasksOf(pb: PlaybookDef, vars: Record<string, unknown>): Task[] {
  return pb.tasks(validateParams(pb, vars));
}

/** Arguments as the executor computes them, parsed by the module's schema (defaults applied). */
export function argsOf(t: Task, h: HostContext = hostCtx()): Record<string, unknown> {
  const raw = typeof t.args === 'function' ? (t.args as (h: HostContext) => unknown)(h) : t.args;
  return t.module.params.parse(raw) as Record<string, unknown>;
}

export const summary = (tasks: Task[]) => tasks.map((t) => [t.module.name, t.name]);
