import type { Command } from 'commander';
import { UsageError } from '../../runner/errors.js';
import type { Cli } from '../program.js';
import { collect } from '../list-option.js';
import { addVaultOptions } from '../vault-options.js';

interface InventoryFlags {
  inventory: string[];
  playbookDir?: string;
  vaultId: string[];
  vaultPasswordFile: string[];
  askVaultPass: boolean;
  list?: boolean;
  listHosts?: boolean;
  limit?: string;
  graph?: string | true;
  host?: string;
}

const examples = `
Examples:
  vsa inventory -i inventory/example.yml --list
  vsa inventory -i inventory/example.yml --list-hosts --limit 'web:!web03.example.com'
  vsa inventory -i inventory/example.yml --list-hosts --limit 'web0*:&prod'
  vsa inventory -i inventory/example.yml --graph
  vsa inventory -i inventory/example.yml --host db01.example.com

--list prints the JSON of \`ansible-inventory -i FILE --list\`; --limit takes Ansible host
patterns: names, groups, all, globs (web0*), ~regex, !exclude, &intersection, a:b or a,b.
A --limit term that names no host or group is an error (exit 5).`;

export function register(program: Command, cli: Cli): void {
  const cmd = program
    .command('inventory')
    .description('Show an inventory as Ansible sees it: groups, hosts and merged variables')
    .option(
      '-i, --inventory <path>',
      "a YAML or INI file, a folder of them, a script or host1,host2, (repeatable); default $VSA_INVENTORY, then ansible.cfg's inventory, then ./inventory.yml",
      collect,
      [],
    )
    .option('--playbook-dir <dir>', "also read group_vars/ and host_vars/ here, as a playbook's folder (ansible-inventory's --playbook-dir)")
    .option('--list', 'print the whole inventory as JSON (the shape of ansible-inventory --list)')
    .option('--list-hosts', 'print the selected host names, one per line')
    .option('-l, --limit <pattern>', 'with --list-hosts: only hosts matching this pattern (default: all)')
    .option('--graph [group]', 'print the group tree from GROUP (default: all)')
    .option('--host <name>', "print one host's merged variables as JSON");
  addVaultOptions(cmd)
    .addHelpText('after', examples)
    .action(cli.action(async (_ctx, flags: InventoryFlags) => {
      const modes = [flags.list, flags.listHosts, flags.graph, flags.host].filter((m) => m !== undefined);
      if (modes.length !== 1) throw new UsageError('choose one of --list, --list-hosts, --graph or --host');
      if (flags.limit !== undefined && !flags.listHosts)
        throw new UsageError('--limit works with --list-hosts');

      const [{ inventorySources }, inv, { loadAnsibleConfig }, { vaultSecrets }] = await Promise.all([
        import('../resolve-hosts.js'),
        import('../../runner/inventory/index.js'),
        import('../ansible-cfg/load.js'),
        import('../vault-secrets.js'),
      ]);
      const cfg = loadAnsibleConfig((m) => process.stderr.write(`vsa: warning: ${m}\n`));
      const inventory = await inv.loadInventory(inventorySources(flags.inventory, process.env, cfg.inventory), {
        vault: await vaultSecrets(flags, cfg, process),
        ...(flags.playbookDir ? { playbookDir: flags.playbookDir } : {}),
      });
      let out: string;
      if (flags.list) {
        out = inv.formatAnsibleJson(inv.toAnsibleList(inventory));
      } else if (flags.listHosts) {
        const all = inv.selectHosts(inventory, 'all');
        const hosts = flags.limit === undefined ? all : inv.limitHosts(inventory, all, flags.limit);
        if (!hosts.length) process.stderr.write('vsa: warning: no hosts matched\n');
        out = hosts.map((h) => h.name).join('\n');
      } else if (flags.graph !== undefined) {
        out = inv.toAnsibleGraph(inventory, flags.graph === true ? 'all' : flags.graph);
      } else {
        const host = inventory.hosts.get(flags.host!);
        if (!host) throw new UsageError(`no host named '${flags.host}' in ${inventory.source}`);
        out = inv.formatAnsibleJson(host.vars);
      }
      if (out) process.stdout.write(`${out}\n`);
      return 0;
    }));
}
