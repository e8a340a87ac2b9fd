import type { TaskStatus } from '../../../runner/events/types.js';
import type { ResultSummary } from './results.js';

export interface CompareRow {
  host: string;
  task: string;
  taskIndex: number;
  handler: boolean;
  a: { id: number; status: TaskStatus; hasDiff: boolean } | null;
  b: { id: number; status: TaskStatus; hasDiff: boolean } | null;
  /** Same status on both sides. */
  same: boolean;
}

const keyOf = (r: ResultSummary) => `${r.host}\u0000${r.handler ? 'h' : 't'}\u0000${r.taskIndex}\u0000${r.task}`;
const side = (r: ResultSummary | undefined) => (r ? { id: r.id, status: r.status, hasDiff: r.hasDiff } : null);

/** Two runs side by side per host and task: a task that only ran in one run has `null` on the other side. */
export function compareResults(a: ResultSummary[], b: ResultSummary[]): CompareRow[] {
  const left = new Map(a.map((r) => [keyOf(r), r]));
  const right = new Map(b.map((r) => [keyOf(r), r]));
  const keys = [...new Set([...left.keys(), ...right.keys()])];
  return keys
    .map((k) => {
      const x = left.get(k);
      const y = right.get(k);
      const ref = (x ?? y)!;
      return {
        host: ref.host,
        task: ref.task,
        taskIndex: ref.taskIndex,
        handler: ref.handler,
        a: side(x),
        b: side(y),
        same: x?.status === y?.status,
      };
    })
    .sort((p, q) => p.host.localeCompare(q.host) || Number(p.handler) - Number(q.handler) || p.taskIndex - q.taskIndex);
}
