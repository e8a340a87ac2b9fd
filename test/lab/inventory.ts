import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { LabHost } from './plugins/types.js';

/** An Ansible-compatible inventory of the lab: group `lab`, root login with the lab's key. */
export function labInventory(
  hosts: readonly LabHost[],
  keyFile: string,
  knownHostsFile: string,
  vars: Record<string, unknown> = {},
  hostVars: (h: LabHost) => Record<string, unknown> = () => ({}),
): string {
  const entries = hosts.map((h) => [
    h.name,
    { ansible_host: h.address, ansible_port: 22, ansible_user: 'root', ansible_ssh_private_key_file: keyFile, ...hostVars(h) },
  ]);
  return stringify({
    all: {
      children: {
        lab: {
          hosts: Object.fromEntries(entries),
          vars: {
            ansible_ssh_common_args: `-o UserKnownHostsFile=${knownHostsFile} -o StrictHostKeyChecking=yes`,
            ...vars,
          },
        },
      },
    },
  });
}

export async function writeInventory(
  path: string,
  hosts: readonly LabHost[],
  keyFile: string,
  knownHosts: string,
  vars: Record<string, unknown> = {},
  hostVars?: (h: LabHost) => Record<string, unknown>,
) {
  await writeFile(path, labInventory(hosts, keyFile, knownHosts, vars, hostVars));
}
