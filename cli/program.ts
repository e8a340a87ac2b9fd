import type { Command } from 'commander';
import { z } from 'zod';

/** The program's own options, which stand anywhere on the line (`vsa run x --verbose`). */
export const globalOptions = z.object({
  /** Stack traces and debug detail on errors; every task's message in a run. */
  verbose: z.boolean().default(false),
});

/** What every action is given besides its arguments: the global options as commander parsed them. */
export type CliContext = z.output<typeof globalOptions>;

/** An action's body: commander's arguments (operands, options, the command) in, the exit code out. */
export type Action<A extends unknown[]> = (ctx: CliContext, ...args: A) => number | Promise<number>;

/** One subcommand: a file under `commands/` that adds itself to the program and imports its work lazily. */
export type CommandModule = { register(program: Command, cli: Cli): void };

/**
 * One invocation of the CLI: it turns action bodies into commander actions and keeps what main
 * needs afterwards, the exit code the action returned and the context it ran with.
 */
export class Cli {
  exitCode = 0;
  context: CliContext = globalOptions.parse({});

  action<A extends unknown[]>(body: Action<A>): (...args: unknown[]) => Promise<void> {
    return async (...args: unknown[]) => {
      this.context = globalOptions.parse((args[args.length - 1] as Command).optsWithGlobals());
      this.exitCode = await body(this.context, ...(args as A));
    };
  }
}

/**
 * The global options stand anywhere on the line: the program parses its own options wherever they
 * are, while each subcommand keeps positional options (`history show --json` is `show`'s, not
 * `history`'s), and actions read them with `optsWithGlobals()`.
 */
export function addGlobalOptions(program: Command): void {
  program.option('--verbose', 'print stack traces and debug detail on errors').enablePositionalOptions(false);
}
