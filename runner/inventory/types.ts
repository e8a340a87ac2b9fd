import type { HostConnection } from './schema.js';

/** A host as the runner sees it once the inventory is loaded and variables merged. */
export interface InventoryHost {
  /** The inventory name (what `--limit` and the recap use). */
  name: string;
  /** Where to connect: `ansible_host` / `host`, else the name. */
  address: string;
  port: number;
  user?: string;
  keyFile?: string;
  become: boolean;
  /** `ansible_become_method`: sudo (the default) or su. */
  becomeMethod?: 'sudo' | 'su';
  /** `ansible_become_user` (default root). */
  becomeUser?: string;
  /** `ansible_become_password`: for sudo or su; a secret. */
  becomePassword?: string;
  /** `ansible_connection`: `ssh` (default) or `local`. */
  connection: 'ssh' | 'local';
  /**
   * Connection fields whose value is `!vault`, each with the variable it is read from: until
   * `revealVault` decrypts them (before any connection), the field holds its default.
   */
  sealed?: Partial<Record<keyof HostConnection, string>>;
  /** Merged variables: all < parent group < child group < host (extra vars are applied later). */
  vars: Record<string, unknown>;
  /** Every group the host belongs to, `all` included. */
  groups: string[];
}

export interface InventoryGroup {
  name: string;
  /** Hosts listed directly in this group. */
  hosts: string[];
  children: string[];
  vars: Record<string, unknown>;
}

export interface Inventory {
  /** Where it was loaded from (for messages). */
  source: string;
  hosts: Map<string, InventoryHost>;
  groups: Map<string, InventoryGroup>;
  /** Values from variable files that ansible-vault encrypted whole: redacted as secrets. */
  secrets: string[];
}
