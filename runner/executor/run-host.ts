import type { HostLease } from '../connection/host-lock.js';
import type { Connection, Connector, ExecOptions } from '../connection/types.js';
import type { EventBus } from '../events/bus.js';
import type { HostStats } from '../events/types.js';
import { describeError, UnreachableError } from '../errors.js';
import type { InventoryHost } from '../inventory/types.js';
import { FactCache } from '../module/fact-cache.js';
import { HostReads } from '../playbook/host-reads.js';
import type { HostContext, Task } from '../playbook/types.js';
import { PendingLedger, type ModuleResolver } from './pending-actions.js';
import type { PlayHalt } from './play-halt.js';
import { runTask, type TaskOutcome } from './run-task.js';
import { emptyStats } from '../events/schema.js';
import { count } from './stats.js';

/** Takes the host's lock for the run; resolves with the lease (the host's pending actions, the release). */
export type HostLocker = (conn: Connection, host: InventoryHost) => Promise<HostLease>;

export interface HostRun {
  runId: string;
  /** Who started the run (run:start's actor), for what tasks record on the host. */
  actor?: string;
  host: InventoryHost;
  tasks: Task[];
  handlers: Task[];
  /** Run when the host's tasks stop part way (a failure or an interrupt); see PlaybookDef.rescue. */
  rescue?: Task[];
  extraVars: Record<string, unknown>;
  connect: Connector;
  lock?: HostLocker;
  /** Finds the module of a pending action that no handler of this play stands for. */
  resolveModule?: ModuleResolver;
  bus: EventBus;
  check: boolean;
  diff: boolean;
  become: boolean;
  signal?: AbortSignal;
  /** The play's stop rule (`anyErrorsFatal`, `maxFailPercentage`): told of this host's failure, obeyed before each task. */
  halt?: PlayHalt;
  /** Outcomes of the batch's `runOnce` tasks by task index, with the host that ran each. */
  once?: Map<number, { host: string; outcome: Promise<TaskOutcome> }>;
}

/** Counts round trips so each task result can say what it cost. */
class CountingConnection implements Connection {
  trips = 0;
  constructor(private readonly inner: Connection) {}
  get host() {
    return this.inner.host;
  }
  exec(cmd: Parameters<Connection['exec']>[0], opts?: ExecOptions) {
    this.trips++;
    return this.inner.exec(cmd, opts);
  }
  put(...a: Parameters<Connection['put']>) {
    this.trips++;
    return this.inner.put(...a);
  }
  get(p: string) {
    this.trips++;
    return this.inner.get(p);
  }
  close() {
    return this.inner.close();
  }
}

/** What a host's tasks see before the first of them ran. */
export function hostContext(
  host: InventoryHost,
  extraVars: Record<string, unknown>,
  run?: HostContext['run'],
): HostContext {
  // As in Ansible, `inventory_hostname` is always there for templates and conditions.
  const vars = { ...host.vars, inventory_hostname: host.name, ...extraVars };
  return { name: host.name, vars, results: {}, reads: new HostReads(host.name), ...(run ? { run } : {}) };
}

/**
 * One host through the play: its tasks in order, then the handlers it notified and the actions
 * earlier runs left pending on it. A failure stops this host only; an interrupt stops it before
 * its next task. Handlers that did not run stay pending on the host for its next run.
 */
