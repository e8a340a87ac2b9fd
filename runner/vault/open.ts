import { UsageError } from '../errors.js';
import { decryptVault, vaultLabel } from './decrypt.js';
import type { VaultSecret } from './secret.js';

export const NO_VAULT_PASSWORD =
  'no vault password was given: pass --vault-id [LABEL@]SOURCE, --vault-password-file FILE or --ask-vault-pass, or set ANSIBLE_VAULT_PASSWORD_FILE';

/**
 * Decrypts vault text with the secret whose id its 1.2 header names, then with each other one in
 * order, as Ansible does by default (`vault_id_match = False`). `what` names the value or file; a
 * failure names the vault ids and sources tried, never a password.
 */
export function openVault(text: string, secrets: readonly VaultSecret[], what: string): string {
  if (!secrets.length) throw new UsageError(`${what} is encrypted with ansible-vault and ${NO_VAULT_PASSWORD}`);
  const label = vaultLabel(text);
  const order = [...secrets.filter((s) => s.id === label), ...secrets.filter((s) => s.id !== label)];
  for (const s of order) {
    const plain = decryptVault(text, s.password, what);
    if (plain !== undefined) return plain;
  }
  const tried = order.map((s) => `'${s.id}' (${s.source})`).join(', ');
  const named = label ? ` (encrypted for vault id '${label}')` : '';
  throw new UsageError(`${what}${named}: no vault password decrypts it; vault ids tried: ${tried}`);
}
