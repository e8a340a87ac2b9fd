import { readFile, stat } from 'node:fs/promises';
import ssh2 from 'ssh2';
import type { AnyAuthMethod } from 'ssh2';
import { UnreachableError, UsageError } from '../../errors.js';
import type { InventoryHost } from '../../inventory/types.js';
import type { Identity } from './identities.js';
import { sshSettings } from './settings.js';
import type { SshConfig } from './ssh-config.js';

/** What the connection tries, in order: the host's keys, a key from env, the agent, a password from env. */
export interface Credentials {
  methods: AnyAuthMethod[];
  /** For messages: what was tried, never the secrets. */
  tried: string[];
}

/** What was learnt about the run's key files before connecting. */
export interface KeyUnlocks {
  /** Passphrases asked for on the terminal, by key file. */
  passphrases: ReadonlyMap<string, string>;
  /** Key files not offered: missing ones the ssh config names, encrypted defaults when the agent is there. */
  skipped: ReadonlyMap<string, string>;
}

export const NO_UNLOCKS: KeyUnlocks = { passphrases: new Map(), skipped: new Map() };

export interface CredentialSource {
  user: string;
  identities: readonly Identity[];
  /** IdentitiesOnly: the agent is not asked. */
  identitiesOnly?: boolean;
  unlocks?: KeyUnlocks;
}

export async function credentials(host: string, src: CredentialSource, env = process.env): Promise<Credentials> {
  const methods: AnyAuthMethod[] = [];
  const tried: string[] = [];
  const username = src.user;
  const unlocks = src.unlocks ?? NO_UNLOCKS;
  for (const { file } of src.identities) {
    const skipped = unlocks.skipped.get(file);
    if (skipped) {
      tried.push(`key ${file} not offered: ${skipped}`);
      continue;
    }
    const problem = await keyFileProblem(file);
    if (problem) throw new UnreachableError(host, problem);
    const key = await readFile(file).catch((e: NodeJS.ErrnoException) => {
      throw new UnreachableError(host, `cannot read private key ${file}: ${e.code ?? e.message}`, { cause: e });
    });
    const passphrase = unlocks.passphrases.get(file) ?? env.VSA_SSH_KEY_PASSPHRASE;
    methods.push({ type: 'publickey', username, key, ...(passphrase ? { passphrase } : {}) });
    tried.push(`key ${file}`);
  }
  if (env.VSA_SSH_KEY) {
    const passphrase = env.VSA_SSH_KEY_PASSPHRASE;
    methods.push({ type: 'publickey', username, key: env.VSA_SSH_KEY, ...(passphrase ? { passphrase } : {}) });
    tried.push('key from VSA_SSH_KEY');
  }
  if (env.SSH_AUTH_SOCK && !src.identitiesOnly) {
    methods.push({ type: 'agent', username, agent: env.SSH_AUTH_SOCK });
    tried.push('ssh-agent');
  }
  if (env.VSA_SSH_PASSWORD) {
    methods.push({ type: 'password', username, password: env.VSA_SSH_PASSWORD });
    tried.push('password from VSA_SSH_PASSWORD');
  }
  if (!methods.length) {
    const none = tried.length ? ` (${tried.join(', ')})` : '';
    throw new UnreachableError(
      host,
      `no SSH credentials${none}: set ansible_ssh_private_key_file or IdentityFile, VSA_SSH_KEY, SSH_AUTH_SOCK or VSA_SSH_PASSWORD`,
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

export interface KeyCheckOptions {
  config?: SshConfig;
  env?: NodeJS.ProcessEnv;
  /** Asks for a key's passphrase; only given when a terminal can answer. */
  ask?: (file: string) => Promise<string>;
  warn?: (message: string) => void;
}

/**
 * Every key file the run's SSH hosts and their jump hosts would offer, checked before any connection
 * opens, so a bad one stops the run (exit 5) with its cause instead of an "authentication failed":
 * unsafe modes, a file that is no key, an encrypted key with no passphrase to open it.
 */
export async function checkKeyFiles(hosts: readonly InventoryHost[], o: KeyCheckOptions = {}): Promise<KeyUnlocks> {
  const env = o.env ?? process.env;
  const files = new Map<string, { host: string; from: Identity['from'] }>();
  for (const h of hosts) {
    if (h.connection === 'local') continue;
    const s = sshSettings(h, {}, env, o.config);
    for (const id of [...s.identities, ...s.jumps.flatMap((j) => j.identities)]) {
      if (!files.has(id.file)) files.set(id.file, { host: h.name, from: id.from });
    }
  }
  const passphrases = new Map<string, string>();
  const skipped = new Map<string, string>();
  for (const [file, { host, from }] of files) {
    const problem = await keyFileProblem(file);
    if (problem && from === 'ssh config' && problem.endsWith('does not exist')) {
      // ssh warns about a missing IdentityFile and goes on with the others.
      o.warn?.(`${host}: IdentityFile ${file} (${o.config?.file ?? 'ssh config'}) does not exist`);
      skipped.set(file, 'it does not exist');
      continue;
    }
    if (problem) throw new UsageError(`${host}: ${problem}`);
    const key = await readFile(file);
    const parsed = ssh2.utils.parseKey(key);
    if (!(parsed instanceof Error)) continue;
    if (!/no passphrase/i.test(parsed.message)) {
      throw new UsageError(`${host}: ${file} is not a private key vsa can use (${parsed.message})`);
    }
    const passphrase = await passphraseFor(file, from, env, o.ask);
    if (passphrase === undefined) {
      skipped.set(file, 'encrypted and no passphrase (VSA_SSH_KEY_PASSPHRASE) given; the agent may hold it');
      continue;
    }
    if (ssh2.utils.parseKey(key, passphrase) instanceof Error) {
      const source = env.VSA_SSH_KEY_PASSPHRASE ? 'VSA_SSH_KEY_PASSPHRASE' : 'the passphrase typed';
      throw new UsageError(`${host}: ${source} does not decrypt private key ${file}`);
    }
    if (!env.VSA_SSH_KEY_PASSPHRASE) passphrases.set(file, passphrase);
  }
  return { passphrases, skipped };
}

/**
 * The passphrase of an encrypted key: VSA_SSH_KEY_PASSPHRASE, else asked on the terminal. Without
 * either, a default key is left to the agent when there is one (as ssh in batch mode does); a key
 * someone named is a refusal naming the ways to give it.
 */
async function passphraseFor(
  file: string,
  from: Identity['from'],
  env: NodeJS.ProcessEnv,
  ask: KeyCheckOptions['ask'],
): Promise<string | undefined> {
  if (env.VSA_SSH_KEY_PASSPHRASE) return env.VSA_SSH_KEY_PASSPHRASE;
  if (ask) return ask(file);
  if (from === 'default' && env.SSH_AUTH_SOCK) return undefined;
  throw new UsageError(
    `private key ${file} is encrypted and no passphrase was given: set VSA_SSH_KEY_PASSPHRASE, run on a terminal to be asked, or add the key to ssh-agent`,
  );
}
