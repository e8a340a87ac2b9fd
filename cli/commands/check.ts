import type { Command } from 'commander';
import type { Cli } from '../program.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('check')
    .description("Type-check a playbook file against vsa's types (nothing runs, no host is contacted)")
    .argument('<file>', 'a .ts playbook file')
    .addHelpText('after', '\nExit codes: 0 the types hold, 5 type errors (printed as tsc prints them) or no such file.')
    .action(cli.action(async (_ctx, file: string) => {
      const { typeCheckPlaybook } = await import('../type-check.js');
      const r = await typeCheckPlaybook(file);
      if (!r.ok) {
        process.stderr.write(r.report);
        return 5;
      }
      process.stdout.write(`${file}: types ok\n`);
      return 0;
    }));
}
