import { readdir, readFile, readlink, rm, rmdir, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { $ } from 'zx';
import { MNT_ROOT, type LabLayout } from './layout.js';
import { listNamespaces, removeNetwork } from './network.js';
import { readState } from './state.js';
import { withMountRootLock } from './mount-root-lock.js';
import { removeContainers } from './fresh/podman.js';

const q = $({ quiet: true, nothrow: true });

/** Files a lab writes into its directory (never the directories of other slots inside `.lab/`). */
const LAB_FILES = [
  'hosts',
  'inventory.yml',
  'known_hosts',
  'id_ed25519',
  'id_ed25519.pub',
  'authorized_keys',
  // plugins: the web image, Pebble's files and root, the DNS hosts file
  'images',
  'pebble',
  'pebble-root.pem',
  'etc-hosts',
  // fresh hosts: apt-cacher-ng's logs and socket (its cache stays in .lab/cache), the registry
  'apt-cache',
  'registry',
];

/**
 * Removes everything a lab of this slot made, from its state file and by naming convention, so it
 * also works after a crash. Order matters: processes, then mount namespaces (a live one keeps a
 * copy of /run/netns and so the network namespaces), then network namespaces and the bridge.
 * Fresh hosts' containers go first, through Podman, so its store does not keep dead containers.
 */
export async function teardownSlot(layout: LabLayout): Promise<void> {
  await removeContainers(layout);
  const state = await readState(layout.dir);
  const present = await listNamespaces();
  const namespaces = [
    ...new Set([...present.filter((n) => layout.nsPattern.test(n)), ...(state?.hosts ?? []).map((h) => h.ns)]),
  ].filter((n) => present.includes(n));
  const mntFiles = await readdir(layout.mntDir).then(
    (f) => f.map((n) => `${layout.mntDir}/${n}`),
    () => [] as string[],
  );

  const recorded = Object.values(state?.pids ?? {}).flat();
  const pids = await pidsInside([...namespaces.map((n) => `/run/netns/${n}`), ...mntFiles], recorded);
  for (const pid of pids) kill(pid);
  await waitGone(pids, 5_000);

  if (mntFiles.length) await q`umount ${mntFiles}`;
  await rm(layout.mntDir, { recursive: true, force: true });
  await removeNetwork(layout, namespaces);
  await withMountRootLock(releaseMountRoot);
  await Promise.all([...LAB_FILES, 'state.json'].map((f) => rm(`${layout.dir}/${f}`, { recursive: true, force: true })));
}

/**
 * Pids whose network or mount namespace is one of `nsFiles`, plus recorded pids that still live
 * outside the root network namespace (a recycled pid back in the root namespace is left alone),
 * plus their descendants: a container's processes have namespaces of their own but are children
 * of conmon, which runs in the host's.
 */
async function pidsInside(nsFiles: readonly string[], recorded: readonly number[]): Promise<number[]> {
  const ids = new Set<string>();
  for (const f of nsFiles) {
    const s = await stat(f).catch(() => undefined);
    if (s) ids.add(String(s.ino));
  }
  const rootNet = await readlink('/proc/self/ns/net');
  const found = new Set<number>();
  const parent = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    parent.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    const links = await Promise.all(['net', 'mnt'].map((k) => readlink(`/proc/${pid}/ns/${k}`).catch(() => '')));
    const inode = (l: string) => /\[(\d+)\]/.exec(l)?.[1] ?? '';
    if (links.some((l) => ids.has(inode(l)))) found.add(pid);
    else if (recorded.includes(pid) && links[0] && links[0] !== rootNet) found.add(pid);
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (found.has(pid) || !found.has(ppid)) continue;
      found.add(pid);
      grew = true;
    }
  }
  found.delete(process.pid);
  return [...found];
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Waits until the pids are gone or zombies (whose parent may never reap them here). */
async function waitGone(pids: readonly number[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  let left = [...pids];
  while (left.length && Date.now() < deadline) {
    const states = await Promise.all(left.map((p) => readFile(`/proc/${p}/stat`, 'utf8').catch(() => '')));
    left = left.filter((_, i) => {
      const st = /\) (\S)/.exec(states[i]!)?.[1];
      return st !== undefined && st !== 'Z';
    });
    if (left.length) await sleep(20);
  }
}

/** Unmounts /run/vsa-mnt once no slot uses it any more. */
async function releaseMountRoot(): Promise<void> {
  const left = await readdir(MNT_ROOT).catch(() => undefined);
  if (!left || left.length) return;
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  if (info.split('\n').some((l) => l.split(' ')[4] === MNT_ROOT)) await q`umount ${MNT_ROOT}`;
  await rmdir(MNT_ROOT).catch(() => undefined);
}
