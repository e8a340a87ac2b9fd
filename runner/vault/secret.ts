/**
 * One vault password and the vault id it is known by, as `--vault-id label@source` gives them
 * (`default` without a label, and for `--vault-password-file`); `source` names where it came from
 * in messages (a file, a script or `prompt`), never the password.
 */
export interface VaultSecret {
  id: string;
  password: string;
  source: string;
}

/** Ansible's label for a password given without one (C.DEFAULT_VAULT_IDENTITY). */
export const DEFAULT_VAULT_ID = 'default';
