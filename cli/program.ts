import { Command } from 'commander';

/** One subcommand: a file under `commands/` that adds itself to the program and imports its work lazily. */
export type CommandModule = { register(program: Command): void };

/** Collects the exit code of the action that ran (commander actions return nothing useful). */
export const exit = { code: 0 };

/** `--verbose` may stand anywhere on the line, so main takes it out before commander parses. */
export const globalFlags = { verbose: false };
