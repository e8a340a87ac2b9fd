import { randomUUID } from 'node:crypto';
import type { Connector } from '../connection/types.js';
import type { EventBus } from '../events/bus.js';
import type { Origin, Recap, RunEndEvent } from '../events/types.js';
import { UsageError } from '../errors.js';
import type { InventoryHost } from '../inventory/types.js';
import { buildTasks } from '../playbook/build-tasks.js';
import type { PlaybookDef } from '../playbook/types.js';
import { mapLimit } from '../util/limiter.js';
import { batches } from './batches.js';
import type { ModuleResolver } from './pending-actions.js';
import { hostContext, runHost, type HostLocker } from './run-host.js';
import { checkHaltOptions, PlayHalt } from './play-halt.js';
import { oneAtATimePerMachine } from './same-machine.js';
import type { TaskOutcome } from './run-task.js';
import { selectTasks, type TaskFilter } from './select-tasks.js';
import { verdict } from './stats.js';

export interface PlayOptions extends TaskFilter {
  forks: number;
  check: boolean;
  diff: boolean;
  extraVars: Record<string, unknown>;
  signal?: AbortSignal;
}

export interface PlayRun {
  playbook: PlaybookDef;
  /** Where the playbook was loaded from, for messages (its name when absent). */
  source?: string;
  /** Params already validated against the playbook's schema. */
  params: Record<string, unknown>;
  hosts: InventoryHost[];
  connect: Connector;
  lock?: HostLocker;
  /** Finds the module of a pending action that no handler of this play stands for. */
  resolveModule?: ModuleResolver;
  bus: EventBus;
  options: PlayOptions;
  actor: string;
  origin: Origin;
  runId?: string;
}

/**
 * Runs a play on its hosts: `forks` at once, `serial` batches one after another, and stops starting
 * hosts or tasks once the signal is aborted. Emits every event from run:start to run:end.
 */
export async function runPlay(run: PlayRun): Promise<RunEndEvent> {
  const { playbook, options, bus } = run;
  const { tasks: all, handlers } = buildTasks(
    playbook,
    run.params,
    run.source,
    run.hosts.map((h) => hostContext(h, options.extraVars)),
  );
  const tasks = selectTasks(all, options);
  checkNotify(tasks, handlers);
  const rescue = options.check ? [] : (playbook.rescue?.(run.params) ?? []);
  checkHosts(run);
  checkHaltOptions(playbook);

  const runId = run.runId ?? randomUUID();
  const t0 = performance.now();
  bus.emit('run:start', {
    runId,
    playbook: playbook.name,
    params: run.params,
    hosts: run.hosts.map((h) => h.name),
    check: options.check,
    diff: options.diff,
    actor: run.actor,
    origin: run.origin,
    startedAt: new Date().toISOString(),
  });

  const recap: Recap = {};
  const onMachine = oneAtATimePerMachine(run.hosts);
  let halted = false;
  for (const batch of batches(run.hosts, playbook.serial)) {
    if (options.signal?.aborted || halted) break;
    const halt = new PlayHalt(playbook, batch.length);
    // `runOnce` tasks run once per batch: the first host to reach one runs it for all.
    const once = new Map<number, { host: string; outcome: Promise<TaskOutcome> }>();
    const results = await mapLimit(batch, options.forks, (host) =>
      // A name waiting for its machine starts only if the run was not stopped meanwhile.
      onMachine(host, async () => {
        if (options.signal?.aborted) return undefined;
        const stats = await runHost({
          runId,
          actor: run.actor,
          host,
          tasks,
          handlers,
          rescue,
          extraVars: options.extraVars,
          connect: run.connect,
          lock: run.lock,
          resolveModule: run.resolveModule,
          bus,
          check: options.check,
          diff: options.diff,
          become: playbook.become ?? host.become,
          signal: options.signal,
          halt,
          once,
        });
        recap[host.name] = stats;
        return stats;
      }),
    );
    halted = halt.signal.aborted;
    // As Ansible: when every host of a batch failed, later batches are not started.
    if (results.every((s) => s && (s.failed > 0 || s.unreachable > 0))) break;
  }

  const { exitCode, reason } = verdict(recap, options.signal?.aborted ?? false);
  const end: RunEndEvent = {
    runId,
    reason,
    exitCode,
    recap,
    durationMs: Math.round(performance.now() - t0),
    endedAt: new Date().toISOString(),
  };
  bus.emit('run:end', end);
  return end;
}

function checkHosts({ playbook, params, hosts, options }: PlayRun): void {
  for (const h of hosts) {
    const why = playbook.checkHost?.(params, { ...h.vars, ...options.extraVars }, h.name);
    if (why) throw new UsageError(`${h.name}: ${why}`);
  }
}

function checkNotify(tasks: { name: string; notify?: string[] }[], handlers: { name: string }[]): void {
  const names = new Set(handlers.map((h) => h.name));
  for (const t of tasks) {
    for (const n of t.notify ?? []) {
      if (!names.has(n)) throw new UsageError(`task "${t.name}" notifies "${n}", which is not a handler of this playbook`);
    }
  }
}
