import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { describeError, VsaError } from '../errors.js';
import { exit } from './program.js';
import { commands } from './commands/index.js';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export function buildProgram(): Command {
  const program = new Command('vsa')
    .description('Agentless playbook runner for multi-tenant VPS hosting: typed playbooks over SSH.')
    .version(pkg.version, '-V, --version')
    .option('--verbose', 'print stack traces and debug detail on errors')
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
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exit.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return err.exitCode === 0 ? 0 : 5;
    }
    const verbose = argv.includes('--verbose');
    process.stderr.write(`vsa: ${describeError(err, verbose)}\n`);
    return err instanceof VsaError ? err.exitCode : 1;
  }
}
