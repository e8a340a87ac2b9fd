import type { Command } from 'commander';
import type { Cli } from '../program.js';
import { collectCsv } from '../list-option.js';
import { addShortForm } from '../short-form.js';
import { registerStackLint } from './stack-lint.js';

export function register(program: Command, cli: Cli): void {
  const stack = program.command('stack').description('Docker Compose stacks: scaffold and deploy');
  addShortForm(stack, cli, {
    name: 'new',
    description:
      'Scaffold stacks/NAME (compose.yml with healthcheck and restart policy, .env.example, README) here',
    playbook: 'stack-new',
    onControlMachine: true,
    options: (c) =>
      c
        .argument('<name>', 'the stack name')
        .option('--dir <dir>', 'where stacks live', 'stacks')
        .option('--image <image>', 'image of the app service')
        .option('--port <port>', 'port the app serves HTTP on inside the container')
        .option('--force', 'overwrite the files of an existing stack'),
    preset: (o, args) => ({
      name: args[0],
      dir: o.dir,
      image: o.image,
      port: o.port,
      force: o.force === true ? true : undefined,
    }),
    examples: [
      'vsa stack new demo',
      'vsa stack new shop --image ghcr.io/acme/shop:1.4 --port 3000 --check --diff',
    ],
  });
  addShortForm(stack, cli, {
    name: 'up',
    description:
      'Upload stacks/NAME to /srv/TENANT/NAME on the hosts, docker compose up -d, wait until healthy',
    playbook: 'stack-up',
    options: (c) =>
      c
        .argument('<name>', 'the stack name (stacks/NAME)')
        .option('--tenant <tenant>', 'tenant directory under /srv', 'flowbiz')
        .option('--dir <dir>', 'where stacks live', 'stacks')
        .option('--timeout <seconds>', 'how long to wait for healthy services')
        .option(
          '--skip-lint <rule>',
          'deploy although the stack breaks this stack lint rule (repeatable, comma-separated; recorded with the run)',
          collectCsv,
        )
        .option('--no-rollback', 'leave a release whose services do not become healthy in place'),
    preset: (o, args) => ({
      name: args[0],
      tenant: o.tenant,
      dir: o.dir,
      timeout: o.timeout,
      skipLint: o.skipLint,
      rollback: o.rollback === false ? false : undefined,
    }),
    examples: [
      'vsa stack up demo -i hosts.yml',
      'vsa stack up shop -i hosts.yml --tenant newco --check --diff',
      'vsa stack up legacy -i hosts.yml --skip-lint db-port',
      'vsa stack up dify -i hosts.yml --tenant acme --limit web02',
    ],
  });
  addShortForm(stack, cli, {
    name: 'releases',
    description: 'List the releases of a stack kept on the hosts (id, time, run id, actor, current)',
    playbook: 'stack-releases',
    report: true,
    options: (c) =>
      c.argument('<name>', 'the stack name').option('--tenant <tenant>', 'tenant directory under /srv', 'flowbiz'),
    preset: (o, args) => ({ name: args[0], tenant: o.tenant }),
    examples: ['vsa stack releases shop -i hosts.yml --tenant newco'],
  });
  addShortForm(stack, cli, {
    name: 'rollback',
    description: 'Bring the previous release of a stack (or --to RELEASE) back up and wait until healthy',
    playbook: 'stack-rollback',
    options: (c) =>
      c
        .argument('<name>', 'the stack name')
        .option('--tenant <tenant>', 'tenant directory under /srv', 'flowbiz')
        .option('--to <release>', 'the release to bring back (see vsa stack releases)')
        .option('--timeout <seconds>', 'how long to wait for healthy services'),
    preset: (o, args) => ({ name: args[0], tenant: o.tenant, to: o.to, timeout: o.timeout }),
    examples: ['vsa stack rollback shop -i hosts.yml --tenant newco', 'vsa stack rollback shop -i hosts.yml --to 3f2a9c01b7de'],
  });
  registerStackLint(stack, cli);
}
