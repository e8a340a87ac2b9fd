import { statusStyle, type Paint } from '../../runner/reporters/colors.js';
import { formatDiff, formatDuration, outcome, taskLabel } from '../../runner/reporters/format.js';
import { formatRecap } from '../../runner/reporters/recap.js';
import type { RunRecord, TaskResultRecord } from '../../runner/store/types.js';
import { shortTime, spanMs } from './table.js';

/** `vsa history show`: the run, its task results per host (with diffs when asked) and its recap. */
export function formatRunDetail(
  run: RunRecord,
  tasks: TaskResultRecord[],
  opts: { diff: boolean; paint: Paint },
): string[] {
  const { paint } = opts;
  const ms = spanMs(run.startedAt, run.endedAt);
  const out = [
    `${paint('bold', `run ${run.id}`)}  ${run.playbook}${run.check ? ' (check mode)' : ''}`,
    `status    ${run.status}${run.exitCode === null ? '' : ` (exit ${run.exitCode})`}`,
    `started   ${shortTime(run.startedAt)} by ${run.actor} (${run.origin})`,
    `ended     ${shortTime(run.endedAt)}${ms === undefined ? '' : `, after ${formatDuration(ms)}`}`,
    `hosts     ${run.hosts.join(', ') || '-'}`,
    `params    ${JSON.stringify(run.params)}`,
  ];
  if (run.error) out.push(`error     ${run.error}`);
  let host: string | undefined;
  for (const t of tasks) {
    if (t.host !== host) out.push('', paint('bold', (host = t.host)));
    const o = outcome({ status: t.status, ignored: t.ignored });
    const status = paint(statusStyle[o], o.padEnd(11));
    const message = t.message ? `: ${t.message}` : '';
    out.push(`  ${status} ${taskLabel(t)} (${formatDuration(t.durationMs)})${message}`);
    if (opts.diff && t.diff) out.push(...formatDiff(t.diff, paint, '      '));
  }
  if (run.recap && Object.keys(run.recap).length > 0) out.push('', ...formatRecap(run.recap, paint));
  return out;
}
