import { readFile, stat } from 'node:fs/promises';
import type { AnyAuthMethod } from 'ssh2';
import { UnreachableError, UsageError } from '../../errors.js';
import type { InventoryHost } from '../../inventory/types.js';
import { sshSettings } from './settings.js';

/** What the connection tries, in order: the inventory's key, a key from env, the agent, a password from env. */
export interface Credentials {
  methods: AnyAuthMethod[];
  /** For messages: what was tried, never the secrets. */
  tried: string[];
}

export interface CredentialSource {
  user: string;
  keyFile?: string;
}

export async function credentials(host: string, src: CredentialSource, env = process.env): Promise<Credentials> {
  const methods: AnyAuthMethod[] = [];
  const tried: string[] = [];
  const passphrase = env.VSA_SSH_KEY_PASSPHRASE;
  const username = src.user;
  if (src.keyFile) {
    const problem = await keyFileProblem(src.keyFile);
    if (problem) throw new UnreachableError(host, problem);
    const key = await readFile(src.keyFile).catch((e: NodeJS.ErrnoException) => {
      throw new UnreachableError(host, `cannot read private key ${src.keyFile}: ${e.code ?? e.message}`, { cause: e });
    });
    methods.push({ type: 'publickey', username, key, ...(passphrase ? { passphrase } : {}) });
    tried.push(`key ${src.keyFile}`);
  }
  if (env.VSA_SSH_KEY) {
    methods.push({ type: 'publickey', username, key: env.VSA_SSH_KEY, ...(passphrase ? { passphrase } : {}) });
    tried.push('key from VSA_SSH_KEY');
  }
  if (env.SSH_AUTH_SOCK) {
    methods.push({ type: 'agent', username, agent: env.SSH_AUTH_SOCK });
    tried.push('ssh-agent');
  }
  if (env.VSA_SSH_PASSWORD) {
    methods.push({ type: 'password', username, password: env.VSA_SSH_PASSWORD });
    tried.push('password from VSA_SSH_PASSWORD');
  }
  if (!methods.length) {
    throw new UnreachableError(
      host,
      'no SSH credentials: set ansible_ssh_private_key_file, VSA_SSH_KEY, SSH_AUTH_SOCK or VSA_SSH_PASSWORD',
    );
  }
  return { methods, tried };
}

/**
 * What is wrong with a private key file, if anything. Like OpenSSH, a key of one's own that
 * others may read or write is refused: it may have leaked, and using it would hide that.
 */
export async function keyFileProblem(file: string, uid = process.getuid?.()): Promise<string | undefined> {
  const st = await stat(file).catch((e: NodeJS.ErrnoException) => e);
  if (st instanceof Error) {
    return st.code === 'ENOENT' ? `private key file ${file} does not exist` : `cannot read private key ${file}: ${st.code}`;
  }
  if (!st.isFile()) return `private key ${file} is not a file`;
  const mode = st.mode & 0o777;
  if (st.uid === uid && (mode & 0o077) !== 0) {
    const octal = mode.toString(8).padStart(4, '0');
    return `private key ${file} is accessible by others (mode ${octal}): refused as ssh does; run chmod 600 ${file}`;
  }
  return undefined;
}

/** Every SSH host's key file checked before any connection opens, so a bad one stops the run (exit 5). */
export async function checkKeyFiles(hosts: readonly InventoryHost[]): Promise<void> {
  const files = new Map<string, string>();
  for (const h of hosts) {
    const file = h.connection === 'local' ? undefined : sshSettings(h).keyFile;
    if (file && !files.has(file)) files.set(file, h.name);
  }
  for (const [file, host] of files) {
    const problem = await keyFileProblem(file);
    if (problem) throw new UsageError(`${host}: ${problem}`);
  }
}
