import { resolve } from 'node:path';

/**
 * Names and addresses of one lab. Several labs can exist side by side in "slots": slot 0 is the
 * developer's lab (`npm run lab:up`), test runs take the first free slot from 1 up. Slot s owns
 * bridge `vsa-br{s}`, the /20 at 198.18.0.0 + s*4096, namespaces `vsa-h01` (slot 0) or
 * `vsa-s{s}-h01`, veths `vsa{s}v{n}` and the namespace files under /run/vsa-mnt/s{s}/.
 */
export interface LabLayout {
  slot: number;
  /** Where the lab writes inventory.yml, known_hosts, the key, state.json and hosts/. */
  dir: string;
  bridge: string;
  /** The bridge's address with prefix, also the control machine's address seen from hosts. */
  bridgeCidr: string;
  gateway: string;
  prefixLen: number;
  mntDir: string;
  /** Matches this slot's namespace names (leftovers included). */
  nsPattern: RegExp;
  vethPattern: RegExp;
}

export const MNT_ROOT = '/run/vsa-mnt';
export const MAX_SLOTS = 8;
const SLOT_SIZE = 4096;
const BASE = ipToInt('198.18.0.0');

export function labLayout(slot: number, dir?: string, cwd = process.cwd()): LabLayout {
  if (!Number.isInteger(slot) || slot < 0 || slot >= MAX_SLOTS) throw new Error(`lab slot must be 0..${MAX_SLOTS - 1}`);
  const tag = slot ? `s${slot}-` : '';
  const gateway = intToIp(BASE + slot * SLOT_SIZE + 1);
  return {
    slot,
    dir: resolve(cwd, dir ?? (slot ? `.lab/s${slot}` : '.lab')),
    bridge: `vsa-br${slot}`,
    bridgeCidr: `${gateway}/20`,
    gateway,
    prefixLen: 20,
    mntDir: `${MNT_ROOT}/s${slot}`,
    nsPattern: new RegExp(`^vsa-${tag}h\\d+$`),
    vethPattern: new RegExp(`^vsa${slot}v\\d+$`),
  };
}

export interface HostNames {
  index: number;
  name: string;
  ns: string;
  veth: string;
  address: string;
}

/** Host `index` (1-based) of a lab of `count` hosts: h01..h99, or h001.. from 100 hosts on. */
export function hostNames(layout: LabLayout, index: number, count: number): HostNames {
  if (index < 1 || index > SLOT_SIZE - 12) throw new Error(`host index ${index} out of range`);
  const name = `h${String(index).padStart(Math.max(2, String(count).length), '0')}`;
  const tag = layout.slot ? `s${layout.slot}-` : '';
  return {
    index,
    name,
    ns: `vsa-${tag}${name}`,
    veth: `vsa${layout.slot}v${index}`,
    address: intToIp(BASE + layout.slot * SLOT_SIZE + 10 + index),
  };
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}
