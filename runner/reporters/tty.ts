import { DefaultRenderer, Listr, ListrDefaultRendererLogLevels, ListrLogger, ProcessOutput } from 'listr2';
import type { RunEndEvent, Sink } from '../events/types.js';
import { palette } from './colors.js';
import { formatDiff, formatHeader, taskLabel } from './format.js';
import type { ReporterOptions } from './options.js';
import { formatSummary } from './recap.js';
import { HostRow } from './tty-host.js';

// This reporter is only chosen for a terminal, so the tree renders to the given stream even where
// listr2's own check (process.stdout.isTTY) would switch to its line renderer.
class TreeRenderer extends DefaultRenderer {
  static override nonTTY = true;
}

/** A live listr2 tree, one entry per host, then the diffs and the recap. */
export function createTtyReporter(opts: ReporterOptions): Sink {
  const paint = palette(opts.color);
  const write = (lines: string[]) => opts.out.write(lines.map((l) => `${l}\n`).join(''));
  const rows = new Map<string, HostRow>();
  const diffs: string[] = [];
  let tree: Promise<void> | undefined;
  let finished: Promise<void> | undefined;

  const finish = (end?: RunEndEvent) =>
    (finished ??= (async () => {
      const note = end?.reason === 'interrupted' ? 'interrupted' : 'did not finish';
      for (const row of rows.values()) row.end(end?.recap[row.name], note);
      await tree;
      write([...diffs, ...(end ? formatSummary(end, paint) : [])]);
    })());

  return {
    'run:start'(e) {
      if (tree) return;
      write([formatHeader(e, paint)]);
      for (const host of e.hosts) rows.set(host, new HostRow(host, paint, opts.verbose));
      tree = renderTree([...rows.values()], opts);
    },
    'task:start'(e) {
      rows.get(e.host)?.start(e);
    },
    'task:result'(e) {
      rows.get(e.host)?.result(e);
      if (opts.diff && e.diff)
        diffs.push('', paint('bold', `${e.host}  ${taskLabel(e)}`), ...formatDiff(e.diff, paint));
    },
    'host:end'(e) {
      rows.get(e.host)?.end(e.stats);
    },
    'run:end'(e) {
      return finish(e);
    },
    close() {
      return finish();
    },
  };
}

async function renderTree(rows: HostRow[], opts: ReporterOptions): Promise<void> {
  const processOutput = new ProcessOutput(
    opts.out as NodeJS.WriteStream,
    (opts.err ?? opts.out) as NodeJS.WriteStream,
  );
  const list = new Listr(
    rows.map((row) => ({
      title: row.name,
      task: async (_ctx: unknown, task: { title: string; output: string }) => {
        row.attach(task);
        await row.finished;
        task.title = row.title();
        // A thrown error is what gives the host listr2's failed mark; its message is the title.
        if (row.failed) throw new Error(row.title());
      },
      rendererOptions: { outputBar: Infinity, persistentOutput: true },
    })),
    {
      concurrent: true,
      exitOnError: false,
      // The executor owns Ctrl-C: it stops starting tasks and the tree ends with the run.
      registerSignalListeners: false,
      renderer: TreeRenderer,
      rendererOptions: {
        logger: new ListrLogger({ useIcons: true, toStderr: [], processOutput }),
        ...(opts.color ? {} : { color: plainStyles }),
      },
    },
  );
  try {
    await list.run();
  } catch {
    // A renderer failure must not fail the run; the recap still follows.
  }
}

const plainStyles = Object.fromEntries(
  Object.values(ListrDefaultRendererLogLevels).map((level) => [level, (m?: string) => m ?? '']),
);
