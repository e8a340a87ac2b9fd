import { HostReads } from '../../../runner/playbook/host-reads.js';
import type { HostContext, PlaybookDef, Task } from '../../../runner/playbook/types.js';
import { validateParams } from '../../../runner/playbook/params.js';

/** A host whose earlier reads found `state` (parsed values, set on its `HostReads`). */
export function hostCtx(
  state: (r: HostReads) => HostReads = (r) => r,
  vars: Record<string, unknown> = {},
): HostContext {
  return { name: 'web01', vars, results: {}, reads: state(new HostReads('web01')) };
}

export function tasksOf(pb: PlaybookDef, vars: Record<string, unknown>): Task[] {
  return pb.tasks(validateParams(pb, vars));
}

/** Arguments as the executor computes them, parsed by the module's schema (defaults applied). */
export function argsOf(t: Task, h: HostContext = hostCtx()): Record<string, unknown> {
  const raw = typeof t.args === 'function' ? (t.args as (h: HostContext) => unknown)(h) : t.args;
  return t.module.params.parse(raw) as Record<string, unknown>;
}

export const summary = (tasks: Task[]) => tasks.map((t) => [t.module.name, t.name]);
