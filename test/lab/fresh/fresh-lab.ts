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
import { ACME_CA_BUNDLE, acmeVars, listenerCaFile, startPebble } from '../plugins/pebble.js';
import { aptProxyConf, startAptCache } from './apt-cache.js';
import { pushFreshImages, type FreshImages } from './fresh-images.js';
import { containerName, podman, runArgv } from './podman.js';
import { registryAddress, startRegistry } from './registry.js';

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
  /** What the hosts pull from the slot's registry. */
  images: FreshImages;
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
 * the `debian` login user with the lab's key. On the gateway: apt's cache, a registry with the
 * lab's images, Pebble and its DNS. On any failure everything is removed again.
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
  let images: FreshImages;
  try {
    await mkdir(layout.dir, { recursive: true });
    writeState(layout.dir, state);
    await withMountRootLock(() => ensureMountRoot(layout, []));
    const [image] = await Promise.all([importImage(), keygen(keyFile, 'vsa-lab'), startPebble(layout)]);
    const [aptCache, registry] = await Promise.all([startAptCache(layout), startRegistry(layout)]);
    Object.assign(state.pids, { 'apt-cache': [aptCache], registry: [registry] });
    writeState(layout.dir, state);
    images = await pushFreshImages(layout);
    const login = await readFile(`${keyFile}.pub`, 'utf8');
    const keys = await mapLimit(hosts, 8, async (host) => {
      await addHostNetwork(layout, host);
      const mounts = await hostFiles(layout, host, login);
      await podman(runArgv(host, image, mounts));
      return `${host.address} ${(await readFile(`${host.dir}/ssh/ssh_host_ed25519_key.pub`, 'utf8')).split(' ').slice(0, 2).join(' ')}`;
    });
    await writeFile(knownHostsFile, `${keys.join('\n')}\n`);
    await mapLimit(hosts, 8, (host) => waitForPort(host.address, 22, BOOT_MS, () => true));
    await writeInventory(`${layout.dir}/inventory.yml`, hosts, keyFile, knownHostsFile, { ...acmeVars(layout), proxy_image: images.proxy }, () => ({
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
    images,
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

/**
 * Docker as the host installs it, with two settings of the lab's: the slot's registry is plain
 * HTTP, and a container engine nested in the host's own container finds its cgroups only in a
 * cgroup namespace of each container's (a VPS's kernel gives docker the whole hierarchy).
 */
const dockerDaemonConf = (layout: LabLayout) =>
  `${JSON.stringify({ 'insecure-registries': [registryAddress(layout)], 'default-cgroupns-mode': 'private' }, null, 2)}\n`;

/**
 * What each host gets on top of the image, mounted read-only: its host key, the login key, apt's
 * proxy, docker's settings and the CA of Pebble's listener; and its engines' storage.
 */
async function hostFiles(layout: LabLayout, host: LabHost, login: string) {
  const dir = `${host.dir}/ssh`;
  await mkdir(dir, { recursive: true });
  await keygen(`${dir}/ssh_host_ed25519_key`, host.name);
  await writeFile(`${dir}/authorized_keys`, login);
  // sshd refuses a key file others can read and authorized_keys others can write.
  await chmod(`${dir}/ssh_host_ed25519_key`, 0o600);
  await chmod(`${dir}/authorized_keys`, 0o644);
  await writeFile(`${host.dir}/apt-proxy.conf`, aptProxyConf(layout));
  await writeFile(`${host.dir}/docker-daemon.json`, dockerDaemonConf(layout));
  // overlayfs cannot stack on the container's own overlay root: the engines' storage is a
  // directory of the machine's filesystem, per host, removed with the slot.
  const engines = ['docker', 'containers'].map((name) => ({
    source: `${host.dir}/engine/${name}`,
    target: `/var/lib/${name}`,
    writable: true,
  }));
  await Promise.all(engines.map((m) => mkdir(m.source, { recursive: true })));
  return [
    ...engines,
    { source: `${dir}/ssh_host_ed25519_key`, target: '/etc/ssh/ssh_host_ed25519_key' },
    { source: `${dir}/ssh_host_ed25519_key.pub`, target: '/etc/ssh/ssh_host_ed25519_key.pub' },
    { source: `${dir}/authorized_keys`, target: `/home/${FRESH_USER}/.ssh/authorized_keys` },
    { source: `${dir}/authorized_keys`, target: `/home/${FRESH_OPS_USER}/.ssh/authorized_keys` },
    { source: `${host.dir}/apt-proxy.conf`, target: '/etc/apt/apt.conf.d/01lab-proxy' },
    { source: `${host.dir}/docker-daemon.json`, target: '/etc/docker/daemon.json' },
    { source: listenerCaFile(layout.dir), target: ACME_CA_BUNDLE },
  ];
}
