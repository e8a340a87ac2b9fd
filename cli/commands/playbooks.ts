import type { Command } from 'commander';
import type { Cli } from '../program.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('playbooks')
    .description('List the playbooks with their parameters (generated from their schemas)')
    .argument('[name]', 'show only this playbook')
    .option('--json', 'machine-readable output', false)
    .addHelpText('after', '\nExamples:\n  vsa playbooks\n  vsa playbooks provision-site\n  vsa playbooks --json | jq .')
    .action(cli.action(async (_ctx, name: string | undefined, flags: { json: boolean }) => {
      const { listPlaybookNames, loadPlaybook } = await import('../../runner/playbook/load.js');
      const { describeParams } = await import('../../runner/playbook/params.js');
      const names = name ? [name] : listPlaybookNames();
      const list = [];
      for (const n of names) {
        const pb = await loadPlaybook(n);
        list.push({ name: pb.name, description: pb.description, hosts: pb.hosts, params: describeParams(pb) });
      }
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        return 0;
      }
      const lines: string[] = [];
      for (const pb of list) {
        lines.push(`${pb.name}  (hosts: ${pb.hosts})`, `  ${pb.description}`);
        for (const p of pb.params) {
          const flags = [p.required ? 'required' : 'optional', p.secret ? 'secret' : ''].filter(Boolean).join(', ');
          const def = p.default !== undefined ? ` = ${JSON.stringify(p.default)}` : '';
          lines.push(`    -e ${p.name}=<${p.type}>${def}  (${flags})${p.description ? `  ${p.description}` : ''}`);
        }
        lines.push('');
      }
      process.stdout.write(lines.join('\n'));
      return 0;
    }));
}
