import { readdir } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { timed, type Timed } from './timed.js';

const here = fileURLToPath(new URL('./ansible/', import.meta.url));
/** ansible.cfg's control_path_dir. */
export const CONTROL_DIR = '/tmp/vsa-bench-cp';

export interface AnsibleRun extends Timed {
  changed: number;
  ok: number;
  failed: number;
}

/** One `ansible-playbook site.yml` with the bench's ansible.cfg on the inventory's hosts. */
export async function runAnsible(inventory: string, tmp: string): Promise<AnsibleRun> {
  const env = {
    ...process.env,
    ANSIBLE_CONFIG: `${here}ansible.cfg`,
    ANSIBLE_LOCAL_TEMP: `${tmp}/ansible-local`,
    ANSIBLE_NOCOLOR: '1',
  };
  const r = await timed(['ansible-playbook', '-i', inventory, `${here}site.yml`], env);
  const sum = (key: string) =>
    [...r.stdout.matchAll(new RegExp(`\\b${key}=(\\d+)`, 'g'))].reduce((n, m) => n + Number(m[1]), 0);
  return { ...r, ok: sum('ok'), changed: sum('changed'), failed: sum('failed') + sum('unreachable') };
}

/** Ends the persistent connections (ControlPersist) so the next first run starts cold like vsa's. */
export async function closeControlMasters(): Promise<void> {
  const sockets = await readdir(CONTROL_DIR).catch(() => [] as string[]);
  for (const s of sockets) {
    spawnSync('ssh', ['-o', `ControlPath=${CONTROL_DIR}/${s}`, '-O', 'exit', 'bench'], {
      stdio: 'ignore',
      timeout: 5000,
    });
  }
}

export function ansibleVersion(): string {
  return (
    spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]?.trim() ??
    'unknown'
  );
}
