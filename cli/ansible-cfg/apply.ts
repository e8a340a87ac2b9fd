import type { InventoryHost } from '../../runner/inventory/types.js';
import type { AnsibleConfig } from './load.js';

/**
 * ansible.cfg's `remote_user` and `private_key_file` for the hosts whose inventory sets neither
 * name of the field: below the inventory, above `~/.ssh/config` (Ansible passes them to ssh as
 * `-o User=`, `-o IdentityFile=`, which ssh puts before its config).
 */
export function applyAnsibleConfig(hosts: InventoryHost[], cfg: AnsibleConfig): void {
  for (const h of hosts) {
    if (h.connection === 'local') continue;
    h.user ??= cfg.remoteUser;
    h.keyFile ??= cfg.privateKeyFile;
  }
}
