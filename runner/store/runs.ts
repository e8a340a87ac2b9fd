import type { Database, Statement } from 'better-sqlite3';
import type { HostStats, RunEndEvent, RunStartEvent, TaskRef, TaskResultEvent } from '../events/types.js';
import type { AuditEvents } from './audit-events.js';
import { RunNotFoundError } from './errors.js';
import { runStatus, type RunStatus } from './status.js';
import { pidAlive } from '../util/pid-alive.js';

/** What a beat learns: who asked to cancel the run, and how many times (0: nobody). */
export interface CancelRequest {
  by: string | null;
  requests: number;
}

/** How a cancel request went: asked (the run's process sees it at its next beat), or too late. */
export type CancelOutcome =
  | { asked: true; requests: number }
  | { asked: false; status: RunStatus; why: string };

/**
 * The write side of run history. Every call is one synchronous statement (or transaction), so a
 * run stopped by a signal loses nothing that was emitted before it.
 */
export class Runs {
  private readonly insertRun: Statement;
  private readonly insertHost: Statement;
  private readonly insertTask: Statement;
  private readonly startTask: Statement;
  private readonly endTask: Statement;
  private readonly finishRun: Statement;
  private readonly interruptRun: Statement;
  private readonly countTask: Record<keyof HostStats, Statement>;
  private readonly runInfo: Statement<[string], { actor: string; playbook: string }>;
  private readonly beat: Statement<[string, string], CancelRequest>;
  private readonly askCancel: Statement<Record<string, string>, { requests: number }>;
  private readonly cancelState: Statement<[string], { status: RunStatus; pid: number | null; by: string | null }>;

  constructor(
    private readonly db: Database,
    private readonly audit: AuditEvents,
  ) {
    this.insertRun = db.prepare(`INSERT INTO runs
      (id, playbook, params, actor, origin, check_mode, diff_mode, started_at, hosts, pid, heartbeat_at)
      VALUES (@runId, @playbook, @params, @actor, @origin, @check, @diff, @startedAt, @hosts, @pid, @heartbeatAt)`);
    this.insertHost = db.prepare('INSERT OR IGNORE INTO run_hosts (run_id, host) VALUES (?, ?)');
    this.insertTask = db.prepare(`INSERT INTO task_results
      (run_id, host, task, task_index, handler, status, duration_ms, round_trips, ignored, message, diff, data, time)
      VALUES (@runId, @host, @task, @taskIndex, @handler, @status, @durationMs, @roundTrips, @ignored, @message, @diff, @data, @time)`);
    this.startTask = db.prepare(`UPDATE run_hosts SET task = @task, task_index = @taskIndex, task_started_at = @time
      WHERE run_id = @runId AND host = @host`);
    this.endTask = db.prepare(`UPDATE run_hosts SET task = NULL, task_index = NULL, task_started_at = NULL
      WHERE run_id = @runId AND host = @host AND task_index = @taskIndex`);
    this.finishRun = db.prepare(`UPDATE runs SET ended_at = @endedAt, status = @status, exit_code = @exitCode,
      recap = @recap, error = @error WHERE id = @runId`);
    this.interruptRun = db.prepare(`UPDATE runs SET ended_at = @endedAt, status = 'interrupted', error = @error
      WHERE id = @runId AND status = 'running'`);
    const count = (c: keyof HostStats) => db.prepare(`UPDATE runs SET ${c} = ${c} + 1 WHERE id = ?`);
    this.countTask = {
      ok: count('ok'),
      changed: count('changed'),
      failed: count('failed'),
      skipped: count('skipped'),
      unreachable: count('unreachable'),
      ignored: count('ignored'),
    };
    this.runInfo = db.prepare('SELECT actor, playbook FROM runs WHERE id = ?');
    this.beat = db.prepare(`UPDATE runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'
      RETURNING cancelled_by AS by, cancel_requests AS requests`);
    this.askCancel = db.prepare(`UPDATE runs SET cancelled_by = coalesce(cancelled_by, @by), cancel_requests = cancel_requests + 1
      WHERE id = @runId AND status = 'running' RETURNING cancel_requests AS requests`);
    this.cancelState = db.prepare('SELECT status, pid, cancelled_by AS by FROM runs WHERE id = ?');
  }

  /**
   * `pid` is the process writing the run: a `running` run whose process is gone is marked
   * interrupted. Null for a run another machine pushed: no process here can vouch for it, and it
   * has no heartbeat either (its events come when its tasks end, which may take minutes).
   */
  start(e: RunStartEvent, pid: number | null = process.pid): void {
    this.db.transaction(() => {
      this.insertRun.run({
        ...e,
        params: JSON.stringify(e.params),
        check: e.check ? 1 : 0,
        diff: e.diff ? 1 : 0,
        hosts: JSON.stringify(e.hosts),
        pid,
        heartbeatAt: pid === null ? null : new Date().toISOString(),
      });
      for (const h of e.hosts) this.insertHost.run(e.runId, h);
      this.audit.add({
        time: e.startedAt,
        actor: e.actor,
        action: 'run:start',
        target: e.playbook,
        result: 'running',
        details: { origin: e.origin, params: e.params, hosts: e.hosts, check: e.check },
        runId: e.runId,
      });
    }).immediate();
  }

  /** What the host is doing now, until the task's result (the live view's progress). */
  taskStarted(e: TaskRef, time: string = new Date().toISOString()): void {
    this.startTask.run({ runId: e.runId, host: e.host, task: e.task, taskIndex: e.taskIndex, time });
  }

