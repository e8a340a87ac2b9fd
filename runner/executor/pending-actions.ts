import { z } from 'zod';
import type { HostLease } from '../connection/host-lock.js';
import type { Command } from '../shell/command.js';
import type { AnyModule } from '../module/types.js';
import type { HostContext, Task } from '../playbook/types.js';

/**
 * A notified handler that has not run yet, as the host keeps it beside its lock: the module and
 * the arguments it runs with, so any later run of any playbook can run it
 * (docs/adr/0008-host-lock-and-pending-actions.md). One JSON object a line.
 */
const pendingActionSchema = z.object({
  /** The handler's name when it was notified, for the report. */
  handler: z.string().min(1),
  module: z.string().min(1),
  params: z.unknown(),
  become: z.boolean(),
});
export type PendingAction = z.infer<typeof pendingActionSchema>;

/** Resolves a module by name for an action that the current playbook does not define. */
export type ModuleResolver = (name: string) => AnyModule | undefined;

/** Keys sorted at every level: one action, one identity, whatever order its params came in. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, canonical(x)]));
  }
  return v;
}

/** Two actions are one when they run the same module with the same arguments and privilege. */
const identity = (a: PendingAction) => JSON.stringify([a.module, canonical(a.params), a.become]);

/** The action a handler stands for on this host now, or undefined when its arguments do not parse. */
export function actionOf(handler: Task, h: HostContext, playBecome: boolean): PendingAction | undefined {
  try {
    const raw = typeof handler.args === 'function' ? (handler.args as (h: HostContext) => unknown)(h) : handler.args;
    const parsed = handler.module.params.safeParse(raw);
    if (!parsed.success) return undefined;
    return { handler: handler.name, module: handler.module.name, params: parsed.data, become: handler.become ?? playBecome };
  } catch {
    return undefined;
  }
}

/** Lines from the host that are no valid action are dropped: nothing could run them. */
export function decodeActions(lines: readonly string[]): PendingAction[] {
  return lines.flatMap((l) => {
    try {
      const r = pendingActionSchema.safeParse(JSON.parse(l));
      return r.success ? [r.data] : [];
    } catch {
      return [];
    }
  });
}

/**
 * One host's pending actions during a run: those earlier runs left, those this run's writes
 * notified. An action goes on record before the write that notifies it (in the same round trip)
 * and leaves the record once it has run; the release writes what is left.
 */
export class PendingLedger {
  private readonly outstanding = new Map<string, PendingAction>();
  private readonly fromHost: number;
  private changed = false;

  constructor(
    private readonly lease: HostLease,
    private readonly playBecome: boolean,
  ) {
    for (const a of decodeActions(lease.pending)) this.outstanding.set(identity(a), a);
    this.fromHost = lease.pending.length;
    this.changed = this.outstanding.size !== this.fromHost;
  }

  /** The command that puts the handlers `task` notifies on record, when any is new; undefined otherwise. */
  recordBeforeWrite(task: Task, handlers: readonly Task[], h: HostContext, become: boolean): Command | undefined {
    const added = (task.notify ?? [])
      .flatMap((name) => handlers.filter((t) => t.name === name))
      .flatMap((t) => actionOf(t, h, this.playBecome) ?? [])
      .filter((a) => !this.outstanding.has(identity(a)));
    if (added.length === 0) return undefined;
    for (const a of added) this.outstanding.set(identity(a), a);
    this.changed = true;
    return this.lease.recordPending(this.lines(), become);
  }

  /** Whether `handler` stands for an action still outstanding on this host. */
  isPending(handler: Task, h: HostContext): boolean {
    const a = actionOf(handler, h, this.playBecome);
    return a !== undefined && this.outstanding.has(identity(a));
  }

  /**
   * The outstanding actions no handler of this play stands for, as tasks (modules found with
   * `resolve`), and those whose module is unknown to this run: they stay pending.
   */
  orphans(handlers: readonly Task[], h: HostContext, resolve: ModuleResolver): { tasks: Task[]; unknown: PendingAction[] } {
    const covered = new Set(handlers.flatMap((t) => actionOf(t, h, this.playBecome) ?? []).map(identity));
    const tasks: Task[] = [];
    const unknown: PendingAction[] = [];
    for (const [id, a] of this.outstanding) {
      if (covered.has(id)) continue;
      const module = resolve(a.module);
      if (module) tasks.push({ name: a.handler, module, args: a.params, become: a.become });
      else unknown.push(a);
    }
    return { tasks, unknown };
  }

  /** `handler` ran (ok, changed or skipped): its action leaves the record. */
  done(handler: Task, h: HostContext): void {
    const a = actionOf(handler, h, this.playBecome);
    if (a && this.outstanding.delete(identity(a))) this.changed = true;
  }

  /** What the release leaves on the host: undefined when that is what it holds already. */
  remaining(): string[] | undefined {
    return this.changed ? this.lines() : undefined;
  }

  private lines(): string[] {
    return [...this.outstanding.values()].map((a) => JSON.stringify(a));
  }
}
