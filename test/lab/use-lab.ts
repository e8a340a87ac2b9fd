import { afterAll, beforeAll } from 'vitest';
import type { InventoryHost } from '../../runner/inventory/types.js';
import { labUp, type Lab, type LabOptions } from './lab.js';

/** The lab needs root (namespaces, mounts); e2e suites skip themselves elsewhere. */
export const canRunLab = process.getuid?.() === 0;

/**
 * Brings a lab up (in the first free slot) before the file's tests and always down after them,
 * failures included. Returns a getter, valid inside tests.
 */
export function useLab(opts: Omit<LabOptions, 'slot'>): () => Lab {
  let lab: Lab | undefined;
  beforeAll(async () => {
    lab = await labUp({ ...opts, slot: 'auto' });
  });
  afterAll(async () => {
    await lab?.down();
  });
  return () => {
    if (!lab) throw new Error('the lab is not up');
    return lab;
  };
}

/** A lab host as the runner sees it after loading `.lab/inventory.yml`. */
export function labInventoryHost(lab: Lab, name: string, vars: Record<string, unknown> = {}): InventoryHost {
  const h = lab.host(name);
  return {
    name,
    address: h.address,
    port: 22,
    user: 'root',
    keyFile: lab.keyFile,
    become: false,
    connection: 'ssh',
    vars: { ansible_ssh_common_args: `-o UserKnownHostsFile=${lab.knownHostsFile}`, ...vars },
    groups: ['all', 'lab'],
  };
}

/** Lines of a host's sshd log matching `re`, for counting connections from the server's side. */
export async function countLog(lab: Lab, host: string, re: RegExp): Promise<number> {
  return (await lab.sshdLog(host)).split('\n').filter((l) => re.test(l)).length;
}
