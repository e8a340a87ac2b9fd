import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { $ } from 'zx';
import { MNT_ROOT, type HostNames, type LabLayout } from './layout.js';
import type { LabHost } from './plugins/types.js';

const q = $({ quiet: true });

/**
 * Paths each host gets its own copy of (see LAB-NOTES.md): what playbooks write, a clean /root
 * (root's real ~/.bashrc here runs pyenv on every SSH command) and the container engine's state.
 */
export const HOST_DIRS = [
  '/root',
  '/srv',
  '/var/www',
  '/var/lib/vsa',
  '/etc/nginx',
  '/var/log/nginx',
  '/var/lib/nginx',
  '/etc/letsencrypt',
  '/var/lib/letsencrypt',
  '/var/log/letsencrypt',
  '/var/lib/containers',
  '/run/containers',
  '/run/libpod',
  '/run/netns',
  '/etc/containers/networks',
] as const;
export const HOST_FILES = ['/run/nginx.pid', '/etc/resolv.conf', '/etc/hosts'] as const;

/**
 * The hosts' own resolver list: loopback, where nothing answers, so a lookup that is not the lab's
 * fails at once and never leaves the lab (the control machine's resolver is not reachable from its
 * namespaces). The container engine's DNS forwards the names it does not hold there: a stopped
 * container's name is then refused in a moment instead of waiting out a timeout, which held up the
 * queries of running containers behind it.
 */
const RESOLV_CONF = 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n';

/** The mount namespace files live on a private bind of /run/vsa-mnt, as `unshare --mount=FILE` needs. */
export async function ensureMountRoot(layout: LabLayout, dirs: readonly string[]): Promise<void> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  if (!info.split('\n').some((l) => l.split(' ')[4] === MNT_ROOT)) {
    await mkdir(MNT_ROOT, { recursive: true });
    await q`mount --bind ${MNT_ROOT} ${MNT_ROOT}`;
    await q`mount --make-private ${MNT_ROOT}`;
  }
  await mkdir(layout.mntDir, { recursive: true });
  // Bind targets must exist on the control machine too (empty directories, one empty file).
  await Promise.all(dirs.map((d) => mkdir(d, { recursive: true })));
  await Promise.all(HOST_FILES.map(async (f) => (await open(f, 'a')).close()));
}

export function labHost(layout: LabLayout, names: HostNames): LabHost {
  const dir = `${layout.dir}/hosts/${names.name}`;
  return {
    ...names,
    dir,
    root: `${dir}/root`,
    mntFile: `${layout.mntDir}/${names.name}`,
    utsFile: `${layout.mntDir}/${names.name}.uts`,
  };
}

/** Persistent mount and UTS namespaces for the host, made inside its network namespace. */
export async function addHostFs(host: LabHost, dirs: readonly string[]): Promise<void> {
  await Promise.all(dirs.map((d) => mkdir(host.root + d, { recursive: true })));
  await Promise.all(
    HOST_FILES.map(async (f) => {
      await mkdir(dirname(host.root + f), { recursive: true });
      (await open(host.root + f, 'a')).close();
    }),
  );
  await writeFile(`${host.root}/etc/resolv.conf`, RESOLV_CONF);
  // Its own name resolves, as on a VPS (sudo looks it up, and warns on stderr when it cannot).
  await writeFile(`${host.root}/etc/hosts`, `127.0.0.1\tlocalhost\n::1\tlocalhost\n${host.address}\t${host.name}\n`);
  await Promise.all([host.mntFile, host.utsFile].map(async (f) => (await open(f, 'a')).close()));
  const pairs = [...dirs, ...HOST_FILES].flatMap((p) => [host.root + p, p]);
  const setup = 'hostname "$1"; shift; while [ $# -gt 0 ]; do mount --bind "$1" "$2"; shift 2; done';
  await q`nsenter --net=/run/netns/${host.ns} unshare --mount=${host.mntFile} --uts=${host.utsFile} --propagation private sh -ec ${setup} sh ${host.name} ${pairs}`;
}

/** argv prefix that enters the host's namespaces. */
export function enterArgv(host: LabHost): string[] {
  return ['nsenter', `--net=/run/netns/${host.ns}`, `--mount=${host.mntFile}`, `--uts=${host.utsFile}`, '--'];
}
