import type { Command } from 'commander';
import type { Cli } from '../program.js';

interface AuditFlags {
  since?: string;
  action?: string;
  target?: string;
  limit: string;
  json: boolean;
}

export function register(program: Command, cli: Cli): void {
  program
    .command('audit')
    .description('List audit events (runs, changes, failures), newest first')
    .option('--since <when>', 'a span back from now (30m, 12h, 7d, 2w) or an ISO date')
    .option('--action <action>', 'e.g. run:start, run:end, task:changed, task:failed')
    .option('--target <target>', 'a playbook or host name')
    .option('--limit <n>', 'at most this many events', '100')
    .option('--json', 'machine-readable output', false)
    .addHelpText('after', '\nExamples:\n  vsa audit --since 24h --action task:changed\n  vsa audit --target web1 --json')
    .action(cli.action(async (_ctx, flags: AuditFlags) => {
      const [{ dataDir, openStore, parsePositive, parseSince }, { formatAuditList }] = await Promise.all([
        import('../../runner/store/index.js'),
        import('../format/run-list.js'),
      ]);
      const filter = {
        since: flags.since ? parseSince(flags.since) : undefined,
        action: flags.action,
        target: flags.target,
        limit: parsePositive(flags.limit, '--limit', 100_000),
      };
      const store = openStore(dataDir());
      try {
        const events = store.audit.list(filter);
        const lines = flags.json ? events.map((e) => JSON.stringify(e)) : formatAuditList(events);
        process.stdout.write(`${lines.join('\n')}\n`);
      } finally {
        store.close();
      }
      return 0;
    }));
}
