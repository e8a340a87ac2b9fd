import { execFileSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

/**
 * The vault password of `--vault-password-file`, else `$ANSIBLE_VAULT_PASSWORD_FILE`, as Ansible
 * reads it: an executable file is run and prints the password, any other file holds it; surrounding
 * whitespace is not part of it. Undefined when neither is given.
 */
export function readVaultPassword(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = flag ?? (env.ANSIBLE_VAULT_PASSWORD_FILE || undefined);
  if (!file) return undefined;
  let text: string;
  try {
    text = executable(file)
      ? execFileSync(file, [], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
      : readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`vault password file ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  const password = text.trim();
  if (!password) throw new UsageError(`vault password file ${file} is empty`);
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
