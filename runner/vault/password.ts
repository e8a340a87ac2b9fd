import { execFileSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { UsageError } from '../errors.js';

/**
 * The password a vault password file gives, as Ansible reads it: an executable file is run and
 * prints it (one named `…-client` or `…-client.EXT` is asked for `--vault-id ID`, Ansible's client
 * scripts), any other file holds it; surrounding whitespace is not part of it.
 */
export function readVaultPasswordFile(file: string, id: string): string {
  let text: string;
  try {
    text = executable(file)
      ? execFileSync(file, /-client(\.[^.]*)?$/.test(basename(file)) ? ['--vault-id', id] : [], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit'],
        })
      : readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`vault password file ${file} (vault id '${id}'): ${(e as Error).message.split('\n')[0]}`);
  }
  const password = text.trim();
  if (!password) throw new UsageError(`vault password file ${file} (vault id '${id}') is empty`);
  return password;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
