import { Command, CommanderError } from 'commander';
import { vi } from 'vitest';
import { register } from '../../../cli/commands/inventory.js';
import { Cli } from '../../../cli/program.js';

/** Runs `vsa inventory ARGS` on a program holding only this command; resolves with stdout. */
export async function vsaInventory(...args: string[]): Promise<string> {
  const program = new Command('vsa').exitOverride();
  register(program, new Cli());
  let out = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync(['inventory', ...args], { from: 'user' });
  } catch (e) {
    // --help ends through exitOverride with exit code 0.
    if (!(e instanceof CommanderError && e.exitCode === 0)) throw e;
  } finally {
    write.mockRestore();
  }
  return out;
}
