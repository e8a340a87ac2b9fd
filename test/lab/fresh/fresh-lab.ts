import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { mapLimit } from '../../../runner/util/limiter.js';
import { ensureMountRoot, labHost } from '../host-fs.js';
import { FRESH_IMAGE_CHANGES, FRESH_OPS_USER, FRESH_USER, freshImage, freshRootfs } from '../images/fresh-image.js';
import { writeInventory } from '../inventory.js';
import { claimSlot, hostByName } from '../lab.js';
import { hostNames, type LabLayout } from '../layout.js';
import { withMountRootLock } from '../mount-root-lock.js';
import { addHostNetwork } from '../network.js';
import { keygen, waitForPort } from '../plugins/sshd.js';
import type { LabHost } from '../plugins/types.js';
import { writeState, type LabState } from '../state.js';
import { teardownSlot } from '../teardown.js';
import { aptProxyConf, startAptCache } from './apt-cache.js';
import { containerName, podman, runArgv } from './podman.js';

export interface FreshLabOptions {
  hosts: number;
  slot?: number | 'auto';
}

export interface FreshLab {
  layout: LabLayout;
  hosts: LabHost[];
  inventoryFile: string;
  knownHostsFile: string;
  keyFile: string;
  host(name: string): LabHost;
  /** Runs argv as root inside the host (`podman exec`), for a test to look at or hold things. */
  exec(host: string, argv: readonly string[]): Promise<string>;
  down(): Promise<void>;
}

/** Hosts whose sshd needs longer than this to answer did not boot. */
const BOOT_MS = 60_000;

/**
 * Brings up `hosts` fresh Debian 12 hosts (docs/adr/0015-fresh-hosts.md): each its own root from
 * one cached tarball, systemd as init in the host's network namespace, sshd with its own host key,
 * the `debian` login user with the lab's key; apt through the lab's cache on the gateway. On any
 * failure everything is removed again.
 */
export async function freshLabUp(opts: FreshLabOptions): Promise<FreshLab> {
  const layout = await claimSlot(opts.slot ?? 0);
  const hosts = Array.from({ length: opts.hosts }, (_, i) => labHost(layout, hostNames(layout, i + 1, opts.hosts)));
  const state: LabState = {
    slot: layout.slot,
    createdAt: new Date().toISOString(),
    plugins: ['fresh'],
    hosts: hosts.map(({ name, ns, address, mntFile, utsFile }) => ({ name, ns, address, mntFile, utsFile })),
    pids: {},
  };
  const keyFile = `${layout.dir}/id_ed25519`;
  const knownHostsFile = `${layout.dir}/known_hosts`;
  try {
    await mkdir(layout.dir, { recursive: true });
    writeState(layout.dir, state);
    await withMountRootLock(() => ensureMountRoot(layout, []));
    const [image] = await Promise.all([importImage(), keygen(keyFile, 'vsa-lab')]);
    state.pids['apt-cache'] = [await startAptCache(layout)];
    writeState(layout.dir, state);
    const login = await readFile(`${keyFile}.pub`, 'utf8');
    const keys = await mapLimit(hosts, 8, async (host) => {
      await addHostNetwork(layout, host);
      const mounts = await hostFiles(layout, host, login);
      await podman(runArgv(host, image, mounts));
      return `${host.address} ${(await readFile(`${host.dir}/ssh/ssh_host_ed25519_key.pub`, 'utf8')).split(' ').slice(0, 2).join(' ')}`;
    });
    await writeFile(knownHostsFile, `${keys.join('\n')}\n`);
    await mapLimit(hosts, 8, (host) => waitForPort(host.address, 22, BOOT_MS, () => true));
    await writeInventory(`${layout.dir}/inventory.yml`, hosts, keyFile, knownHostsFile, {}, () => ({
      ansible_user: FRESH_USER,
      ansible_become: true,
    }));
  } catch (e) {
    await teardownSlot(layout).catch(() => undefined);
    throw e;
  }
  const host = hostByName(hosts);
  return {
    layout,
    hosts,
    inventoryFile: `${layout.dir}/inventory.yml`,
    knownHostsFile,
    keyFile,
    host,
    exec: (name, argv) => podman(['exec', containerName(host(name)), ...argv]),
    down: () => teardownSlot(layout),
  };
}

/** The image from the cached tarball, imported once into the lab's Podman store. */
async function importImage(): Promise<string> {
  const image = freshImage();
  const known = await podman(['images', '-q', image]);
  if (known.trim()) return image;
  const tarball = await freshRootfs();
  await podman(['import', '-q', ...FRESH_IMAGE_CHANGES.flatMap((c) => ['--change', c]), tarball, image]);
  return image;
}

/** What each host gets on top of the image, mounted read-only: its host key, the login key, apt's proxy. */
async function hostFiles(layout: LabLayout, host: LabHost, login: string) {
  const dir = `${host.dir}/ssh`;
  await mkdir(dir, { recursive: true });
  await keygen(`${dir}/ssh_host_ed25519_key`, host.name);
  await writeFile(`${dir}/authorized_keys`, login);
  // sshd refuses a key file others can read and authorized_keys others can write.
  await chmod(`${dir}/ssh_host_ed25519_key`, 0o600);
  await chmod(`${dir}/authorized_keys`, 0o644);
  await writeFile(`${host.dir}/apt-proxy.conf`, aptProxyConf(layout));
  return [
    { source: `${dir}/ssh_host_ed25519_key`, target: '/etc/ssh/ssh_host_ed25519_key' },
    { source: `${dir}/ssh_host_ed25519_key.pub`, target: '/etc/ssh/ssh_host_ed25519_key.pub' },
    { source: `${dir}/authorized_keys`, target: `/home/${FRESH_USER}/.ssh/authorized_keys` },
    { source: `${dir}/authorized_keys`, target: `/home/${FRESH_OPS_USER}/.ssh/authorized_keys` },
    { source: `${host.dir}/apt-proxy.conf`, target: '/etc/apt/apt.conf.d/01lab-proxy' },
  ];
}
