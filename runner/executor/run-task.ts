import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from '../connection/types.js';
import { describeError, UnreachableError } from '../errors.js';
import { unknownArgs } from '../module/arg-names.js';
import { runModule } from '../module/run-module.js';
import type { FactCache } from '../module/fact-cache.js';
import type { Outcome } from '../module/types.js';
import type { HostContext, Task } from '../playbook/types.js';
import type { TaskStatus } from '../events/types.js';
import type { Command } from '../shell/command.js';
import { describeZodError } from '../util/zod-message.js';

export interface TaskEnv {
  conn: Connection;
  facts: FactCache;
  check: boolean;
  diff: boolean;
  /** The play's `become`, overridden per task. */
  become: boolean;
  /** What must run before `task` changes the host, in the same round trip (its handlers' record). */
  beforeWrite?: (task: Task, become: boolean) => Command | undefined;
}

export interface TaskOutcome extends Omit<Outcome, 'status'> {
  status: TaskStatus;
  ignored?: boolean;
}

/** One task on one host: `when`, arguments, retries/until, changedWhen/failedWhen, ignoreErrors. */
export async function runTask(task: Task, h: HostContext, env: TaskEnv): Promise<TaskOutcome> {
  let params: unknown;
  try {
    if (task.when && !task.when(h)) return { status: 'skipped', message: 'condition false' };
    const raw = typeof task.args === 'function' ? (task.args as (h: HostContext) => unknown)(h) : task.args;
    const unknown = unknownArgs(task.module, raw);
    if (unknown) return { status: 'failed', message: `task "${task.name}": ${unknown}` };
    const parsed = task.module.params.safeParse(raw);
    if (!parsed.success) return { status: 'failed', message: describeZodError(parsed.error, `${task.module.name} arguments`) };
    params = parsed.data;
  } catch (err) {
    return { status: 'failed', message: describeError(err) };
  }

  const attempts = (task.retries ?? 0) + 1;
  let outcome: Outcome = { status: 'failed' };
  let done = false;
  const become = task.become ?? env.become;
  const beforeWrite = env.beforeWrite && (() => env.beforeWrite!(task, become));
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      outcome = await runModule({
        module: task.module,
        params,
        conn: env.conn,
        facts: env.facts,
        ctx: { host: h.name, vars: h.vars, check: env.check, diff: env.diff, facts: env.facts },
        exec: { become, timeoutMs: task.timeoutMs },
        beforeWrite,
      });
    } catch (err) {
      if (err instanceof UnreachableError) return { status: 'unreachable', message: err.message };
      outcome = { status: 'failed', message: describeError(err) };
    }
    done = task.until ? task.until(outcome, h) : outcome.status !== 'failed';
    if (done || attempt === attempts) break;
    if (task.delayMs) await sleep(task.delayMs);
  }
  if (task.until && !done && outcome.status !== 'failed') {
    outcome = { ...outcome, status: 'failed', message: `condition not met after ${attempts} attempt(s)` };
  }
  return applyOverrides(task, outcome, h);
}

function applyOverrides(task: Task, outcome: Outcome, h: HostContext): TaskOutcome {
  let status: TaskStatus = outcome.status;
  if (task.failedWhen && status !== 'skipped') {
    if (task.failedWhen(outcome, h)) status = 'failed';
    else if (status === 'failed') status = 'ok';
  }
  if (task.changedWhen && status !== 'failed' && status !== 'skipped') {
    status = task.changedWhen(outcome, h) ? 'changed' : 'ok';
  }
  const result: TaskOutcome = { ...outcome, status };
  if (status === 'failed' && task.ignoreErrors) result.ignored = true;
  return result;
}
