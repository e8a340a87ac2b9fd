import { UsageError } from '../runner/errors.js';
import { passwordFromFile, prompt } from './read-password.js';

export interface BecomePasswordFlags {
  becomePasswordFile?: string | undefined;
  askBecomePass: boolean;
}

interface Io {
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadStream;
  stderr: NodeJS.WritableStream;
}

/**
 * The run's become password, for hosts whose inventory has no `ansible_become_password`: `-K`
 * (a prompt without echo), `--become-password-file`, `$VSA_BECOME_PASSWORD`, then Ansible's
 * `$ANSIBLE_BECOME_PASSWORD_FILE`. Never from argv. Undefined when none is given.
 */
export async function becomePassword(flags: BecomePasswordFlags, io: Io): Promise<string | undefined> {
  if (flags.askBecomePass && flags.becomePasswordFile) throw new UsageError('give -K or --become-password-file, not both');
  if (flags.askBecomePass) {
    if (!io.stdin.isTTY) throw new UsageError('-K needs a terminal to prompt on: use --become-password-file FILE or VSA_BECOME_PASSWORD instead');
    const pw = await prompt(io.stdin, io.stderr, 'BECOME password: ');
    if (!pw) throw new UsageError('-K: the become password must not be empty');
    return pw;
  }
  if (flags.becomePasswordFile) return passwordFromFile(flags.becomePasswordFile, '--become-password-file');
  if (io.env.VSA_BECOME_PASSWORD) return io.env.VSA_BECOME_PASSWORD;
  if (io.env.ANSIBLE_BECOME_PASSWORD_FILE) return passwordFromFile(io.env.ANSIBLE_BECOME_PASSWORD_FILE, '$ANSIBLE_BECOME_PASSWORD_FILE');
  return undefined;
}