export async function runHost(run: HostRun): Promise<HostStats> {
  const { bus, runId, host } = run;
  const stats = emptyStats();
  bus.emit('host:start', { runId, host: host.name });
  const h = hostContext(host, run.extraVars, { id: runId, actor: run.actor ?? '' });
  let conn: CountingConnection | undefined;
  let lease: HostLease | undefined;
  let ledger: PendingLedger | undefined;
  const report = (task: Pick<Task, 'name' | 'hostState'>, index: number, handler: boolean, o: TaskOutcome, ms: number, trips: number) => {
    count(stats, o);
    bus.emit('task:result', {
      runId,
      host: host.name,
      task: task.name,
      taskIndex: index,
      handler,
      status: o.status,
      durationMs: Math.round(ms),
      message: o.message,
      diff: run.diff ? o.diff : undefined,
      roundTrips: trips,
      ...(o.ignored ? { ignored: true } : {}),
      ...(task.hostState && o.status !== 'failed' && o.status !== 'unreachable' ? { hostState: true } : {}),
      data: o.data,
    });
  };

  try {
    const first = run.tasks[0];
    const started = performance.now();
    try {
      conn = new CountingConnection(await run.connect(host, run.signal));
      lease = await run.lock?.(conn, host);
    } catch (err) {
      const status = err instanceof UnreachableError ? 'unreachable' : 'failed';
      if (first) report(first, 0, false, { status, message: describeError(err) }, performance.now() - started, 0);
      else stats[status]++;
      run.halt?.hostFailed(host.name);
      return stats;
    }
    const facts = new FactCache(conn, () => ({ become: run.become }));
    const pending = lease && new PendingLedger(lease, run.become);
    ledger = pending;
    const env = {
      conn,
      facts,
      check: run.check,
      diff: run.diff,
      become: run.become,
      beforeWrite: pending && ((task: Task, become: boolean) => pending.recordBeforeWrite(task, run.handlers, h, become)),
    };
    const notified = new Set<string>();

    let unreachable = false;
    const play = async (list: Task[], offset: number, handler: boolean, evenIfAborted = false): Promise<boolean> => {
      for (const [i, task] of list.entries()) {
        if (run.signal?.aborted && !evenIfAborted) return false;
        if (run.halt?.signal.aborted) {
          report(task, offset + i, handler, { status: 'skipped', message: run.halt.reason }, 0, 0);
          return false;
        }
        bus.emit('task:start', { runId, host: host.name, task: task.name, taskIndex: offset + i, handler });
        const t0 = performance.now();
        const trips0 = conn!.trips;
        const shared = task.runOnce && !handler && run.once;
        const { outcome: o, taken } = shared
          ? await runOnce(shared, offset + i, host.name, () => runTask(task, h, env))
          : { outcome: await runTask(task, h, env), taken: undefined };
        report(task, offset + i, handler, o, performance.now() - t0, conn!.trips - trips0);
        const own = taken ?? o;
        const kept = { ...own, status: own.status === 'unreachable' ? 'failed' : own.status };
        if (task.register) h.results[task.register] = kept;
        task.keep?.(kept, h);
        if (o.status === 'changed') task.notify?.forEach((n) => notified.add(n));
        if (o.status === 'unreachable') unreachable = true;
        if (handler && o.status !== 'failed' && o.status !== 'unreachable') ledger?.done(task, h);
        if (o.status === 'unreachable' || (o.status === 'failed' && !o.ignored)) {
          run.halt?.hostFailed(host.name);
          return false;
        }
      }
      return true;
    };

    if (!(await play(run.tasks, 0, false))) {
      // A lost connection leaves nothing to run the rescue on; the next run repairs instead.
      const rescue = run.rescue ?? [];
      if (rescue.length && !unreachable) {
        await play(rescue, run.tasks.length + run.handlers.length, false, true);
      }
      return stats;
    }
    const due = run.handlers.filter((t) => notified.has(t.name) || pending?.isPending(t, h));
    const left = pending?.orphans(run.handlers, h, (name) => run.resolveModule?.(name) ?? moduleOf([...run.tasks, ...run.handlers], name));
    for (const a of left?.unknown ?? []) {
      const message = `pending from an earlier run: module ${a.module} is not known to this run, so it stays pending`;
      report({ name: a.handler }, run.tasks.length, true, { status: 'skipped', message }, 0, 0);
    }
    await play([...due, ...(left?.tasks ?? [])], run.tasks.length, true);
    return stats;
  } finally {
    await lease?.release(ledger?.remaining()).catch(() => undefined);
    await conn?.close().catch(() => undefined);
    bus.emit('host:end', { runId, host: host.name, stats });
  }
}

/**
 * A `runOnce` task: the first host to reach it runs it; the others wait for that outcome and take
 * it as theirs (`taken`, for register and keep), reported as `skipped`, or `failed` when it
 * failed there.
 */
async function runOnce(
  table: NonNullable<HostRun['once']>,
  index: number,
  host: string,
  run: () => Promise<TaskOutcome>,
): Promise<{ outcome: TaskOutcome; taken?: TaskOutcome }> {
  const ran = table.get(index);
  if (!ran) {
    const outcome = run();
    table.set(index, { host, outcome });
    return { outcome: await outcome };
  }
  const o = await ran.outcome;
  const failed = o.status === 'unreachable' || (o.status === 'failed' && !o.ignored);
  const what = o.ignored ? 'ignored' : o.status;
  return {
    outcome: {
      status: failed ? 'failed' : 'skipped',
      message: `runOnce: ${failed ? 'failed' : 'ran'} on ${ran.host} (${what})${o.message ? `: ${o.message}` : ''}`,
    },
    taken: o,
  };
}

const moduleOf = (tasks: readonly Task[], name: string) => tasks.find((t) => t.module.name === name)?.module;
