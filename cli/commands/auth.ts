import type { Command } from 'commander';
import type { Cli } from '../program.js';
import { addShortForm } from '../short-form.js';

export function register(program: Command, cli: Cli): void {
  const auth = program.command('auth').description('HTTP basic auth (bcrypt htpasswd) in front of a site');
  addShortForm(auth, cli, {
    name: 'add',
    description: 'Add or update a basic-auth user of a site and turn basic auth on in its vhost',
    playbook: 'add-auth',
    options: (c) =>
      c
        .requiredOption('--domain <domain>', 'a provisioned site')
        .requiredOption('--user <name>', 'the user name')
        .option('--password-file <file>', 'read the password from the first line of this file'),
    preset: async (o) => {
      const { readPassword } = await import('../read-password.js');
      const password = await readPassword({
        file: o.passwordFile as string | undefined,
        env: process.env,
        stdin: process.stdin,
        stderr: process.stderr,
      });
      return { domain: o.domain, user: o.user, password };
    },
    examples: [
      'vsa auth add -i hosts.yml --domain shop.example.com --user alice          # prompts, no echo',
      'vsa auth add -i hosts.yml --domain shop.example.com --user ci --password-file ./pw.txt',
      'VSA_AUTH_PASSWORD=… vsa auth add -i hosts.yml --domain shop.example.com --user ci',
    ],
  });
  addShortForm(auth, cli, {
    name: 'remove',
    description: 'Remove one basic-auth user, or (without --user) basic auth altogether from a site',
    playbook: 'remove-auth',
    options: (c) =>
      c
        .requiredOption('--domain <domain>', 'a provisioned site')
        .option('--user <name>', 'remove only this user; auth stays on'),
    preset: (o) => ({ domain: o.domain, user: o.user }),
    examples: [
      'vsa auth remove -i hosts.yml --domain shop.example.com',
      'vsa auth remove -i hosts.yml --domain shop.example.com --user alice',
    ],
  });
}
