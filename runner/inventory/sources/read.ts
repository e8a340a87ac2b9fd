import { readFileSync } from 'node:fs';
import { InventoryError } from '../../errors.js';
import { decryptVault, isVaultText } from '../../vault/decrypt.js';

/** What loading an inventory may need besides its paths. */
export interface LoadOptions {
  /** Decrypts inventory and variable files that ansible-vault encrypted whole. */
  vaultPassword?: string;
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
  if (opts.vaultPassword === undefined) {
    throw new InventoryError(
      'is encrypted with ansible-vault and no vault password was given: pass --vault-password-file FILE or set ANSIBLE_VAULT_PASSWORD_FILE',
      file,
    );
  }
  return { text: decryptVault(text, opts.vaultPassword, file), vaulted: true };
}
