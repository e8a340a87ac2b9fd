import type { Command } from 'commander';
import { UsageError } from '../../runner/errors.js';
import type { Cli } from '../program.js';
import { addShortForm } from '../short-form.js';

export function register(program: Command, cli: Cli): void {
  const status = program
    .command('status')
    .description("Show the fleet from the run store: each host's last run, and containers, certificates, disk and load as of its last collect-status")
    .option('--host <name>', 'only this host')
    .option('--json', 'machine-readable output: one JSON object a host', false)
    .addHelpText(
      'after',
      '\nNothing is contacted: the figures are those `vsa run collect-status` recorded, with their time.\n' +
        'Refresh them with `vsa run collect-status`, or every 15 minutes from cron (`vsa status install-cron`).\n\nExamples:\n  vsa status\n  vsa run collect-status && vsa status --host web1',
    )
    .action(cli.action(async (_ctx, flags: { host?: string; json: boolean }) => {
      const [{ dataDir, openStore }, { listHosts }, { certificates, containers }, { formatFleetStatus }] = await Promise.all([
        import('../../runner/store/index.js'),
        import('../../dashboard/server/queries/hosts.js'),
        import('../../dashboard/server/queries/fleet-state.js'),
        import('../format/fleet-status.js'),
      ]);
      const store = openStore(dataDir());
      try {
        const only = <T extends { host: string }>(rows: T[]) => (flags.host ? rows.filter((r) => r.host === flags.host) : rows);
        const all = listHosts(store);
        if (flags.host && !all.some((h) => h.host === flags.host)) {
          throw new UsageError(`--host: no host ${flags.host} in the run store (hosts: ${all.map((h) => h.host).join(', ') || 'none'})`);
        }
        const fleet = { hosts: only(all), certificates: only(certificates(store)), containers: only(containers(store)) };
        const lines = flags.json
          ? fleet.hosts.map((h) =>
              JSON.stringify({
                ...h,
                containers: fleet.containers.filter((c) => c.host === h.host),
                certificates: fleet.certificates.filter((c) => c.host === h.host),
              }),
            )
          : formatFleetStatus(fleet);
        if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
      } finally {
        store.close();
      }
      return 0;
    }));
  addShortForm(status, cli, {
    name: 'install-cron',
    description:
      "Install `vsa run collect-status` every 15 minutes in this machine's crontab (idempotent; logs to $VSA_HOME/logs/status.log)",
    playbook: 'install-status-cron',
    onControlMachine: true,
    options: (c) =>
      c.option('--hour <h>', 'hours of the runs (cron field)', '*').option('--minute <m>', 'minutes of the runs (cron field)', '*/15'),
    preset: async (o) => {
      const { controlCronPreset } = await import('../../site/control-cron.js');
      return { ...controlCronPreset(o.inventory as string[] | undefined, 'collect-status'), hour: o.hour, minute: o.minute };
    },
    examples: ['vsa status install-cron -i /etc/vsa/hosts.yml', 'vsa status install-cron -i hosts.yml --minute "*/5" --check --diff'],
  });
}
