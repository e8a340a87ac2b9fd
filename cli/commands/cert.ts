import type { Command } from 'commander';
import type { Cli } from '../program.js';
import { addShortForm } from '../short-form.js';

export function register(program: Command, cli: Cli): void {
  const cert = program
    .command('cert')
    .description('Certificates: renew, status, and the daily renew from cron');
  addShortForm(cert, cli, {
    name: 'renew',
    description: 'Renew the certificates that are due; reload NGINX wherever the served certificate differs from the one on disk',
    playbook: 'renew-certs',
    // What was renewed, what is served, or that nothing is due: every task's message is the output.
    report: true,
    options: (c) =>
      c
        .option('--force', 'renew even certificates that are not due')
        .option('--domain <domain>', 'only this certificate'),
    preset: (o) => ({ force: o.force === true ? true : undefined, domain: o.domain }),
    examples: [
      'vsa cert renew -i hosts.yml',
      'vsa cert renew -i hosts.yml --force --domain shop.example.com --limit web01',
    ],
  });
  addShortForm(cert, cli, {
    name: 'status',
    description: 'Per host and domain: issuer, expiry, days left and serial, and whether NGINX serves it (reload pending)',
    playbook: 'cert-status',
    report: true,
    options: (c) =>
      c
        .option('--domain <domain>', 'only this certificate')
        .option(
          '--warn-days <n>',
          'exit 2 when a certificate has fewer than N days left or NGINX does not serve it yet (reload pending)',
        ),
    preset: (o) => ({ domain: o.domain, warnDays: o.warnDays }),
    examples: [
      'vsa cert status -i hosts.yml',
      'vsa cert status -i hosts.yml --warn-days 14   # for monitoring: exit 2 when one needs attention',
      'vsa cert status -i hosts.yml --json | jq \'select(.type=="task:result") | .data\'',
    ],
  });
  addShortForm(cert, cli, {
    name: 'install-cron',
    description:
      "Install the daily `vsa cert renew` in this machine's crontab (idempotent; logs to $VSA_HOME/logs/renew.log)",
    playbook: 'install-renew-cron',
    onControlMachine: true,
    options: (c) =>
      c
        .option('--hour <h>', 'hour of the daily run', '3')
        .option('--minute <m>', 'minute of the daily run', '17'),
    preset: async (o) => {
      const { controlCronPreset } = await import('../../site/control-cron.js');
      return { ...controlCronPreset(o.inventory as string[] | undefined, 'the daily renew'), hour: o.hour, minute: o.minute };
    },
    examples: [
      'vsa cert install-cron -i /etc/vsa/hosts.yml',
      'vsa cert install-cron -i hosts.yml --hour 4 --minute 5 --check --diff',
    ],
  });
}
