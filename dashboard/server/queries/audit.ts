import { z } from 'zod';
import type { AuditEvent } from '../../../runner/store/index.js';
import type { Store } from '../../../runner/store/open.js';
import { auditClauses, toAuditEvent, type AuditRow } from '../../../runner/store/audit-events.js';
import { where } from '../../../runner/store/where.js';
import { dateParam, paging, sinceBound, untilBound } from './dates.js';
import { escapeLike } from './runs.js';

export const auditFilterSchema = z
  .object({
    actor: z.string().max(200).optional(),
    action: z.string().max(100).optional(),
    target: z.string().max(253).optional(),
    result: z.string().max(50).optional(),
    runId: z.string().max(100).optional(),
    since: dateParam.optional(),
    until: dateParam.optional(),
    ...paging,
  })
  .strict();

/** Newest first; `actor` matches a part of the name, the others match exactly. */
export function listAudit(store: Store, f: z.output<typeof auditFilterSchema>): { events: (AuditEvent & { id: number })[]; total: number } {
  const w = where(
    { ...f, actor: f.actor && `%${escapeLike(f.actor)}%`, since: sinceBound(f.since), until: untilBound(f.until) },
    {
      ...auditClauses,
      actor: "actor LIKE @actor ESCAPE '\\'",
      result: 'result = @result',
      until: 'time < @until',
    },
  );
  const rows = store.db
    .prepare(`SELECT * FROM audit_events ${w.sql} ORDER BY time DESC, id DESC LIMIT @limit OFFSET @offset`)
    .all({ ...w.args, limit: f.limit, offset: f.offset }) as (AuditRow & { id: number })[];
  const { total } = store.db.prepare(`SELECT count(*) AS total FROM audit_events ${w.sql}`).get(w.args) as { total: number };
  return {
    total,
    events: rows.map((r) => ({ id: r.id, ...toAuditEvent(r) })),
  };
}
