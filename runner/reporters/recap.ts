import type { HostStats, Recap, RunEndEvent, RunEndReason } from '../events/types.js';
import { statusStyle, type Paint, type Style } from './colors.js';
import { counters, formatDuration } from './format.js';

/** The `PLAY RECAP` table: one row per host, counts right-aligned under their column names. */
export function formatRecap(recap: Recap, paint: Paint): string[] {
  const rows = Object.entries(recap);
  const hostWidth = Math.max(4, ...rows.map(([h]) => h.length));
  const widths = counters.map((c) => Math.max(c.length, ...rows.map(([, s]) => String(s[c]).length)));
  const header = ['host'.padEnd(hostWidth), ...counters.map((c, i) => c.padStart(widths[i] as number))];
  const lines = rows.map(([host, stats]) => {
    // Pad before painting: escape codes have no width on screen.
    const cells = counters.map((c, i) => {
      const n = String(stats[c]);
      return ' '.repeat((widths[i] as number) - n.length) + (stats[c] > 0 ? paint(statusStyle[c], n) : n);
    });
    return [paint(hostStyle(stats), host) + ' '.repeat(hostWidth - host.length), ...cells].join('  ');
  });
  return [paint('bold', 'PLAY RECAP'), paint('dim', header.join('  ')), ...lines];
}

function hostStyle(stats: HostStats): Style {
  if (stats.unreachable > 0) return statusStyle.unreachable;
  if (stats.failed > 0) return statusStyle.failed;
  if (stats.changed > 0) return statusStyle.changed;
  return statusStyle.ok;
}

const endings: Record<RunEndReason, { verb: string; why?: string; style: Style }> = {
  completed: { verb: 'completed in', style: 'green' },
  failed: { verb: 'failed after', why: 'a task failed', style: 'red' },
  unreachable: { verb: 'failed after', why: 'a host was unreachable', style: 'red' },
  interrupted: { verb: 'interrupted after', why: 'no new tasks were started', style: 'yellow' },
  error: { verb: 'stopped after', style: 'red' },
};

/** The last line of a run, e.g. `run r-1 interrupted after 1.2 s: no new tasks were started (exit 130)`. */
export function formatRunEnd(e: RunEndEvent, paint: Paint): string {
  const o = endings[e.reason];
  const why = e.error ?? o.why;
  const text = `run ${e.runId} ${o.verb} ${formatDuration(e.durationMs)}${why ? `: ${why}` : ''}`;
  return `${paint(o.style, text)} (exit ${e.exitCode})`;
}

/** What ends tty and plain output: a blank line, the recap table, a blank line, the final line. */
export function formatSummary(e: RunEndEvent, paint: Paint): string[] {
  return ['', ...formatRecap(e.recap, paint), '', formatRunEnd(e, paint)];
}
