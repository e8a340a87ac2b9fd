import { z } from 'zod';
import type { RunRecord } from '../../../runner/store/index.js';
import type { Store } from '../../../runner/store/open.js';
import { originSchema } from '../../../runner/events/schema.js';
import { runStatusSchema } from '../../../runner/store/status.js';
import { runClauses, toRun, type RunRow } from '../../../runner/store/history.js';
import { where } from '../../../runner/store/where.js';
import { dateParam, paging, sinceBound, untilBound } from './dates.js';

export const runFilterSchema = z
  .object({
    playbook: z.string().max(200).optional(),
    host: z.string().max(253).optional(),
    status: runStatusSchema.optional(),
    /** Who: a substring of the actor (`alice`, `dashboard:`, `cron@`). */
    actor: z.string().max(200).optional(),
    origin: originSchema.optional(),
    since: dateParam.optional(),
    until: dateParam.optional(),
    ...paging,
  })
  .strict();
export type RunFilterQuery = z.output<typeof runFilterSchema>;

export interface RunPage {
  runs: RunRecord[];
  total: number;
}

/** Newest first, with every filter the Runs page offers; the store maps each row. */
export function listRuns(store: Store, f: RunFilterQuery): RunPage {
  const w = where(
    { ...f, actor: f.actor && `%${escapeLike(f.actor)}%`, since: sinceBound(f.since), until: untilBound(f.until) },
    {
      ...runClauses,
      actor: "actor LIKE @actor ESCAPE '\\'",
      origin: 'origin = @origin',
      until: 'started_at < @until',
    },
  );
  const rows = store.db
    .prepare(`SELECT * FROM runs ${w.sql} ORDER BY started_at DESC LIMIT @limit OFFSET @offset`)
    .all({ ...w.args, limit: f.limit, offset: f.offset }) as RunRow[];
  const { total } = store.db.prepare(`SELECT count(*) AS total FROM runs ${w.sql}`).get(w.args) as { total: number };
  return { runs: rows.map(toRun), total };
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