  /** Records a task result; a change or a failure is also an audit event. */
  task(e: TaskResultEvent, time: string = new Date().toISOString()): void {
    this.db.transaction(() => {
      this.endTask.run({ runId: e.runId, host: e.host, taskIndex: e.taskIndex });
      this.insertTask.run({
        ...e,
        handler: e.handler ? 1 : 0,
        ignored: e.ignored ? 1 : 0,
        message: e.message ?? null,
        diff: e.diff ?? null,
        data: e.data === undefined ? null : JSON.stringify(e.data),
        time,
      });
      this.countTask[e.status === 'failed' && e.ignored ? 'ignored' : e.status].run(e.runId);
      if (e.status !== 'changed' && e.status !== 'failed') return;
      this.audit.add({
        time,
        actor: this.started(e.runId).actor,
        action: `task:${e.status}`,
        target: e.host,
        result: e.status,
        details: { task: e.task, taskIndex: e.taskIndex, handler: e.handler, ignored: e.ignored, message: e.message },
        runId: e.runId,
      });
    }).immediate();
  }

  /** An interrupted run someone asked to cancel is recorded `cancelled`. */
  end(e: RunEndEvent): void {
    this.db.transaction(() => {
      const asked = this.cancelState.get(e.runId)?.by;
      const status = e.reason === 'interrupted' && asked ? 'cancelled' : runStatus(e.reason);
      this.finishRun.run({ ...e, status, recap: JSON.stringify(e.recap), error: e.error ?? null });
      const { actor, playbook } = this.started(e.runId);
      this.audit.add({
        time: e.endedAt,
        actor,
        action: 'run:end',
        target: playbook,
        result: status,
        details: { exitCode: e.exitCode, durationMs: e.durationMs, recap: e.recap, error: e.error },
        runId: e.runId,
      });
    }).immediate();
  }

  /** For the crash path: a run that will never see its `run:end`. No-op unless it is still running. */
  markInterrupted(runId: string, error = 'interrupted before the run ended'): boolean {
    const endedAt = new Date().toISOString();
    return this.db.transaction(() => {
      if (this.interruptRun.run({ runId, endedAt, error }).changes === 0) return false;
      const { actor, playbook } = this.started(runId);
      this.audit.add({
        time: endedAt,
        actor,
        action: 'run:end',
        target: playbook,
        result: 'interrupted',
        details: { error },
        runId,
      });
      return true;
    }).immediate();
  }

  /** Marks `running` runs whose writing process is gone as interrupted; returns their ids. */
  recoverOrphans(isAlive: (pid: number) => boolean = pidAlive): string[] {
    const running = this.db
      .prepare("SELECT id, pid FROM runs WHERE status = 'running'")
      .all() as { id: string; pid: number | null }[];
    return running
      .filter((r) => r.pid !== null && r.pid !== process.pid && !isAlive(r.pid))
      .filter((r) => this.markInterrupted(r.id, `process ${r.pid} ended without finishing the run`))
      .map((r) => r.id);
  }

  /**
   * The writing process is alive (see `recoverSilent`); answers with the run's cancel requests,
   * so the process learns of one at its next beat. Undefined once the run is no longer running.
   */
  heartbeat(runId: string, at: string = new Date().toISOString()): CancelRequest | undefined {
    return this.beat.get(at, runId);
  }

  /**
   * Asks a running run to stop; the first asker is the one recorded. Only a run written by a
   * process on this store's machine can be asked: a pushed run (no pid) beats nowhere here.
   */
  requestCancel(runId: string, by: string, time: string = new Date().toISOString()): CancelOutcome {
    return this.db.transaction((): CancelOutcome => {
      const run = this.cancelState.get(runId);
      if (!run) throw new RunNotFoundError(runId);
      if (run.status !== 'running') return { asked: false, status: run.status, why: `run ${runId} already ended (${run.status})` };
      if (run.pid === null)
        return { asked: false, status: run.status, why: `run ${runId} was pushed from another machine: cancel it there` };
      const { requests } = this.askCancel.get({ runId, by })!;
      this.audit.add({
        time,
        actor: by,
        action: 'run:cancel',
        target: this.started(runId).playbook,
        result: requests > 1 ? 'asked again' : 'asked',
        details: { requests },
        runId,
      });
      return { asked: true, requests };
    }).immediate();
  }

  /**
   * Marks `running` runs whose process stopped beating `staleMs` ago as interrupted; returns their
   * ids. Judged by the store alone, so any reader can do it, on any machine or in a container
   * whose process ids are not the runner's.
   */
  recoverSilent(staleMs: number, now: number = Date.now()): string[] {
    const cutoff = new Date(now - staleMs).toISOString();
    const silent = this.db
      .prepare("SELECT id, pid, heartbeat_at AS beat FROM runs WHERE status = 'running' AND heartbeat_at < ?")
      .all(cutoff) as { id: string; pid: number | null; beat: string }[];
    return silent
      .filter((r) => this.markInterrupted(r.id, `process ${r.pid ?? '?'} stopped without finishing the run (last heartbeat ${r.beat})`))
      .map((r) => r.id);
  }

  /** Who started the run and which playbook it runs, for its audit lines. */
  private started(runId: string): { actor: string; playbook: string } {
    return this.runInfo.get(runId) ?? { actor: 'unknown', playbook: 'unknown' };
  }
}
