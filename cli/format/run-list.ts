import { formatDuration } from '../../runner/reporters/format.js';
import type { AuditEvent, RunRecord } from '../../runner/store/types.js';
import { cancelNote } from './run-detail.js';
import { formatTable, shortTime, spanMs } from './table.js';

/** `vsa history`: one line a run, newest first. */
export function formatRunList(runs: RunRecord[]): string[] {
  if (runs.length === 0) return ['no runs recorded'];
  const rows = runs.map((r) => {
    const ms = spanMs(r.startedAt, r.endedAt);
    return [
      r.id.slice(0, 8),
      shortTime(r.startedAt),
      r.playbook + (r.check ? ' (check)' : ''),
      `${r.actor}/${r.origin}`,
      r.status + cancelNote(r),
      String(r.counts.ok),
      String(r.counts.changed),
      String(r.counts.failed),
      ms === undefined ? '-' : formatDuration(ms),
    ];
  });
  return formatTable(['ID', 'STARTED', 'PLAYBOOK', 'WHO', 'STATUS', 'OK', 'CHANGED', 'FAILED', 'DURATION'], rows, [5, 6, 7, 8]);
}

/** `vsa audit`: one line an event, newest first. */
export function formatAuditList(events: AuditEvent[]): string[] {
  if (events.length === 0) return ['no audit events'];
  const rows = events.map((e) => [
    shortTime(e.time),
    e.actor,
    e.action,
    e.target,
    e.result,
    e.runId ? e.runId.slice(0, 8) : '-',
    summary(e.details),
  ]);
  return formatTable(['TIME', 'ACTOR', 'ACTION', 'TARGET', 'RESULT', 'RUN', 'DETAILS'], rows);
}

function summary(details: Record<string, unknown>): string {
  const text = typeof details['task'] === 'string' ? details['task'] : JSON.stringify(details);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
