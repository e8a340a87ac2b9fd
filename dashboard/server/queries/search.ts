import { z } from 'zod';
import type { TaskStatus } from '../../../runner/events/types.js';
import type { Store } from '../../../runner/store/open.js';
import { escapeLike } from './runs.js';

export const searchSchema = z
  .object({
    q: z.string().min(2).max(200),
    runId: z.string().max(100).optional(),
    host: z.string().max(253).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export interface SearchHit {
  id: number;
  runId: string;
  host: string;
  task: string;
  status: TaskStatus;
  time: string;
  /** Where it matched: some text either side of the first match, in the message or the diff. */
  field: 'message' | 'diff' | 'task';
  snippet: string;
}

interface Row {
  id: number;
  run_id: string;
  host: string;
  task: string;
  status: TaskStatus;
  time: string;
  message: string | null;
  diff: string | null;
}

/** Finds text in task names, messages and diffs on the server, newest first (case-insensitive for ASCII). */
export function searchOutput(store: Store, q: z.output<typeof searchSchema>): SearchHit[] {
  const rows = store.db
    .prepare(
      `SELECT id, run_id, host, task, status, time, message, diff FROM task_results
       WHERE (message LIKE @like ESCAPE '\\' OR diff LIKE @like ESCAPE '\\' OR task LIKE @like ESCAPE '\\')
       ${q.runId ? 'AND run_id = @runId' : ''} ${q.host ? 'AND host = @host' : ''}
       ORDER BY id DESC LIMIT @limit`,
    )
    .all({ like: `%${escapeLike(q.q)}%`, limit: q.limit, ...(q.runId ? { runId: q.runId } : {}), ...(q.host ? { host: q.host } : {}) }) as Row[];
  return rows.map((r) => {
    const [field, text] = firstMatch(r, q.q);
    return { id: r.id, runId: r.run_id, host: r.host, task: r.task, status: r.status, time: r.time, field, snippet: around(text, q.q) };
  });
}

function firstMatch(r: Row, needle: string): [SearchHit['field'], string] {
  const n = needle.toLowerCase();
  if (r.message?.toLowerCase().includes(n)) return ['message', r.message];
  if (r.diff?.toLowerCase().includes(n)) return ['diff', r.diff];
  return ['task', r.task];
}

function around(text: string, needle: string, width = 80): string {
  const at = Math.max(0, text.toLowerCase().indexOf(needle.toLowerCase()));
  const start = Math.max(0, at - width);
  const end = Math.min(text.length, at + needle.length + width);
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}
