import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { SshConfigEntry } from './ssh-config.js';

/** A private key to offer, and who named it: a named one must be usable, a default one is tried if present. */
export interface Identity {
  file: string;
  from: 'inventory' | 'ssh config' | 'default';
}

/** OpenSSH's default identities, tried in this order when nothing names a key. */
const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/** The inventory's key, else the config's IdentityFiles, else OpenSSH's defaults that exist. */
export function identitiesFor(inventory: string[], cfg: SshConfigEntry, tokens: Tokens): Identity[] {
  if (inventory.length) return inventory.map((f) => ({ file: expandHome(f), from: 'inventory' }));
  if (cfg.identityFiles.length) {
    return cfg.identityFiles.map((f) => ({ file: expandHome(expandTokens(f, tokens)), from: 'ssh config' }));
  }
  return DEFAULT_IDENTITIES.map((f) => `${homedir()}/.ssh/${f}`)
    .filter((f) => existsSync(f))
    .map((file) => ({ file, from: 'default' }));
}

/** ssh_config(5)'s TOKENS that mean something to vsa; `%%` is a percent sign. */
export interface Tokens {
  /** Remote host name (after HostName). */
  h: string;
  /** The name as given, before HostName. */
  n?: string;
  p?: string;
  /** Remote user. */
  r?: string;
}

export function expandTokens(text: string, t: Tokens): string {
  const local = userInfo().username;
  const table: Record<string, string | undefined> = { ...t, u: local, d: homedir(), '%': '%' };
  return text.replace(/%(.)/g, (whole, k: string) => table[k] ?? whole);
}

export function expandHome(p: string): string {
  return resolve(p === '~' || p.startsWith('~/') ? homedir() + p.slice(1) : p);
}
