import type { Command } from 'commander';

/** What every action is given besides its arguments: the global options, wherever they stood. */
export interface CliContext {
  /** `--verbose`: stack traces and debug detail on errors; every task's message in a run. */
  verbose: boolean;
}

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
  context?: CliContext;

  action<A extends unknown[]>(body: Action<A>): (...args: unknown[]) => Promise<void> {
    return async (...args: unknown[]) => {
      const { verbose } = (args[args.length - 1] as Command).optsWithGlobals<Partial<CliContext>>();
      this.context = { verbose: verbose === true };
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
  program.option('-v, --verbose', "every task's message and its stdout/stderr under it; stack traces on errors").enablePositionalOptions(false);
}
