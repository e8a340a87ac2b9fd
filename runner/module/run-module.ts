import type { Connection, ExecOptions } from '../connection/types.js';
import { chain, type Command } from '../shell/command.js';
import { batch } from './batch.js';
import type { FactCache } from './fact-cache.js';
import type { AnyModule, ModuleContext, Outcome } from './types.js';

export interface ModuleRun {
  module: AnyModule;
  /** Params already validated against the module's schema. */
  params: unknown;
  conn: Connection;
  facts: FactCache;
  ctx: ModuleContext;
  exec: ExecOptions;
  /** A command to run first in the write step's round trip, asked for only when the step runs. */
  beforeWrite?: () => Command | undefined;
}

/**
 * Read → plan → write. Missing facts and the probe share one round trip; the write step is one
 * more, and is skipped in check mode unless the module declares it read-only.
 */
export async function runModule({ module, params, conn, facts, ctx, exec, beforeWrite }: ModuleRun): Promise<Outcome> {
  const probe = module.read?.(params, ctx);
  const needed = facts.missing(module.facts ?? []);
  let state: unknown;
  if (probe || needed.length > 0) {
    const reads = batch([...needed.map((f) => f.command), ...(probe ? [probe.command] : [])]);
    const parts = reads.split(await conn.exec(reads.command, exec));
    needed.forEach((f, i) => facts.store(f, f.parse(parts[i]!)));
    if (probe) state = probe.parse(parts[needed.length]!);
  }

  const plan = await module.plan(params, state, ctx);
  if (plan.fail) return { status: 'failed', message: plan.fail, diff: plan.diff, data: plan.data };
  if (plan.skip) return { status: 'skipped', message: plan.skip, data: plan.data };
  if (plan.commands.length === 0) return { status: 'ok', message: plan.message, data: plan.data };
  if (ctx.check && !module.runInCheckMode?.(params)) {
    return { status: 'changed', message: plan.message ?? 'would change', diff: plan.diff, data: plan.data };
  }

  const first = beforeWrite?.();
  const res = await conn.exec(chain(first ? [first, ...plan.commands] : plan.commands), exec);
  if (plan.result) return { diff: plan.diff, ...plan.result(res) };
  if (res.code === 0) return { status: 'changed', message: plan.message, diff: plan.diff, data: plan.data };
  return {
    status: 'failed',
    message: res.stderr.trim() || res.stdout.trim() || `exit code ${res.code}`,
    diff: plan.diff,
    data: { ...plan.data, rc: res.code },
  };
}
