import { readFileSync } from 'node:fs';
import { InventoryError } from '../../errors.js';
import { isVaultText } from '../../vault/decrypt.js';
import { openVault } from '../../vault/open.js';
import type { VaultSecret } from '../../vault/secret.js';

/** What loading an inventory may need besides its paths. */
export interface LoadOptions {
  /** Decrypt inventory and variable files that ansible-vault encrypted whole. */
  vault?: readonly VaultSecret[];
  /** `group_vars/` and `host_vars/` here are read too, above the inventory's (Ansible's playbook dir). */
  playbookDir?: string;
}

/** A file's text, decrypted when ansible-vault encrypted it whole (then `vaulted`). */
export function readText(file: string, opts: LoadOptions): { text: string; vaulted: boolean } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(e);
    throw new InventoryError(`cannot read inventory: ${why}`, file);
  }
  if (!isVaultText(text)) return { text, vaulted: false };
  return { text: openVault(text, opts.vault ?? [], file), vaulted: true };
}
