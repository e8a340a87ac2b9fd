import type { Command } from 'commander';
import { addRunOptions } from './commands/run.js';
import type { Cli } from './program.js';

type Opts = Record<string, unknown>;
export type Preset = (opts: Opts, args: string[]) => Opts | Promise<Opts>;

export interface ShortForm {
  name: string;
  description: string;
  /** The playbook it runs. */
  playbook: string;
  examples: string[];
  /** Adds the command's own arguments and options (the run flags are added after them). */
  options?: (cmd: Command) => Command;
  /** Maps the command's arguments and options to playbook params. */
  preset: Preset;
  /**
   * The playbook targets the control machine (`hosts: localhost`): it runs against a one-host
   * inventory of this machine with a local connection, whatever `-i` says (that stays a param).
   */
  onControlMachine?: boolean;
  /** A report (cert status): every task's message is the output, so it is shown as with --verbose. */
  report?: boolean;
}

/**
 * A seed-compatible short form such as `vsa site provision --domain …`: the same as
 * `vsa run PLAYBOOK -e …`, with the shared run flags (-i, --limit, --check, --json, …).
 */
export function addShortForm(parent: Command, cli: Cli, f: ShortForm): Command {
  const cmd = (f.options ?? ((c) => c))(
    parent.command(f.name).description(`${f.description} (playbook ${f.playbook})`),
  );
  return addRunOptions(cmd)
    .addHelpText(
      'after',
      `\nExamples:\n${f.examples.map((e) => `  ${e}`).join('\n')}\n\nSame as: vsa run ${f.playbook} -e key=value …`,
    )
    .action(cli.action(async (ctx, ...a: unknown[]) => {
      const self = a[a.length - 1] as Command;
      const opts = self.opts<Opts>();
      const params = dropUndefined(await f.preset(opts, self.args));
      const [{ runPlaybookCommand }, { parseRunFlags }] = await Promise.all([
        import('./run-session.js'),
        import('./run-flags.js'),
      ]);
      const flags = parseRunFlags(opts, { ...ctx, verbose: f.report === true || ctx.verbose });
      if (!f.onControlMachine) return runPlaybookCommand(f.playbook, flags, params);
      const local = await controlMachineInventory();
      try {
        return await runPlaybookCommand(
          f.playbook,
          { ...flags, inventory: [local.file], limit: undefined },
          params,
        );
      } finally {
        await local.remove();
      }
    }));
}

async function controlMachineInventory() {
  const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), 'vsa-local-'));
  const file = join(dir, 'localhost.yml');
  await writeFile(file, 'all:\n  hosts:\n    localhost:\n      ansible_connection: local\n');
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Unset options leave the playbook's defaults in force. */
function dropUndefined(o: Opts): Opts {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
