import type { Command } from 'commander';
import type { Cli } from '../program.js';
import { collect, collectCsv, wholeNumber } from '../list-option.js';
import { addVaultOptions } from '../vault-options.js';

/** The options every playbook-running command shares (`run` and the short forms such as `site provision`). */
export function addRunOptions(cmd: Command): Command {
  return addVaultOptions(cmd.option(
      '-i, --inventory <path>',
      "inventory: a YAML or INI file, a folder of them, a script or host1,host2, (repeatable); default $VSA_INVENTORY, then ansible.cfg's inventory, then ./inventory.yml",
      collect,
      [],
    ))
    .option('-l, --limit <pattern>', 'only hosts matching: names, groups, globs, !exclude, &intersect, a:b')
    .option('--become-password-file <file>', "the become (sudo or su) password, the file's first line; also $VSA_BECOME_PASSWORD, $ANSIBLE_BECOME_PASSWORD_FILE; an inventory's ansible_become_password wins")
    .option('-K, --ask-become-pass', 'prompt for the become password (on a terminal)', false)
    .option('-f, --forks <n>', "hosts in parallel (default ansible.cfg's forks, else 20)", wholeNumber('--forks', { min: 1, max: 1000 }))
    .option('-C, --check', 'read everything, change nothing, report what would change', false)
    .option('-D, --diff', 'show unified diffs of what changes', false)
    .option('-t, --tags <tags>', 'only tasks with these tags (comma-separated, repeatable)', collectCsv, [])
    .option('--skip-tags <tags>', 'skip tasks with these tags', collectCsv, [])
    .option('--start-at-task <name>', 'start at the task with this name')
    .option('--list-hosts', 'print the hosts the play would run on, and stop (nothing is contacted)', false)
    .option('--list-tasks', 'print the tasks that would run (after --tags/--skip-tags), and stop', false)
    .option('--list-tags', 'print the tags of the tasks that would run, and stop', false)
    .option('--syntax-check', 'load the playbook, check its params and build its tasks, and stop', false)
    .option('--strict', 'warnings about the input (inventory, SSH config) stop the run with exit 5; the default when CI is set')
    .option('--no-strict', 'warnings about the input are printed and the run goes on (the default outside CI)')
    .option('--json', 'one JSON event per line on stdout (schema: docs/json-events.md)', false)
    .option('--no-color', 'no colours (also when NO_COLOR is set)')
    .option(
      '--host-key <policy>',
      "unknown host keys: strict (refuse) or accept-new (record), default the inventory's StrictHostKeyChecking, else strict; a changed key is always refused",
    )
    .option('--known-hosts <file>', 'known_hosts file; default $VSA_KNOWN_HOSTS, then ~/.ssh/known_hosts')
    .option(
      '--wait-lock [seconds]',
      'wait for another run holding a host lock (default 300 s) instead of failing',
      wholeNumber('--wait-lock', { min: 1, max: 86_400, unit: 'seconds' }),
    )
    .option(
      '--connect-timeout <seconds>',
      "SSH connect timeout, the wait for the server's banner included (default: the inventory's or ssh config's ConnectTimeout, else 15)",
      wholeNumber('--connect-timeout', { min: 1, max: 3600, unit: 'seconds' }),
    )
    .option(
      '--max-handshakes <n>',
      'SSH logins in flight at once, so a fleet does not storm a bastion or sshd MaxStartups',
      wholeNumber('--max-handshakes', { min: 1, max: 1000 }),
      20,
    );
}

export function register(program: Command, cli: Cli): void {
  const cmd = program
    .command('run')
    .description('Run a playbook on the hosts of an inventory')
    .argument('<playbook>', 'a playbook name (see `vsa playbooks`) or a path to a .ts playbook file')
    .option('-e, --extra-vars <vars>', 'parameters: key=value, @file.yml or a JSON object (repeatable)', collect, []);
  addRunOptions(cmd)
    .addHelpText(
      'after',
      `
Examples:
  vsa run provision-site -i hosts.yml -e domain=shop.example.com -e container=shop -e port=3000
  vsa run renew-certs -i hosts.yml --limit 'web:!web03' --check --diff
  vsa run ./playbooks/my-play.ts -i hosts.yml -e @vars.yml --json > run.jsonl
  vsa run deploy -i prod/ --vault-id prod@~/.vault-prod --vault-id dev@prompt

Vault: !vault values and encrypted files are tried with the id their header names, then with
every other id given (ansible.cfg vault_identity_list, --vault-id, --vault-password-file,
$ANSIBLE_VAULT_PASSWORD_FILE or vault_password_file, --ask-vault-pass), as Ansible does.

Exit codes: 0 ok, 2 a task failed, 4 a host was unreachable, 5 bad arguments/inventory/params,
130 interrupted (Ctrl-C: no new tasks start; press again to cancel running ones).`,
    )
    .action(cli.action(async (ctx, playbook: string, opts: Record<string, unknown>) => {
      const [{ runPlaybookCommand }, { parseRunFlags }] = await Promise.all([
        import('../run-session.js'),
        import('../run-flags.js'),
      ]);
      return runPlaybookCommand(playbook, parseRunFlags(opts, ctx));
    }));
}
