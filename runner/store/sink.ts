import type { EventName, RunEvents, Sink, TaskResultEvent } from '../events/types.js';
import { toWireEvent } from '../events/wire.js';
import type { AuditLog } from './audit-log.js';
import { startHeartbeat } from './heartbeat.js';
import type { Store } from './open.js';

export interface StoreSinkOptions {
  /** Every event also goes to this log as one line. */
  jsonl?: AuditLog;
  now?: () => string;
  /** A cancel request for the run, found by its heartbeat (`heartbeat.ts`). */
  onCancel?: (by: string) => void;
}

/** A task result in SQLite; collect-status's data (a `hostState` result) is also the host's last-known state. */
export function recordTaskResult(store: Store, e: TaskResultEvent, time: string): void {
  store.runs.task(e, time);
  if (e.hostState && e.data) store.hostState.saveHostState(e.host, e.data, time);
}

/**
 * Records a run: every event as a line of `audit.jsonl`, and the run, its task results and its
 * audit events in SQLite. All writes are synchronous, so an event emitted before a signal or a
 * crash is on disk; `run:end` also fsyncs the log. From `run:start` to `run:end` the run beats
 * (`heartbeat.ts`), so a reader can tell a run whose process was killed from one still going, and
 * the run learns of a cancel asked through the store.
 */
export function createStoreSink(store: Store, opts: StoreSinkOptions = {}): Sink {
  const now = opts.now ?? (() => new Date().toISOString());
  let stopBeat = () => {};
  const line = <K extends EventName>(type: K, e: RunEvents[K]): string => {
    const event = toWireEvent(type, e, { now, runTimes: true });
    opts.jsonl?.append(event);
    return event.time;
  };
  return {
    'run:start': (e) => {
      line('run:start', e);
      store.runs.start(e);
      stopBeat = startHeartbeat(store.runs, e.runId, { onCancel: opts.onCancel });
    },
    'host:start': (e) => void line('host:start', e),
    'task:start': (e) => store.runs.taskStarted(e, line('task:start', e)),
    'task:result': (e) => {
      recordTaskResult(store, e, line('task:result', e));
    },
    'host:end': (e) => void line('host:end', e),
    'run:end': (e) => {
      stopBeat();
      line('run:end', e);
      store.runs.end(e);
      opts.jsonl?.sync();
    },
    close: () => {
      stopBeat();
      opts.jsonl?.sync();
    },
  };
}
