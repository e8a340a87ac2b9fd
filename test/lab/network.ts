import { $ } from 'zx';
import type { HostNames, LabLayout } from './layout.js';

const q = $({ quiet: true });

/**
 * Creates the slot's bridge. `ip link add` fails when it exists, which makes it the lab's claim on
 * its slot: two labs starting at once never get the same one.
 */
export async function claimBridge(layout: LabLayout): Promise<boolean> {
  const made = await q({ nothrow: true })`ip link add ${layout.bridge} type bridge`;
  if (made.exitCode !== 0) return false;
  await ipBatch([`addr add ${layout.bridgeCidr} dev ${layout.bridge}`, `link set ${layout.bridge} up`]);
  return true;
}

/** The host's network namespace with one veth on the bridge; two `ip` processes per host. */
export async function addHostNetwork(layout: LabLayout, host: HostNames): Promise<void> {
  await ipBatch([
    `netns add ${host.ns}`,
    `link add ${host.veth} type veth peer name eth0 netns ${host.ns}`,
    `link set ${host.veth} master ${layout.bridge} up`,
  ]);
  await ipBatch(
    [`addr add ${host.address}/${layout.prefixLen} dev eth0`, 'link set eth0 up', 'link set lo up'],
    host.ns,
  );
}

/** Deletes network namespaces (their veths go with them) and then the bridge. */
export async function removeNetwork(layout: LabLayout, namespaces: readonly string[]): Promise<void> {
  if (namespaces.length) await ipBatch(namespaces.map((ns) => `netns del ${ns}`), undefined, true);
  const links = await listLinks();
  const veths = links.filter((l) => layout.vethPattern.test(l));
  const lines = veths.map((l) => `link del ${l}`);
  if (links.includes(layout.bridge)) lines.push(`link del ${layout.bridge}`);
  if (lines.length) await ipBatch(lines, undefined, true);
}

export async function listNamespaces(): Promise<string[]> {
  const out = await q`ip netns list`;
  return out.stdout
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter(Boolean);
}

export async function listLinks(): Promise<string[]> {
  const out = await q`ip -o link show`;
  return out.stdout
    .split('\n')
    .map((l) => /^\d+: ([^:@]+)/.exec(l)?.[1] ?? '')
    .filter(Boolean);
}

async function ipBatch(lines: readonly string[], ns?: string, force = false): Promise<void> {
  const args = [...(ns ? ['-n', ns] : []), ...(force ? ['-force'] : []), '-batch', '-'];
  await q({ input: `${lines.join('\n')}\n`, nothrow: force })`ip ${args}`;
}
