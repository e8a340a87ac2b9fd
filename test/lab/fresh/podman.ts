import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { HostNames, LabLayout } from '../layout.js';

/**
 * The fresh hosts' containers live in a Podman store of the lab's own, not the machine's: one
 * store for every slot, so the image is imported once, and nothing of the machine's is touched.
 */
export const podmanRoot = (cwd = process.cwd()) => resolve(cwd, '.lab/cache/fresh-podman');
/** Its runtime state, one per store: two checkouts' labs sharing one would mix up their mounts. */
const runRoot = (root: string) => `/run/vsa-fresh-podman-${createHash('sha256').update(root).digest('hex').slice(0, 12)}`;

export function podmanArgv(args: readonly string[], cwd = process.cwd()): string[] {
  const root = podmanRoot(cwd);
  return ['podman', '--root', root, '--runroot', runRoot(root), ...args];
}

/** The container of a host is named like its network namespace, so the slot's pattern finds both. */
export const containerName = (host: HostNames) => host.ns;

export interface Mount {
  source: string;
  target: string;
  /** The host writes there (its container engine's storage); every other mount is read-only. */
  writable?: boolean;
}

/**
 * A host booted like a VPS: systemd as PID 1 in the host's network namespace, explicit ulimits
 * (Podman's defaults from the machine's are far higher than a VPS's and slow some daemons down).
 */
export function runArgv(host: HostNames, image: string, mounts: readonly Mount[]): string[] {
  return [
    'run',
    '-d',
    '--name',
    containerName(host),
    '--hostname',
    host.name,
    // sudo looks its own host name up.
    '--add-host',
    `${host.name}:${host.address}`,
    '--systemd=always',
    // The host's own container engine manages its firewall, cgroups and mounts, as root on a VPS
    // does; its network namespace and Podman store are the lab's, never the machine's.
    '--privileged',
    '--ulimit',
    'nofile=1024:20000',
    '--ulimit',
    'nproc=4096:4096',
    '--network',
    `ns:/run/netns/${host.ns}`,
    ...mounts.flatMap((m) => ['-v', `${m.source}:${m.target}:${m.writable ? 'rw' : 'ro'}`]),
    image,
    '/sbin/init',
  ];
}

export async function podman(args: readonly string[], cwd = process.cwd()): Promise<string> {
  const [cmd, ...rest] = podmanArgv(args, cwd);
  const { stdout } = await promisify(execFile)(cmd!, rest, { maxBuffer: 16 << 20 });
  return stdout;
}

/** Removes the slot's containers, found by name, so it also cleans up after a crash. */
export async function removeContainers(layout: LabLayout, cwd = process.cwd()): Promise<void> {
  if (!(await stat(podmanRoot(cwd)).catch(() => undefined))) return;
  const names = (await podman(['ps', '-a', '--format', '{{.Names}}'], cwd))
    .split('\n')
    .filter((n) => layout.nsPattern.test(n));
  if (names.length) await podman(['rm', '-f', '-t', '0', ...names], cwd);
}
