import type { Command } from 'commander';
import type { Cli } from '../program.js';
import { addShortForm } from '../short-form.js';

export function register(program: Command, cli: Cli): void {
  const vhost = program.command('vhost').description('NGINX vhosts of the recorded sites');
  addShortForm(vhost, cli, {
    name: 'sync',
    description:
      'Re-render every recorded site’s vhosts from the templates; reload NGINX once per host where they changed',
    playbook: 'vhost-sync',
    preset: () => ({}),
    examples: ['vsa vhost sync -i hosts.yml --check --diff', 'vsa vhost sync -i hosts.yml --limit web01'],
  });
}
