import type { InventoryHost } from '../inventory/types.js';
import { openVault } from './open.js';
import type { VaultSecret } from './secret.js';
import { isVaulted } from './vaulted.js';

/**
 * Decrypts the `!vault` values in the hosts' variables in place, before anything connects, and
 * returns the plaintexts so the run's redactor hides them everywhere. Without a password, or with
 * none that decrypts it, the first encrypted variable is exit 5, named with its host. Each
 * ciphertext is decrypted once (a group variable is in every host of the group; each decryption
 * costs 10,000 PBKDF2 rounds).
 */
export function revealVault(hosts: InventoryHost[], secrets: readonly VaultSecret[]): string[] {
  const plain = new Map<string, string>();
  const open = (value: unknown, host: string, name: string): unknown => {
    if (isVaulted(value)) {
      const text = value.__ansible_vault;
      let p = plain.get(text);
      if (p === undefined) plain.set(text, (p = openVault(text, secrets, `variable '${name}' of host '${host}'`)));
      return p;
    }
    if (Array.isArray(value)) return value.map((v, i) => open(v, host, `${name}[${i}]`));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, open(v, host, `${name}.${k}`)]));
    }
    return value;
  };
  for (const h of hosts) {
    for (const [k, v] of Object.entries(h.vars)) h.vars[k] = open(v, h.name, k);
  }
  return [...plain.values()];
}
