import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { exit, globalFlags } from '../program.js';
import type { HostKeyPolicy } from '../../connection/known-hosts/verifier.js';
import { collect, collectCsv, wholeNumber } from '../list-option.js';

export interface RunFlags {
  inventory?: string;
  extraVars: string[];
  limit?: string;
  forks: number;
  check: boolean;
  diff: boolean;
  tags: string[];
  skipTags: string[];
  startAtTask?: string;
  json: boolean;
  color: boolean;
  verbose: boolean;
  /** Given on the command line; otherwise each host's inventory decides (strict when it says nothing). */
  hostKey?: HostKeyPolicy;
  knownHosts?: string;
  waitLock?: number;
  connectTimeout: number;
  maxHandshakes: number;
}

/** The options every playbook-running command shares (`run` and the short forms such as `site provision`). */
export function addRunOptions(cmd: Command): Command {
  return cmd
    .option('-i, --inventory <file>', 'inventory file (Ansible YAML); default $VSA_INVENTORY, then ./inventory.yml')
    .option('-l, --limit <pattern>', 'only hosts matching: names, groups, globs, !exclude, &intersect, a:b')
    .option('-f, --forks <n>', 'hosts in parallel', wholeNumber('--forks', { min: 1, max: 1000 }), 20)
    .option('-C, --check', 'read everything, change nothing, report what would change', false)
    .option('-D, --diff', 'show unified diffs of what changes', false)
    .option('-t, --tags <tags>', 'only tasks with these tags (comma-separated, repeatable)', collectCsv, [])
    .option('--skip-tags <tags>', 'skip tasks with these tags', collectCsv, [])
    .option('--start-at-task <name>', 'start at the task with this name')
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
      "SSH connect timeout, the wait for the server's banner included",
      wholeNumber('--connect-timeout', { min: 1, max: 3600, unit: 'seconds' }),
      15,
    )
    .option(
      '--max-handshakes <n>',
      'SSH logins in flight at once, so a fleet does not storm a bastion or sshd MaxStartups',
      wholeNumber('--max-handshakes', { min: 1, max: 1000 }),
      20,
    );
}

export function register(program: Command): void {
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

Exit codes: 0 ok, 2 a task failed, 4 a host was unreachable, 5 bad arguments/inventory/params,
130 interrupted (Ctrl-C: no new tasks start; press again to cancel running ones).`,
    )
    .action(async (playbook: string, flags: Record<string, unknown>) => {
      const { runPlaybookCommand } = await import('../run-session.js');
      exit.code = await runPlaybookCommand(playbook, normalize(flags, globalFlags.verbose));
    });
}

export function normalize(flags: Record<string, unknown>, verbose: boolean): RunFlags {
  const f = flags as Omit<Partial<RunFlags>, 'waitLock' | 'hostKey'> & { waitLock?: boolean | number; hostKey?: string };
  if (f.hostKey !== undefined && f.hostKey !== 'strict' && f.hostKey !== 'accept-new') {
    throw new UsageError(`--host-key must be strict or accept-new, got "${f.hostKey}"`);
  }
  return {
    inventory: f.inventory,
    extraVars: f.extraVars ?? [],
    limit: f.limit,
    forks: f.forks ?? 20,
    check: f.check ?? false,
    diff: f.diff ?? false,
    tags: f.tags ?? [],
    skipTags: f.skipTags ?? [],
    startAtTask: f.startAtTask,
    json: f.json ?? false,
    color: f.color ?? true,
    verbose,
    hostKey: f.hostKey,
    knownHosts: f.knownHosts,
    waitLock: f.waitLock === undefined || f.waitLock === false ? undefined : f.waitLock === true ? 300 : f.waitLock,
    connectTimeout: f.connectTimeout ?? 15,
    maxHandshakes: f.maxHandshakes ?? 20,
  };
}
