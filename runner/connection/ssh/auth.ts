import { readFile } from 'node:fs/promises';
import type { AnyAuthMethod } from 'ssh2';
import { UnreachableError } from '../../errors.js';

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
