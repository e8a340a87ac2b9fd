import { Command, CommanderError } from 'commander';
import { describeError, VsaError } from '../runner/errors.js';
import { packageVersion } from '../runner/util/package-info.js';
import { exit, globalFlags } from './program.js';
import { commands } from './commands/index.js';


export function buildProgram(): Command {
  const program = new Command('vsa')
    .description('Agentless playbook runner for multi-tenant VPS hosting: typed playbooks over SSH.')
    .version(packageVersion(), '-V, --version')
    .option('--verbose', 'print stack traces and debug detail on errors')
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(s) });
  for (const c of commands) c.register(program);
  return program;
}

/** Runs the CLI and resolves with the process exit code (errors print one line, not a stack). */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  exit.code = 0;
  globalFlags.verbose = argv.includes('--verbose');
  try {
    await program.parseAsync(
      argv.filter((a) => a !== '--verbose'),
      { from: 'user' },
    );
    return exit.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return err.exitCode === 0 ? 0 : 5;
    }
    process.stderr.write(`vsa: ${describeError(err, globalFlags.verbose)}\n`);
    return err instanceof VsaError ? err.exitCode : 1;
  }
}
