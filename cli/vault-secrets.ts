import { UsageError } from '../runner/errors.js';
import { readVaultPasswordFile } from '../runner/vault/password.js';
import { DEFAULT_VAULT_ID, type VaultSecret } from '../runner/vault/secret.js';
import { prompt } from './read-password.js';

/** The vault options of a command line: `--vault-id` and `--vault-password-file` repeat. */
export interface VaultFlags {
  vaultId: string[];
  vaultPasswordFile: string[];
  askVaultPass: boolean;
}

/** ansible.cfg's `vault_identity_list` and `vault_password_file`. */
export interface VaultConfig {
  vaultIdentityList?: string[];
  vaultPasswordFile?: string;
}

export interface VaultIo {
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadStream;
  stderr: NodeJS.WritableStream;
}

/**
 * The vault ids to try, in Ansible's order (CLI.setup_vault_secrets): the configured identity
 * list (`$ANSIBLE_VAULT_IDENTITY_LIST`, else ansible.cfg), each `--vault-id`, each
 * `--vault-password-file`, the configured password file (`$ANSIBLE_VAULT_PASSWORD_FILE`, else
 * ansible.cfg), then `--ask-vault-pass`. Password files get the `default` id. Each source is read
 * once, here, before anything connects.
 */
export async function vaultSecrets(flags: VaultFlags, cfg: VaultConfig, io: VaultIo): Promise<VaultSecret[]> {
  const listed = io.env.ANSIBLE_VAULT_IDENTITY_LIST
    ? io.env.ANSIBLE_VAULT_IDENTITY_LIST.split(',').map((s) => s.trim()).filter(Boolean)
    : (cfg.vaultIdentityList ?? []);
  const configuredFile = io.env.ANSIBLE_VAULT_PASSWORD_FILE || cfg.vaultPasswordFile;
  const slugs = [
    ...listed,
    ...flags.vaultId,
    ...flags.vaultPasswordFile.map((f) => `${DEFAULT_VAULT_ID}@${f}`),
    ...(configuredFile ? [`${DEFAULT_VAULT_ID}@${configuredFile}`] : []),
    ...(flags.askVaultPass ? [`${DEFAULT_VAULT_ID}@${ASK}`] : []),
  ];
  const secrets: VaultSecret[] = [];
  const seen = new Set<string>();
  for (const slug of slugs) {
    const { id, source } = splitVaultId(slug);
    if (seen.has(`${id}@${source}`)) continue;
    seen.add(`${id}@${source}`);
    const password = source === 'prompt' || source === ASK ? await ask(id, source, io) : readVaultPasswordFile(source, id);
    secrets.push({ id, password, source: source === ASK ? '--ask-vault-pass' : source });
  }
  return secrets;
}

/** Ansible's own name for the `--ask-vault-pass` prompt, which never clashes with a file's. */
const ASK = 'prompt_ask_vault_pass';

/** `label@source`, or a bare source with the `default` id (Ansible's CLI.split_vault_id). */
export function splitVaultId(slug: string): { id: string; source: string } {
  const at = slug.indexOf('@');
  const id = at < 0 ? DEFAULT_VAULT_ID : slug.slice(0, at);
  const source = at < 0 ? slug : slug.slice(at + 1);
  if (!id || !source) throw new UsageError(`--vault-id ${slug}: expected [LABEL@]SOURCE (a file, a script or prompt)`);
  return { id, source };
}

async function ask(id: string, source: string, io: VaultIo): Promise<string> {
  const asked = source === ASK ? '--ask-vault-pass' : `--vault-id ${id}@prompt`;
  if (!io.stdin.isTTY) {
    throw new UsageError(`${asked} needs a terminal to prompt on: use --vault-id ${id}@FILE or --vault-password-file FILE instead`);
  }
  const password = await prompt(io.stdin, io.stderr, source === ASK ? 'Vault password: ' : `Vault password (${id}): `);
  if (!password) throw new UsageError(`${asked}: the vault password must not be empty`);
  return password;
}
