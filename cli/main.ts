import { Command, CommanderError } from 'commander';
import { describeError, VsaError } from '../runner/errors.js';
import { packageVersion } from '../runner/util/package-info.js';
import { addGlobalOptions, Cli } from './program.js';
import { commands } from './commands/index.js';

export function buildProgram(cli = new Cli()): Command {
  const program = new Command('vsa')
    .description('Agentless playbook runner for multi-tenant VPS hosting: typed playbooks over SSH.')
    .version(packageVersion(), '-V, --version')
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(s) });
  for (const c of commands) c.register(program, cli);
  addGlobalOptions(program);
  return program;
}

/** Runs the CLI and resolves with the process exit code (errors print one line, not a stack). */
export async function main(argv: string[]): Promise<number> {
  const cli = new Cli();
  try {
    await buildProgram(cli).parseAsync(argv, { from: 'user' });
    return cli.exitCode;
  } catch (err) {
    // --help and --version end through here with exit code 0.
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 5;
    process.stderr.write(`vsa: ${describeError(err, cli.context?.verbose ?? false)}\n`);
    return err instanceof VsaError ? err.exitCode : 1;
  }
}
