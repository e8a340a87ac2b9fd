import type { Command } from 'commander';
import type { Cli } from '../program.js';
import { addShortForm } from '../short-form.js';

export function register(program: Command, cli: Cli): void {
  const site = program
    .command('site')
    .description('Put a container behind NGINX with a certificate, or take it away');
  addShortForm(site, cli, {
    name: 'provision',
    description:
      'Attach a container to flowbiz_ext, write HTTP and HTTPS vhosts, issue the certificate, reload NGINX',
    playbook: 'provision-site',
    options: (c) =>
      c
        .requiredOption('--domain <domain>', 'the site domain, e.g. shop.example.com')
        .option('--container <name>', 'the container serving the site')
        .option('--port <port>', "the container's port")
        .option('--detect', 'proxy to the host port the container publishes for --port')
        .option(
          '--external-port <port>',
          'proxy to this port on 127.0.0.1 (a published port) instead of the container network',
        )
        .option('--no-www', 'no www. alias')
        .option(
          '--email <address>',
          'ACME account e-mail (default: inventory var acme_email, else admin@DOMAIN)',
        ),
    preset: (o) => ({
      domain: o.domain,
      container: o.container,
      port: o.port,
      detect: o.detect === true ? true : undefined,
      externalPort: o.externalPort,
      noWww: o.www === false ? true : undefined,
      email: o.email,
    }),
    examples: [
      'vsa site provision -i hosts.yml --domain shop.example.com --container shop --port 3000',
      'vsa site provision -i hosts.yml --domain shop.example.com --container shop --port 3000 --detect',
      'vsa site provision -i hosts.yml --domain api.example.com --external-port 8081 --no-www --limit web01',
      'vsa site provision -i hosts.yml --domain shop.example.com --container shop --port 3000 --check --diff',
    ],
  });
  addShortForm(site, cli, {
    name: 'unprovision',
    description:
      'Remove the vhosts, basic auth and site record of a domain (optionally its certificate), reload NGINX',
    playbook: 'unprovision-site',
    options: (c) =>
      c
        .requiredOption('--domain <domain>', 'the site domain')
        .option('--remove-cert', 'also delete the certificate (certbot delete)'),
    preset: (o) => ({ domain: o.domain, removeCert: o.removeCert === true ? true : undefined }),
    examples: [
      'vsa site unprovision -i hosts.yml --domain shop.example.com',
      'vsa site unprovision -i hosts.yml --domain shop.example.com --remove-cert --limit web01',
    ],
  });
}
