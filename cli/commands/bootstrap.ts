import type { Command } from 'commander';
import type { Cli } from '../program.js';
import { addShortForm } from '../short-form.js';

export function register(program: Command, cli: Cli): void {
  addShortForm(program, cli, {
    name: 'bootstrap',
    description:
      'Prepare a fresh VPS: packages, directories, flowbiz_ext network, NGINX config, default servers, the reverse-proxy container',
    playbook: 'bootstrap',
    options: (c) => c.option('--no-packages', 'do not install packages (they are already there)'),
    preset: (o) => ({ packages: o.packages === false ? false : undefined }),
    examples: ['vsa bootstrap -i hosts.yml --limit new-vps', 'vsa bootstrap -i lab.yml --no-packages'],
  });
}
