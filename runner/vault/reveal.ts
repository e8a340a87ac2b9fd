import { UsageError } from '../errors.js';
import { connectionKeys, HostConnectionSchema, type HostConnection } from '../inventory/schema.js';
import type { InventoryHost } from '../inventory/types.js';
import { openVault } from './open.js';
import type { VaultSecret } from './secret.js';
import { isVaulted } from './vaulted.js';

/**
 * Decrypts the `!vault` values in the hosts' variables in place, before anything connects (the
 * connection fields read from them too), and
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
      if (p === undefined)
        plain.set(text, (p = openVault(text, secrets, `variable '${name}' of host '${host}'`)));
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
    if (h.sealed) unseal(h);
  }
  return [...plain.values()];
}

/** Sets the connection fields that were `!vault` from their now decrypted variables, checked as the inventory checks them. */
function unseal(h: InventoryHost): void {
  const { sealed, name, vars } = h;
  const raw: Record<string, unknown> = Object.fromEntries(Object.keys(connectionKeys).map((field) => [field, h[field as keyof HostConnection]]));
  for (const [field, key] of Object.entries(sealed!)) raw[field] = vars[key] ?? undefined;
  const parsed = HostConnectionSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = sealed![issue.path[0] as keyof HostConnection] ?? String(issue.path[0]);
    throw new UsageError(`${key} of host '${name}' (decrypted from !vault): ${issue.message}`);
  }
  Object.assign(h, parsed.data);
  delete h.sealed;
}
