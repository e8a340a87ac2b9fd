import type { Command } from 'commander';
import { UsageError } from '../../runner/errors.js';
import type { Cli } from '../program.js';

interface ListFlags {
  playbook?: string;
  host?: string;
  status?: string;
  since?: string;
  limit: string;
  json: boolean;
}

const write = (lines: string[]) => process.stdout.write(`${lines.join('\n')}\n`);

/** Opens the store under the data dir; imported lazily so `vsa --help` never loads SQLite. */
async function store() {
  const { dataDir, openStore } = await import('../../runner/store/index.js');
  return openStore(dataDir());
}

export function register(program: Command, cli: Cli): void {
  const history = program
    .command('history')
    .description('List recorded runs, newest first')
    .option('--playbook <name>', 'only runs of this playbook')
    .option('--host <name>', 'only runs that targeted this host')
    .option('--status <status>', 'running, ok, failed, unreachable, interrupted, cancelled or error')
    .option('--since <when>', 'a span back from now (30m, 12h, 7d, 2w) or an ISO date')
    .option('--limit <n>', 'at most this many runs', '20')
    .option('--json', 'machine-readable output', false)
    .addHelpText('after', '\nExamples:\n  vsa history --since 7d --status failed\n  vsa history show 3f2a --diff')
    .action(cli.action(async (_ctx, flags: ListFlags) => {
      const [{ parsePositive, parseSince }, { runStatuses }, { formatRunList }] = await Promise.all([
        import('../../runner/store/args.js'),
        import('../../runner/store/status.js'),
        import('../format/run-list.js'),
      ]);
      if (flags.status && !runStatuses.includes(flags.status as never)) {
        throw new UsageError(`--status: expected one of ${runStatuses.join(', ')}, got "${flags.status}"`);
      }
      const filter = {
        playbook: flags.playbook,
        host: flags.host,
        status: flags.status as never,
        since: flags.since ? parseSince(flags.since) : undefined,
        limit: parsePositive(flags.limit, '--limit', 100_000),
      };
      const s = await store();
      try {
        const runs = s.history.list(filter);
        if (flags.json) write(runs.map((r) => JSON.stringify(r)));
        else write(formatRunList(runs));
      } finally {
        s.close();
      }
      return 0;
    }));

  history
    .command('show')
    .description('Show one run: its task results per host and its recap')
    .argument('<run>', 'run id or a unique prefix of it')
    .option('--host <name>', 'only this host')
    .option('--diff', 'include the diffs of changed tasks', false)
    .option('--output', "include each command's stdout and stderr", false)
    .option('--json', 'machine-readable output', false)
    .action(cli.action(async (_ctx, ref: string, flags: { host?: string; diff: boolean; output: boolean; json: boolean }) => {
      // Without positional options on the program, commander hands `--host` after `show` to
      // `history` itself; it means the same here.
      const host = flags.host ?? (history.opts() as ListFlags).host;
      const [{ formatRunDetail }, { palette, useColor }] = await Promise.all([
        import('../format/run-detail.js'),
        import('../../runner/reporters/colors.js'),
      ]);
      const s = await store();
      try {
        const run = s.history.get(ref);
        const tasks = s.history.tasks(run.id, host);
        if (host && run.recap) run.recap = host in run.recap ? { [host]: run.recap[host]! } : {};
        if (flags.json) {
          write([JSON.stringify({ run, tasks })]);
        } else {
          const color = useColor({ color: true, isTTY: Boolean(process.stdout.isTTY), env: process.env });
          write(formatRunDetail(run, tasks, { diff: flags.diff, output: flags.output, color, paint: palette(color) }));
        }
      } finally {
        s.close();
      }
      return 0;
    }));

  history
    .command('prune')
    .description('Delete runs and audit events older than N days, and keep N as the retention setting')
    .requiredOption('--keep-days <n>', 'days of history to keep')
    .action(cli.action(async (_ctx, flags: { keepDays: string }) => {
      const { parsePositive } = await import('../../runner/store/args.js');
      const days = parsePositive(flags.keepDays, '--keep-days', 36_500);
      const s = await store();
      try {
        const r = s.prune(days);
        write([`pruned ${r.runs} runs and ${r.auditEvents} audit events older than ${r.cutoff}; keeping ${days} days`]);
      } finally {
        s.close();
      }
      return 0;
    }));

  history
    .command('push')
    .description('Send the events the dashboard has not received yet')
    .action(cli.action(async () => {
      const { drainOutbox, pushTarget } = await import('../../runner/push/index.js');
      const target = pushTarget();
      if (!target) throw new UsageError('no dashboard configured: set VSA_DASHBOARD_URL and VSA_DASHBOARD_TOKEN');
      const s = await store();
      try {
        const r = await drainOutbox(s.outbox, target);
        write([`pushed ${r.sent} events to ${target.url}; ${r.left} left`]);
      } finally {
        s.close();
      }
      return 0;
    }));
}
