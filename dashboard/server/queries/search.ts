import { z } from 'zod';
import type { TaskStatus } from '../../../runner/events/types.js';
import type { Store } from '../../../runner/store/open.js';
import { ansiLines } from '../../../runner/reporters/ansi.js';
import type { OutputStream } from '../../../runner/store/task-output.js';
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
  /** Where it matched: some text either side of the first match, in the message, the diff or an output stream. */
  field: 'message' | 'diff' | 'task' | OutputStream;
  snippet: string;
  /** For a match in stdout or stderr: its line (from 1), as the log view numbers them. */
  line?: number;
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
  stdout: string | null;
  stderr: string | null;
}

const STREAM = { stdout: "json_extract(data, '$.stdout')", stderr: "json_extract(data, '$.stderr')" };

/**
 * Finds text in task names, messages, diffs and commands' stdout and stderr on the server, newest
 * first (case-insensitive for ASCII).
 */
export function searchOutput(store: Store, q: z.output<typeof searchSchema>): SearchHit[] {
  const rows = store.db
    .prepare(
      `SELECT id, run_id, host, task, status, time, message, diff, ${STREAM.stdout} AS stdout, ${STREAM.stderr} AS stderr
       FROM task_results
       WHERE (message LIKE @like ESCAPE '\\' OR diff LIKE @like ESCAPE '\\' OR task LIKE @like ESCAPE '\\'
         OR ${STREAM.stdout} LIKE @like ESCAPE '\\' OR ${STREAM.stderr} LIKE @like ESCAPE '\\')
       ${q.runId ? 'AND run_id = @runId' : ''} ${q.host ? 'AND host = @host' : ''}
       ORDER BY id DESC LIMIT @limit`,
    )
    .all({ like: `%${escapeLike(q.q)}%`, limit: q.limit, ...(q.runId ? { runId: q.runId } : {}), ...(q.host ? { host: q.host } : {}) }) as Row[];
  return rows.map((r) => {
    const m = firstMatch(r, q.q);
    return { id: r.id, runId: r.run_id, host: r.host, task: r.task, status: r.status, time: r.time, ...m, snippet: around(m.text, q.q) };
  });
}

function firstMatch(r: Row, needle: string): { field: SearchHit['field']; text: string; line?: number } {
  const n = needle.toLowerCase();
  if (r.message?.toLowerCase().includes(n)) return { field: 'message', text: r.message };
  if (r.diff?.toLowerCase().includes(n)) return { field: 'diff', text: r.diff };
  for (const field of ['stdout', 'stderr'] as const) {
    const raw = r[field];
    if (typeof raw !== 'string' || !raw.toLowerCase().includes(n)) continue;
    // The line as the log view shows it; a match only in the raw text (inside an escape
    // sequence, across a redrawn line) still names the stream.
    const lines = ansiLines(raw);
    const at = lines.findIndex((l) => l.plain.toLowerCase().includes(n));
    return at < 0 ? { field, text: raw } : { field, text: lines[at]!.plain, line: at + 1 };
  }
  return { field: 'task', text: r.task };
}

function around(text: string, needle: string, width = 80): string {
  const at = Math.max(0, text.toLowerCase().indexOf(needle.toLowerCase()));
  const start = Math.max(0, at - width);
  const end = Math.min(text.length, at + needle.length + width);
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}
