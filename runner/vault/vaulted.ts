/**
 * The key Ansible's JSON gives an encrypted value (`{"__ansible_vault": "$ANSIBLE_VAULT;…"}`): a
 * `!vault` value keeps this shape until a run decrypts it, so `vsa inventory --list` prints it as
 * ansible-inventory does and nothing prints its plaintext by mistake.
 */
export const VAULT_KEY = '__ansible_vault';

export type Vaulted = { [VAULT_KEY]: string };

export function isVaulted(value: unknown): value is Vaulted {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as Record<string, unknown>)[VAULT_KEY] === 'string' &&
    Object.keys(value).length === 1
  );
}
