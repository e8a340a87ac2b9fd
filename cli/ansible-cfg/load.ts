import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../../runner/errors.js';
import { isDir } from '../../runner/util/is-dir.js';
import { parseIni } from './parse-ini.js';

/** The ansible.cfg settings vsa honours; every other one is a warning naming it. */
export interface AnsibleConfig {
  file?: string;
  /** `inventory`: comma-separated paths, relative to the file's folder. */
  inventory: string[];
  remoteUser?: string;
  privateKeyFile?: string;
  /** `host_key_checking = False` is taken as accept-new: vsa never skips the check. */
  hostKeyChecking?: boolean;
  forks?: number;
  /** `timeout`: the SSH connect timeout, in seconds. */
  timeout?: number;
  /** Relative to the file's folder, as Ansible resolves its `path` settings. */
  vaultPasswordFile?: string;
  /** `vault_identity_list`: `label@source` entries, tried before the command line's. */
  vaultIdentityList?: string[];
}

const bool = z.preprocess((v) => {
  const s = String(v).toLowerCase();
  return ['y', 'yes', 'on', '1', 'true', 't'].includes(s) ? true : ['n', 'no', 'off', '0', 'false', 'f'].includes(s) ? false : v;
}, z.boolean({ error: 'expected a boolean (True/False, yes/no)' }));
const whole = (max: number) =>
  z.coerce
    .number({ error: 'expected a whole number' })
    .int({ error: 'expected a whole number' })
    .min(1, { error: `expected a whole number from 1 to ${max}` })
    .max(max, { error: `expected a whole number from 1 to ${max}` });

/** Each honoured `[defaults]` key, how its text is read, and the field it sets. */
const honoured: Record<string, [keyof AnsibleConfig, z.ZodType]> = {
  inventory: ['inventory', z.string()],
  remote_user: ['remoteUser', z.string().min(1)],
  private_key_file: ['privateKeyFile', z.string().min(1)],
  host_key_checking: ['hostKeyChecking', bool],
  forks: ['forks', whole(1000)],
  timeout: ['timeout', whole(3600)],
  vault_password_file: ['vaultPasswordFile', z.string().min(1)],
  vault_identity_list: ['vaultIdentityList', z.string()],
};

/**
 * Finds ansible.cfg as Ansible does, first found wins: `$ANSIBLE_CONFIG` (a file, or a folder
 * holding one), `./ansible.cfg` (skipped with a warning in a world-writable folder, as Ansible
 * does), `~/.ansible.cfg`.
 */
export function findAnsibleConfig(env: NodeJS.ProcessEnv, warn: (m: string) => void, cwd = process.cwd()): string | undefined {
  if (env.ANSIBLE_CONFIG) {
    const given = resolve(cwd, env.ANSIBLE_CONFIG);
    const file = isDir(given) ? join(given, 'ansible.cfg') : given;
    if (existsSync(file)) return file;
  }
  const here = join(cwd, 'ansible.cfg');
  if (existsSync(here)) {
    if (statSync(cwd).mode & 0o002) warn(`${here} is not read: ${cwd} is world writable (as Ansible does)`);
    else return here;
  }
  const home = join(env.HOME ?? homedir(), '.ansible.cfg');
  return existsSync(home) ? home : undefined;
}

/** Reads the ansible.cfg that applies; a setting vsa does not honour is a warning naming it. */
export function loadAnsibleConfig(
  warn: (m: string) => void,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): AnsibleConfig {
  const file = findAnsibleConfig(env, warn, cwd);
  const cfg: AnsibleConfig = { inventory: [] };
  if (!file) return cfg;
  cfg.file = file;
  const base = dirname(file);
  const path = (p: string) => resolve(base, p.replace(/^~(?=\/|$)/, env.HOME ?? homedir()));
  for (const e of parseIni(readFileSync(file, 'utf8'), file)) {
    const known = e.section === 'defaults' ? honoured[e.key] : undefined;
    if (!known) {
      warn(`${file}:${e.line}: [${e.section}] ${e.key} is not supported by vsa and is ignored`);
      continue;
    }
    const [field, schema] = known;
    const r = schema.safeParse(e.value);
    if (!r.success) throw new UsageError(`${file}:${e.line}: ${e.key}: ${r.error.issues[0]!.message}`);
    if (field === 'inventory') cfg.inventory = String(r.data).split(',').map((s) => s.trim()).filter(Boolean).map(path);
    else if (field === 'privateKeyFile' || field === 'vaultPasswordFile') cfg[field] = path(String(r.data));
    else if (field === 'vaultIdentityList') cfg.vaultIdentityList = String(r.data).split(',').map((s) => s.trim()).filter(Boolean);
    else Object.assign(cfg, { [field]: r.data });
  }
  return cfg;
}
