import type { Database, Statement } from 'better-sqlite3';
import type { HostStats, RunEndEvent, RunStartEvent, TaskResultEvent } from '../events/types.js';
import type { AuditEvents } from './audit-events.js';
import { runStatus } from './status.js';
import { pidAlive } from '../util/pid-alive.js';

/**
 * The write side of run history. Every call is one synchronous statement (or transaction), so a
 * run stopped by a signal loses nothing that was emitted before it.
 */
export class Runs {
  private readonly insertRun: Statement;
  private readonly insertHost: Statement;
  private readonly insertTask: Statement;
  private readonly finishRun: Statement;
  private readonly interruptRun: Statement;
  private readonly countTask: Record<keyof HostStats, Statement>;
  private readonly runInfo: Statement<[string], { actor: string; playbook: string }>;
  private readonly beat: Statement;

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
    this.beat = db.prepare("UPDATE runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'");
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
    })();
  }

  /** Records a task result; a change or a failure is also an audit event. */
  task(e: TaskResultEvent, time: string = new Date().toISOString()): void {
    this.db.transaction(() => {
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
    })();
  }

  end(e: RunEndEvent): void {
    const status = runStatus(e.reason);
    this.db.transaction(() => {
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
    })();
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
    })();
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

  /** The writing process is alive: see `recoverSilent`. */
  heartbeat(runId: string, at: string = new Date().toISOString()): void {
    this.beat.run(at, runId);
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
