import { statusStyle, type Paint } from '../../runner/reporters/colors.js';
import { formatDiff, formatDuration, outcome, taskLabel } from '../../runner/reporters/format.js';
import { formatRecap } from '../../runner/reporters/recap.js';
import { terminalLines } from '../../runner/reporters/ansi.js';
import { outputStreams, taskOutput } from '../../runner/store/task-output.js';
import type { RunRecord, TaskResultRecord } from '../../runner/store/types.js';
import { shortTime, spanMs } from './table.js';

export interface DetailOptions {
  diff: boolean;
  /** Each command's stdout and stderr under its result, as the dashboard's log view shows them. */
  output?: boolean;
  /** Colour on: the output keeps its colours (rebuilt, never the host's own sequences). */
  color?: boolean;
  paint: Paint;
}

/** `vsa history show`: the run, its task results per host (with diffs and output when asked) and its recap. */
export function formatRunDetail(run: RunRecord, tasks: TaskResultRecord[], opts: DetailOptions): string[] {
  const { paint } = opts;
  const ms = spanMs(run.startedAt, run.endedAt);
  const out = [
    `${paint('bold', `run ${run.id}`)}  ${run.playbook}${run.check ? ' (check mode)' : ''}`,
    `status    ${run.status}${run.exitCode === null ? '' : ` (exit ${run.exitCode})`}${cancelNote(run)}`,
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
    if (opts.output) out.push(...formatOutput(t, opts));
  }
  if (run.recap && Object.keys(run.recap).length > 0) out.push('', ...formatRecap(run.recap, paint));
  return out;
}

/** Who cancelled the run, or asked to while it still runs (a run that ended anyway says nothing). */
export function cancelNote(run: Pick<RunRecord, 'status' | 'cancelledBy'>): string {
  if (run.status === 'cancelled') return ` by ${run.cancelledBy}`;
  return run.status === 'running' && run.cancelledBy ? `, cancel asked by ${run.cancelledBy}` : '';
}

function formatOutput(t: TaskResultRecord, opts: DetailOptions): string[] {
  const output = taskOutput(t.data);
  if (!output) return [];
  return outputStreams.flatMap((stream) => {
    const lines = terminalLines(output[stream], opts.color ?? false);
    if (lines.length === 0) return [];
    const head = opts.paint('dim', `      ${stream} (${lines.length} line${lines.length === 1 ? '' : 's'})`);
    return [head, ...lines.map((l) => `        ${l}`)];
  });
}
