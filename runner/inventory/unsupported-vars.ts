import { connectionKeys } from './schema.js';
import type { InventoryHost } from './types.js';

/** The `ansible_*` variables vsa acts on; see docs/inventory.md, "Connection keys" and "SSH". */
const honoured = new Set([
  ...Object.values(connectionKeys).flat(),
  'ansible_ssh_common_args',
  'ansible_ssh_extra_args',
  'ansible_ssh_timeout',
  'ansible_timeout',
  'ansible_host_key_checking',
]);

/**
 * One warning for each `ansible_*` variable vsa does not act on (`ansible_become_user`,
 * `ansible_python_interpreter`, …), naming it and the first hosts that have it: Ansible would
 * use it, so dropping it in silence could run the play differently than the operator expects.
 */
export function unsupportedAnsibleVars(hosts: InventoryHost[]): string[] {
  const byVar = new Map<string, string[]>();
  for (const h of hosts) {
    for (const key of Object.keys(h.vars)) {
      if (!key.startsWith('ansible_') || honoured.has(key)) continue;
      const list = byVar.get(key);
      if (list) list.push(h.name);
      else byVar.set(key, [h.name]);
    }
  }
  return [...byVar].map(([key, names]) => {
    const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
    return `${key} (${shown}) is not supported by vsa and is ignored`;
  });
}
