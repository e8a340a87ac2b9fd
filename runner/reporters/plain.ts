import type { Sink, TaskResultEvent } from '../events/types.js';
import { palette, statusStyle, type Paint } from './colors.js';
import { formatDiff, formatDuration, formatHeader, formatOutput, isFailure, outcome, plural, taskLabel } from './format.js';
import type { ReporterOptions } from './options.js';
import { formatSummary } from './recap.js';

const statusWidth = 'unreachable'.length;

/** One greppable line per task result, for logs and CI: `changed      web01  Create webroot  (12 ms)`. */
export function createPlainReporter(opts: ReporterOptions): Sink {
  const paint = palette(opts.color);
  const write = (lines: string[]) => opts.out.write(lines.map((l) => `${l}\n`).join(''));
  let hostWidth = 0;

  return {
    'run:start'(e) {
      hostWidth = Math.max(0, ...e.hosts.map((h) => h.length));
      write([formatHeader(e, paint)]);
    },
    'task:result'(e) {
      const lines = [formatResult(e, hostWidth, opts.verbose, paint), ...(opts.verbose ? formatOutput(e) : [])];
      if (opts.diff && e.diff) lines.push(...formatDiff(e.diff, paint));
      write(lines);
    },
    'run:end'(e) {
      write(formatSummary(e, paint));
    },
  };
}

function formatResult(e: TaskResultEvent, hostWidth: number, verbose: boolean, paint: Paint): string {
  const kind = outcome(e);
  const status = paint(statusStyle[kind], kind) + ' '.repeat(statusWidth - kind.length);
  const cost = verbose ? `, ${plural(e.roundTrips, 'round trip')}` : '';
  const line = `${status}  ${e.host.padEnd(hostWidth)}  ${taskLabel(e)}  (${formatDuration(e.durationMs)}${cost})`;
  const showMessage = e.message && (verbose || isFailure(e));
  // Continuation lines of a multi-line message stay indented so every result still starts a line.
  return showMessage ? `${line}: ${e.message?.replace(/\n/g, '\n    ')}` : line;
}
