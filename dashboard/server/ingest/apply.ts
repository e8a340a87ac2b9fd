import type { AnyEvent } from '../../../runner/events/types.js';
import type { Store } from '../../../runner/store/open.js';
import { recordTaskResult } from '../../../runner/store/sink.js';

export interface IngestResult {
  /** Events written to the store. */
  stored: number;
  /** Events already there (a batch sent again after a timeout, or a run the local sink recorded too). */
  duplicate: number;
  /** Events of a run whose `run:start` the dashboard never got. */
  orphaned: number;
  /** host:start, task:start and host:end: the store keeps no row for them. */
  transient: number;
  runIds: string[];
}

/**
 * Writes pushed events into the store through the same calls the local store sink uses, so a
 * pushed run looks exactly like one recorded on this machine. Idempotent per event: the pusher
 * retries, and a runner on this machine may both record and push the same run.
 */
export function applyEvents(store: Store, events: AnyEvent[]): IngestResult {
  const res: IngestResult = { stored: 0, duplicate: 0, orphaned: 0, transient: 0, runIds: [] };
  const runState = store.db.prepare('SELECT status FROM runs WHERE id = ?');
  const hasResult = store.db.prepare(
    'SELECT 1 FROM task_results WHERE run_id = ? AND host = ? AND task_index = ? AND handler = ? AND task = ?',
  );
  const runs = new Set<string>();
  store.db.transaction(() => {
    for (const e of events) {
      runs.add(e.runId);
      const state = runState.get(e.runId) as { status: string } | undefined;
      if (e.type === 'run:start') {
        if (state) res.duplicate++;
        else {
          // The run's process lives on the control machine that pushed it, not beside the dashboard.
          store.runs.start(payload(e), null);
          res.stored++;
        }
      } else if (!state) res.orphaned++;
      else if (e.type === 'task:result') {
        if (hasResult.get(e.runId, e.host, e.taskIndex, e.handler ? 1 : 0, e.task)) res.duplicate++;
        else {
          recordTaskResult(store, payload(e), e.time);
          res.stored++;
        }
      } else if (e.type === 'run:end') {
        if (state.status !== 'running') res.duplicate++;
        else {
          store.runs.end(payload(e));
          res.stored++;
        }
      } else res.transient++;
    }
  }).immediate();
  res.runIds = [...runs];
  return res;
}

/** The event as the store's calls take it: without the `type` and `time` the wire format adds. */
function payload<E extends AnyEvent>(e: E): Omit<E, 'type' | 'time'> {
  const rest: Partial<E> = { ...e };
  delete rest.type;
  delete rest.time;
  return rest as Omit<E, 'type' | 'time'>;
}
