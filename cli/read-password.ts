import { readFile } from 'node:fs/promises';
import { UsageError } from '../runner/errors.js';

export const PASSWORD_ENV = 'VSA_AUTH_PASSWORD';

export interface PasswordSources {
  file?: string;
  env: NodeJS.ProcessEnv;
  /** The variable that may hold the password (default VSA_AUTH_PASSWORD). */
  envName?: string;
  stdin: NodeJS.ReadStream;
  stderr: NodeJS.WritableStream;
}

/**
 * A password from `--password-file`, `$VSA_AUTH_PASSWORD` (or `envName`) or a prompt without echo
 * (asked twice) — never from argv, where `ps` and shell history would keep it.
 */
export async function readPassword(s: PasswordSources): Promise<string> {
  if (s.file) return passwordFromFile(s.file);
  const envName = s.envName ?? PASSWORD_ENV;
  const env = s.env[envName];
  if (env) return env;
  if (!s.stdin.isTTY) {
    throw new UsageError(`no password: use --password-file FILE or ${envName}, or run on a terminal to be prompted`);
  }
  const first = await prompt(s.stdin, s.stderr, 'Password: ');
  if (!first) throw new UsageError('the password must not be empty');
  const again = await prompt(s.stdin, s.stderr, 'Password (again): ');
  if (first !== again) throw new UsageError('the passwords do not match');
  return first;
}

/** The first line of a password file; `flag` names the option that gave it in errors. */
export async function passwordFromFile(file: string, flag = '--password-file'): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `${flag} ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? err})`,
    );
  }
  // The first line, as `htpasswd -i` and most password files expect.
  const pw = text.split(/\r?\n/)[0] ?? '';
  if (!pw) throw new UsageError(`${flag} ${file}: the first line is empty`);
  return pw;
}

/** Reads one line in raw mode, echoing nothing; Ctrl-C and Ctrl-D abort. */
export function prompt(stdin: NodeJS.ReadStream, out: NodeJS.WritableStream, label: string): Promise<string> {
  out.write(label);
  const wasRaw = stdin.isRaw;
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (err?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      out.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003' || ch === '\u0004') return done(new UsageError('password prompt cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
