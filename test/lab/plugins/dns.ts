import { readFile, rename, writeFile } from 'node:fs/promises';
import type { LabLayout } from '../layout.js';

/**
 * The lab's DNS: test domains point at lab hosts in pebble-challtestsrv (what Pebble resolves when
 * it validates) and in an /etc/hosts-style file on the control side (what tests and curl use).
 */
export const hostsFile = (labDir: string) => `${labDir}/etc-hosts`;

/** pebble-challtestsrv listens on the slot's bridge address: DNS for Pebble, management for tests. */
export function dnsEndpoints(layout: LabLayout) {
  return { server: `${layout.gateway}:8053`, management: `${layout.gateway}:8055` };
}

/**
 * Points `domain` at `address` (a lab host's) in challtestsrv, when the lab runs Pebble, and in the
 * hosts file; repeating it moves the domain.
 */
export async function pointDomain(
  layout: LabLayout,
  domain: string,
  address: string,
  acme = true,
): Promise<void> {
  const name = domain.replace(/\.$/, '').toLowerCase();
  if (acme) {
    // challtestsrv's add-a appends to the name's addresses: clear them first so the name moves.
    for (const [op, body] of [
      ['clear-a', { host: `${name}.` }],
      ['add-a', { host: `${name}.`, addresses: [address] }],
    ] as const) {
      const res = await fetch(`http://${dnsEndpoints(layout).management}/${op}`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`challtestsrv ${op} ${name}: HTTP ${res.status} ${await res.text()}`);
    }
  }
  const entries = await readHostsFile(layout.dir);
  entries.set(name, address);
  const text = [...entries].map(([d, a]) => `${a} ${d}\n`).join('');
  const tmp = `${hostsFile(layout.dir)}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, hostsFile(layout.dir));
}

/** domain → address, from the lab's hosts file (empty when the lab has no DNS). */
export async function readHostsFile(labDir: string): Promise<Map<string, string>> {
  const text = await readFile(hostsFile(labDir), 'utf8').catch(() => '');
  const entries = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (address) for (const n of names) entries.set(n.toLowerCase(), address);
  }
  return entries;
}

/** `curl --resolve` arguments that send `domain` on 80 and 443 to the host it points at. */
export async function curlResolveArgs(labDir: string, domain: string): Promise<string[]> {
  const address = (await readHostsFile(labDir)).get(domain.toLowerCase());
  if (!address)
    throw new Error(`${domain} is not in ${hostsFile(labDir)}: run npm run lab:dns -- ${domain} HOST`);
  return [80, 443].flatMap((port) => ['--resolve', `${domain}:${port}:${address}`]);
}
